"""The index for reading each object's newest history row before a moment (plans.history_index)."""

from django.db import migrations

from plans.history_index import newest_row_index


class Migration(migrations.Migration):
    dependencies = [("plans", "0023_progress_updates_move_to_their_app")]

    operations = [
        newest_row_index("plans_historicalpost"),
        newest_row_index("plans_historicalpartner"),
        newest_row_index("plans_historicalplan"),
        newest_row_index("plans_historicalpriorityarea"),
        newest_row_index("plans_historicalobjective"),
        newest_row_index("plans_historicalaction"),
        newest_row_index("plans_historicalsuccesscriterion"),
        newest_row_index("plans_historicalinspectionreference"),
        newest_row_index("plans_historicalauditresult"),
        newest_row_index("plans_historicalboardmeeting"),
    ]
