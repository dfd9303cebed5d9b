# Recorded papers are the papers as a meeting had them, keyed by plan, as-at date and meeting
# only: the digest of the code that recorded them leaves their key (rows recorded twice, by two
# versions of the code, keep the latest). The table is unchanged.

import re

from django.db import migrations

CODE_VERSION = re.compile(r":[0-9a-f]{16}$")


def drop_the_code_version(apps, schema_editor):
    recorded_papers = apps.get_model("plans", "RecordedPapers")
    for row in recorded_papers.objects.order_by("-recorded_at", "-pk"):
        key = CODE_VERSION.sub("", row.key)
        if key == row.key:
            continue
        if recorded_papers.objects.filter(key=key).exists():
            row.delete()  # the same papers, recorded later by other code: that one is kept
        else:
            recorded_papers.objects.filter(pk=row.pk).update(key=key)


class Migration(migrations.Migration):
    dependencies = [("plans", "0018_reminders_move_to_their_app")]

    operations = [migrations.RunPython(drop_the_code_version, migrations.RunPython.noop)]
