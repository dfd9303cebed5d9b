"""For migrations that move models out of the plans app into an app of their own.

A move keeps each table where it is (the model's db_table): the migrations change Django's state
only. What does change in the database is the content types' app label, which permissions and the
admin's log point at; `rename_content_types` moves those rows too, so nothing loses its link.
"""

from django.db import migrations
from simple_history.models import HistoricalRecords


class KeptHistoricalRecords(HistoricalRecords):
    """History of a model that moved out of the plans app, whose tables keep their old names:
    `table_name` names the history table, and this names the many-to-many fields' history tables
    (`m2m_fields`), which django-simple-history would otherwise name after the new app."""

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        options["db_table"] = f"plans_{self.get_history_model_name(through_model).lower()}"
        return options


def rename_content_types(old_app: str, new_app: str, models: list[str]):
    """A migration operation that gives the models' content types their new app label (and back)."""

    def relabel(apps, from_app: str, to_app: str):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not content_type.objects.filter(app_label=to_app, model=model).exists():
                content_type.objects.filter(app_label=from_app, model=model).update(
                    app_label=to_app
                )

    return migrations.RunPython(
        lambda apps, schema_editor: relabel(apps, old_app, new_app),
        lambda apps, schema_editor: relabel(apps, new_app, old_app),
    )
