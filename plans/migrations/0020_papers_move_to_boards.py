# What a meeting receives moves to the boards app (boards 0001). The tables stay where they are:
# this changes Django's state only, and writes no SQL.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0019_recorded_papers_keyed_by_meeting'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalareaassessment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalareaassessment',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='historicalareaassessment',
                    name='priority_area',
                ),
                migrations.RemoveField(
                    model_name='historicalareaassessment',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='publishedpack',
                    name='meeting',
                ),
                migrations.RemoveField(
                    model_name='publishedpack',
                    name='published_by',
                ),
                migrations.RemoveField(
                    model_name='recordedpapers',
                    name='plan',
                ),
                migrations.DeleteModel(
                    name='AreaAssessment',
                ),
                migrations.DeleteModel(
                    name='HistoricalAreaAssessment',
                ),
                migrations.DeleteModel(
                    name='PublishedPack',
                ),
                migrations.DeleteModel(
                    name='RecordedPapers',
                ),
            ],
        ),
    ]
