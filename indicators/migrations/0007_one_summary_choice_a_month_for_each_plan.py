from django.db import migrations, models

from plans.history_index import newest_row_index_kept

TABLE = "plans_indicatorsummarychoice"


def keys_never_reused(apps, schema_editor):
    """SQLite rebuilt the table to add the constraint, which set its key counter back to the
    highest key in it: below those of choices deleted since, whose history a new choice would
    take on. Set it past every key the history holds."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM plans_historicalindicatorsummarychoice")
        (highest,) = cursor.fetchone()
        if highest is not None:
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                [TABLE, TABLE],
            )
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [highest, TABLE]
            )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0006_indicators_linked_to_plans")]

    operations = [
        migrations.AddConstraint(
            model_name="indicatorsummarychoice",
            constraint=models.UniqueConstraint(
                fields=("plan", "month", "indicator"), name="one_summary_choice_a_month"
            ),
        ),
        newest_row_index_kept("plans_historicalindicatorsummarychoice"),
        migrations.RunPython(keys_never_reused, migrations.RunPython.noop),
    ]
