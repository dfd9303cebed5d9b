"""The index for reading each object's newest history row before a moment (plans.history_index)."""

from django.db import migrations

from plans.history_index import newest_row_index


class Migration(migrations.Migration):
    dependencies = [("boards", "0003_papers_ratings")]

    operations = [
        newest_row_index("plans_historicalareaassessment"),
        newest_row_index("boards_historicaldecisionrequest"),
    ]
