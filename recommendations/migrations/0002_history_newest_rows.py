"""The index for reading each object's newest history row before a moment (plans.history_index)."""

from django.db import migrations

from plans.history_index import newest_row_index


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [
        newest_row_index("plans_historicalrecommendation"),
    ]
