# The measures that matter, moved here from the plans app (plans 0022) with their tables, which
# keep their names (db_table, and the history's table names): Django's state changes, the database
# does not, but for the content types' app label.

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import uuid
from django.conf import settings
from django.db import migrations, models

from plans.moved_models import rename_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('plans', '0022_indicators_move_to_their_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalIndicator',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('reference', models.CharField(db_index=True, max_length=30)),
                        ('area', models.CharField(max_length=100)),
                        ('title', models.TextField()),
                        ('unit', models.CharField(choices=[('number', 'Number'), ('percentage', 'Percentage'), ('rate_per_10000', 'Rate per 10,000')], max_length=20)),
                        ('period_type', models.CharField(choices=[('snapshot', 'Snapshot'), ('year_to_date', 'Year to date'), ('rolling_year', 'Rolling year'), ('monthly_count', 'Monthly count')], max_length=20)),
                        ('polarity', models.CharField(blank=True, choices=[('higher', 'Higher is better'), ('lower', 'Lower is better')], help_text='Empty: inferred from the targets (a minimum above the upper target means lower is better), or not rated when they cannot say.', max_length=10)),
                        ('minimum', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('upper_target', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('tolerance', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('target_is_strict', models.BooleanField(default=False, help_text='The target itself is not met, as in "<10".')),
                        ('target_as_written', models.CharField(blank=True, max_length=100)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical indicator',
                        'verbose_name_plural': 'historical indicators',
                        'db_table': 'plans_historicalindicator',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Indicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(max_length=30, unique=True)),
                        ('area', models.CharField(max_length=100)),
                        ('title', models.TextField()),
                        ('unit', models.CharField(choices=[('number', 'Number'), ('percentage', 'Percentage'), ('rate_per_10000', 'Rate per 10,000')], max_length=20)),
                        ('period_type', models.CharField(choices=[('snapshot', 'Snapshot'), ('year_to_date', 'Year to date'), ('rolling_year', 'Rolling year'), ('monthly_count', 'Monthly count')], max_length=20)),
                        ('polarity', models.CharField(blank=True, choices=[('higher', 'Higher is better'), ('lower', 'Lower is better')], help_text='Empty: inferred from the targets (a minimum above the upper target means lower is better), or not rated when they cannot say.', max_length=10)),
                        ('minimum', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('upper_target', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('tolerance', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('target_is_strict', models.BooleanField(default=False, help_text='The target itself is not met, as in "<10".')),
                        ('target_as_written', models.CharField(blank=True, max_length=100)),
                        ('priority_areas', models.ManyToManyField(blank=True, db_table='plans_indicator_priority_areas', related_name='indicators', to='plans.priorityarea')),
                    ],
                    options={
                        'db_table': 'plans_indicator',
                        'ordering': ['reference'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalIndicatorValue',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('month', models.DateField(help_text='The first day of the month the figure is for.')),
                        ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('numerator', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('denominator', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('note', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator')),
                    ],
                    options={
                        'verbose_name': 'historical indicator value',
                        'verbose_name_plural': 'historical indicator values',
                        'db_table': 'plans_historicalindicatorvalue',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalIndicatorSummaryChoice',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('month', models.DateField()),
                        ('summary_list', models.CharField(choices=[('going_well', "What's going well"), ('ones_to_watch', 'Ones to watch'), ('do_better', 'What we need to do better'), ('left_out', 'Left out')], max_length=20)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('chosen_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator')),
                    ],
                    options={
                        'verbose_name': 'historical indicator summary choice',
                        'verbose_name_plural': 'historical indicator summary choices',
                        'db_table': 'plans_historicalindicatorsummarychoice',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalIndicator_priority_areas',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='indicators.historicalindicator')),
                        ('priorityarea', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.priorityarea')),
                        ('indicator', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator')),
                    ],
                    options={
                        'verbose_name': 'HistoricalIndicator_priority_areas',
                        'db_table': 'plans_historicalindicator_priority_areas',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalBenchmark',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('statistical_neighbours', 'Statistical neighbours'), ('south_east', 'South East'), ('england', 'England'), ('outturn', 'Outturn')], max_length=30)),
                        ('year', models.CharField(max_length=20)),
                        ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('indicator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.indicator')),
                    ],
                    options={
                        'verbose_name': 'historical benchmark',
                        'verbose_name_plural': 'historical benchmarks',
                        'db_table': 'plans_historicalbenchmark',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Benchmark',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('statistical_neighbours', 'Statistical neighbours'), ('south_east', 'South East'), ('england', 'England'), ('outturn', 'Outturn')], max_length=30)),
                        ('year', models.CharField(max_length=20)),
                        ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='benchmarks', to='indicators.indicator')),
                    ],
                    options={
                        'db_table': 'plans_benchmark',
                        'ordering': ['indicator', 'kind', 'year'],
                    },
                ),
                migrations.CreateModel(
                    name='IndicatorSummaryChoice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField()),
                        ('summary_list', models.CharField(choices=[('going_well', "What's going well"), ('ones_to_watch', 'Ones to watch'), ('do_better', 'What we need to do better'), ('left_out', 'Left out')], max_length=20)),
                        ('chosen_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='summary_choices', to='indicators.indicator')),
                    ],
                    options={
                        'db_table': 'plans_indicatorsummarychoice',
                    },
                ),
                migrations.CreateModel(
                    name='IndicatorValue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='The first day of the month the figure is for.')),
                        ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('numerator', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('denominator', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True)),
                        ('note', models.TextField(blank=True)),
                        ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='indicators.indicator')),
                    ],
                    options={
                        'db_table': 'plans_indicatorvalue',
                        'ordering': ['indicator', 'month'],
                    },
                ),
                migrations.CreateModel(
                    name='PendingIndicatorUpload',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('filename', models.CharField(max_length=255)),
                        ('content', models.BinaryField()),
                        ('expected', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'plans_pendingindicatorupload',
                    },
                ),
                migrations.AddConstraint(
                    model_name='indicator',
                    constraint=models.CheckConstraint(condition=models.Q(('tolerance__isnull', True), ('tolerance__gte', 0), _connector='OR'), name='indicator_tolerance_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='benchmark',
                    constraint=models.UniqueConstraint(fields=('indicator', 'kind', 'year'), name='one_benchmark_a_year'),
                ),
                migrations.AddConstraint(
                    model_name='indicatorsummarychoice',
                    constraint=models.UniqueConstraint(fields=('month', 'indicator'), name='one_summary_choice_a_month'),
                ),
                migrations.AddConstraint(
                    model_name='indicatorvalue',
                    constraint=models.UniqueConstraint(fields=('indicator', 'month'), name='one_value_a_month'),
                ),
                migrations.AddConstraint(
                    model_name='indicatorvalue',
                    constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='month_is_first_day'),
                ),
            ],
        ),
        rename_content_types(
            "plans", "indicators", ["indicator", "historicalindicator", "historicalindicator_priority_areas", "indicatorvalue", "historicalindicatorvalue", "benchmark", "historicalbenchmark", "pendingindicatorupload", "indicatorsummarychoice", "historicalindicatorsummarychoice"]
        ),
    ]
