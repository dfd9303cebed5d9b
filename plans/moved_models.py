"""For migrations that move models out of the plans app into an app of their own.

A move keeps each table where it is (the model's db_table): the migrations change Django's state
only. What does change in the database is the content types' app label, which permissions and the
admin's log point at; `rename_content_types` moves those rows too, so nothing loses its link.
"""

from django.db import migrations


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
