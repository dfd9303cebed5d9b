"""A pending upload's file moves out of the database row into storage, with its checksum: each
row's bytes are written to a file first, then the column goes (and back again on reversal)."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import indicators.models


def to_files(apps, schema_editor):
    pending_uploads = apps.get_model("indicators", "PendingIndicatorUpload")
    for pending in pending_uploads.objects.all():
        content = bytes(pending.content)
        name = default_storage.save(
            f"pending-uploads/{uuid.uuid4().hex}", ContentFile(content)
        )
        pending.file, pending.size = name, len(content)
        pending.sha256 = hashlib.sha256(content).hexdigest()
        pending.save(update_fields=["file", "size", "sha256"])


def to_rows(apps, schema_editor):
    pending_uploads = apps.get_model("indicators", "PendingIndicatorUpload")
    for pending in pending_uploads.objects.all():
        with default_storage.open(pending.file.name, "rb") as stored:
            pending.content = stored.read()
        pending.save(update_fields=["content"])
        default_storage.delete(pending.file.name)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_history_newest_rows")]

    operations = [
        migrations.AddField(
            model_name="pendingindicatorupload",
            name="file",
            field=models.FileField(
                default="", max_length=200, upload_to=indicators.models.pending_upload_to
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pendingindicatorupload",
            name="sha256",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="pendingindicatorupload",
            name="size",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="pendingindicatorupload",
            name="content",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(to_files, to_rows),
        migrations.RemoveField(model_name="pendingindicatorupload", name="content"),
    ]
