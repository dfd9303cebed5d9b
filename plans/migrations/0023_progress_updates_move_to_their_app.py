# Progress updates move to their own app (progress 0001). The table stays where it is: this
# changes Django's state only, and writes no SQL.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0022_indicators_move_to_their_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(
                    name='ProgressUpdate',
                ),
            ],
        ),
    ]
