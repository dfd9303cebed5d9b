# Reminders move to their own app (reminders 0001). Their tables stay where they are: this
# changes Django's state only, and writes no SQL.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0017_recorded_papers'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='reminder',
                    name='actions',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='remindersettings',
                    name='plan',
                ),
                migrations.DeleteModel(
                    name='HistoricalReminderSettings',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
                migrations.DeleteModel(
                    name='ReminderSettings',
                ),
            ],
        ),
    ]
