# The measures that matter move to their own app (indicators 0001). The tables stay where they
# are: this changes Django's state only, and writes no SQL.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0021_recommendations_move_to_their_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalbenchmark',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalbenchmark',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='historicalindicator',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalindicator_priority_areas',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalindicator_priority_areas',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='historicalindicator_priority_areas',
                    name='priorityarea',
                ),
                migrations.RemoveField(
                    model_name='historicalindicatorsummarychoice',
                    name='chosen_by',
                ),
                migrations.RemoveField(
                    model_name='historicalindicatorsummarychoice',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalindicatorsummarychoice',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='historicalindicatorvalue',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalindicatorvalue',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='indicator',
                    name='priority_areas',
                ),
                migrations.RemoveField(
                    model_name='indicatorvalue',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='indicatorsummarychoice',
                    name='indicator',
                ),
                migrations.RemoveField(
                    model_name='indicatorsummarychoice',
                    name='chosen_by',
                ),
                migrations.RemoveField(
                    model_name='pendingindicatorupload',
                    name='uploaded_by',
                ),
                migrations.DeleteModel(
                    name='Benchmark',
                ),
                migrations.DeleteModel(
                    name='HistoricalBenchmark',
                ),
                migrations.DeleteModel(
                    name='HistoricalIndicator',
                ),
                migrations.DeleteModel(
                    name='HistoricalIndicator_priority_areas',
                ),
                migrations.DeleteModel(
                    name='HistoricalIndicatorSummaryChoice',
                ),
                migrations.DeleteModel(
                    name='HistoricalIndicatorValue',
                ),
                migrations.DeleteModel(
                    name='IndicatorValue',
                ),
                migrations.DeleteModel(
                    name='Indicator',
                ),
                migrations.DeleteModel(
                    name='IndicatorSummaryChoice',
                ),
                migrations.DeleteModel(
                    name='PendingIndicatorUpload',
                ),
            ],
        ),
    ]
