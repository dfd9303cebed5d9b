"""An index of each action's updates without commentary, for the reports (progress.as_at)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(
                condition=models.Q(("commentary", "")),
                fields=["action", "version"],
                name="update_without_commentary",
            ),
        ),
    ]
