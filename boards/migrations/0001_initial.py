# What a meeting receives, moved here from the plans app (plans 0020) with its tables, which keep
# their names (db_table): Django's state changes, the database does not, but for the content
# types' app label.

import boards.models
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from plans.moved_models import rename_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('plans', '0020_papers_move_to_boards'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalAreaAssessment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('risk_rating', models.CharField(choices=[('red', 'Red – high risk'), ('amber', 'Amber – medium risk'), ('green', 'Green – low risk')], max_length=10)),
                        ('analysis', models.TextField()),
                        ('next_steps', models.TextField(verbose_name='next steps')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.boardmeeting')),
                        ('priority_area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.priorityarea')),
                        ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical area assessment',
                        'verbose_name_plural': 'historical area assessments',
                        'db_table': 'plans_historicalareaassessment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PublishedPack',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('exception_report', 'Exception report'), ('board_pack', 'Board pack')], max_length=20)),
                        ('as_at', models.DateField()),
                        ('file', models.FileField(max_length=200, upload_to=boards.models.published_pack_upload_to)),
                        ('sha256', models.CharField(max_length=64)),
                        ('size', models.PositiveIntegerField()),
                        ('published_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='published', to='plans.boardmeeting')),
                        ('published_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'plans_publishedpack',
                        'ordering': ['meeting', 'published_at'],
                    },
                ),
                migrations.CreateModel(
                    name='RecordedPapers',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=255, unique=True)),
                        ('entries', models.JSONField()),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='plans.plan')),
                    ],
                    options={
                        'db_table': 'plans_recordedpapers',
                    },
                ),
                migrations.CreateModel(
                    name='AreaAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('risk_rating', models.CharField(choices=[('red', 'Red – high risk'), ('amber', 'Amber – medium risk'), ('green', 'Green – low risk')], max_length=10)),
                        ('analysis', models.TextField()),
                        ('next_steps', models.TextField(verbose_name='next steps')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='plans.boardmeeting')),
                        ('priority_area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='plans.priorityarea')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'plans_areaassessment',
                        'constraints': [models.UniqueConstraint(fields=('meeting', 'priority_area'), name='one_assessment_per_area_a_meeting')],
                    },
                ),
            ],
        ),
        rename_content_types(
            "plans", "boards", ["areaassessment", "historicalareaassessment", "publishedpack", "recordedpapers"]
        ),
    ]
