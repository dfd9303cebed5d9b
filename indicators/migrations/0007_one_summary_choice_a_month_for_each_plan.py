from django.db import migrations, models

from plans.history_index import newest_row_index_kept


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
    ]
