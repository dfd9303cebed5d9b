# The recommendations register, moved here from the plans app (plans 0021) with its tables, which
# keep their names (db_table, and the history's table names): Django's state changes, the database
# does not, but for the content types' app label.

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from plans.moved_models import rename_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('plans', '0021_recommendations_move_to_their_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalRecommendation',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(help_text='R1, R2 ... within the plan.')),
                        ('source', models.CharField(choices=[('inspection', 'Inspection'), ('meeting', 'Board or panel meeting')], max_length=20)),
                        ('committee', models.CharField(choices=[('Improvement Board', 'Improvement Board'), ('Scrutiny Panel', 'Scrutiny Panel')], help_text='The board or panel that follows it and decides when it is complete.', max_length=200, verbose_name='tracked by')),
                        ('inspectorate', models.CharField(blank=True, max_length=100)),
                        ('inspection_year', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('inspection_kind', models.CharField(blank=True, choices=[('core_recommendation', 'Core recommendation'), ('area_for_improvement', 'Area for improvement'), ('priority_action', 'Priority action')], max_length=30)),
                        ('inspection_date', models.DateField(blank=True, null=True)),
                        ('title', models.CharField(max_length=300)),
                        ('action_proposed', models.TextField(verbose_name='action proposed')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('made_at', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.boardmeeting', verbose_name='meeting')),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.plan')),
                    ],
                    options={
                        'verbose_name': 'historical recommendation',
                        'verbose_name_plural': 'historical recommendations',
                        'db_table': 'plans_historicalrecommendation',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Recommendation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(help_text='R1, R2 ... within the plan.')),
                        ('source', models.CharField(choices=[('inspection', 'Inspection'), ('meeting', 'Board or panel meeting')], max_length=20)),
                        ('committee', models.CharField(choices=[('Improvement Board', 'Improvement Board'), ('Scrutiny Panel', 'Scrutiny Panel')], help_text='The board or panel that follows it and decides when it is complete.', max_length=200, verbose_name='tracked by')),
                        ('inspectorate', models.CharField(blank=True, max_length=100)),
                        ('inspection_year', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('inspection_kind', models.CharField(blank=True, choices=[('core_recommendation', 'Core recommendation'), ('area_for_improvement', 'Area for improvement'), ('priority_action', 'Priority action')], max_length=30)),
                        ('inspection_date', models.DateField(blank=True, null=True)),
                        ('title', models.CharField(max_length=300)),
                        ('action_proposed', models.TextField(verbose_name='action proposed')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('made_at', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='recommendations_made', to='plans.boardmeeting', verbose_name='meeting')),
                        ('objectives', models.ManyToManyField(blank=True, db_table='plans_recommendation_objectives', related_name='recommendations', to='plans.objective')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='plans.plan')),
                        ('responsible_posts', models.ManyToManyField(blank=True, db_table='plans_recommendation_responsible_posts', help_text="Leave empty when the linked objectives' responsible posts answer for it.", related_name='recommendations', to='plans.post')),
                    ],
                    options={
                        'db_table': 'plans_recommendation',
                        'ordering': ['plan', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='PanelDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision', models.CharField(choices=[('accepted', 'Accepted as complete'), ('not_accepted', 'Not accepted'), ('rejection_reported', 'Rejection reported')], max_length=20)),
                        ('reason', models.TextField(blank=True)),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recommendation_decisions', to='plans.boardmeeting')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recommendation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='recommendations.recommendation')),
                    ],
                    options={
                        'db_table': 'plans_paneldecision',
                        'ordering': ['recommendation', 'recorded_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRecommendation_responsible_posts',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='recommendations.historicalrecommendation')),
                        ('post', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.post')),
                        ('recommendation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='recommendations.recommendation')),
                    ],
                    options={
                        'verbose_name': 'HistoricalRecommendation_responsible_posts',
                        'db_table': 'plans_historicalrecommendation_responsible_posts',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalRecommendation_objectives',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='recommendations.historicalrecommendation')),
                        ('objective', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.objective')),
                        ('recommendation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='recommendations.recommendation')),
                    ],
                    options={
                        'verbose_name': 'HistoricalRecommendation_objectives',
                        'db_table': 'plans_historicalrecommendation_objectives',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RecommendationUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('taken_on', models.DateField(verbose_name='date')),
                        ('action_taken', models.TextField(verbose_name='action taken')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('partially_complete', 'Partially complete'), ('complete_proposed', 'Complete (proposed)'), ('rejected', 'Rejected')], max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('recommendation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='updates', to='recommendations.recommendation')),
                    ],
                    options={
                        'db_table': 'plans_recommendationupdate',
                        'ordering': ['recommendation', 'created_at', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='recommendation',
                    constraint=models.UniqueConstraint(fields=('plan', 'number'), name='recommendation_number_unique_in_plan'),
                ),
                migrations.AddConstraint(
                    model_name='recommendation',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('made_at__isnull', False), ('source', 'meeting')), models.Q(('inspection_year__isnull', False), ('source', 'inspection'), models.Q(('inspectorate', ''), _negated=True), models.Q(('inspection_kind', ''), _negated=True)), _connector='OR'), name='recommendation_source_has_its_details'),
                ),
                migrations.AddConstraint(
                    model_name='paneldecision',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('decision', 'not_accepted'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='panel_decision_not_accepted_has_reason'),
                ),
            ],
        ),
        rename_content_types(
            "plans", "recommendations", ["recommendation", "historicalrecommendation", "historicalrecommendation_objectives", "historicalrecommendation_responsible_posts", "paneldecision", "recommendationupdate"]
        ),
    ]
