"""Write the upgrade test's fixture: a demo database's every row, and the reports it gave.

The fixture stands for a council's database as the one-app layout left it. It was made once, at
the last commit of that layout (bb5ecee), and is committed beside this script:

    git worktree add /tmp/one-app bb5ecee && cp tests/upgrade/build_fixture.py /tmp/one-app/
    cd /tmp/one-app && DEMO_MODE=true DATABASE_URL=sqlite:////tmp/one-app.sqlite3 \
        uv run python build_fixture.py tests/upgrade/one-app-layout.json.gz

It reads the database through the app registry and the reports through `manage.py board_pack`,
so it names no module of the layout it runs in. The test (test_layout_upgrade.py) writes these
rows into a database migrated to the old layout, upgrades it, and expects every row, and every
report, unchanged.
"""

import base64
import datetime
import decimal
import gzip
import io
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

import django

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")


def encode(value):
    """A JSON value that says its Python type, so that the test writes back the same value."""
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, bytes | memoryview):
        return {"bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dict | list):
        return {"json": value}
    return value


def table_rows() -> dict:
    from django.apps import apps

    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        tables[model._meta.db_table] = {
            "model": model._meta.label_lower,
            "columns": columns,
            "rows": [[encode(value) for value in row] for row in rows],
        }
    return tables


def workbook_cells(content: bytes) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    return {
        sheet.title: [[encode(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def model(name: str):
    from django.apps import apps

    return next(m for m in apps.get_models() if m.__name__ == name)


def fill_the_empty_tables(today: datetime.date) -> None:
    """A row in each table the demo leaves empty, so that the test counts something in each."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    plan = model("Plan").objects.get()
    performance = User.objects.get(username="performance")
    month = today.replace(day=1)
    model("ReminderSettings").objects.create(plan=plan, due_soon_days=10)
    call_command("send_reminders", "--today", today.isoformat(), stdout=io.StringIO())
    criterion = model("SuccessCriterion").objects.filter(green__isnull=False).first()
    criterion = criterion or model("SuccessCriterion").objects.first()
    model("AuditResult").objects.create(
        criterion=criterion, month=month, audited=40, good_or_outstanding=27,
        recorded_by=performance,
    )  # fmt: skip
    model("IndicatorSummaryChoice").objects.create(
        month=month, indicator=model("Indicator").objects.first(), summary_list="ones_to_watch",
        chosen_by=performance,
    )  # fmt: skip
    board, panel = (
        model("BoardMeeting").objects.filter(committee=committee, date__lte=today).latest("date")
        for committee in ("Improvement Board", "Scrutiny Panel")
    )
    pack = model("PublishedPack")(
        meeting=board, kind="exception_report", as_at=board.date, sha256="0" * 64, size=9,
        published_by=performance,
    )  # fmt: skip
    pack.file.save("fixture.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    pack.save()
    model("PanelDecision").objects.create(
        recommendation=model("Recommendation").objects.first(), meeting=panel,
        decision="not_accepted", reason="More evidence is needed.", recorded_by=performance,
    )  # fmt: skip
    model("PendingIndicatorUpload").objects.create(
        uploaded_by=performance, filename="figures.xlsx", content=b"PK", expected="1 value"
    )
    call_command("record_papers", stdout=io.StringIO())
    session = SessionStore()
    session["_auth_user_id"] = str(performance.pk)
    session.create()
    LogEntry.objects.log_actions(
        user_id=performance.pk, queryset=model("Plan").objects.all(), action_flag=CHANGE,
        change_message="Changed the vision.", single_object=True,
    )  # fmt: skip
    ContentType.objects.clear_cache()


def reports(today: datetime.date) -> dict:
    """The board pack for every past meeting, and the report every three weeks back 18 weeks."""
    from django.apps import apps
    from django.core.management import call_command

    meeting_model = next(m for m in apps.get_models() if m.__name__ == "BoardMeeting")
    runs = {}
    for meeting in meeting_model.objects.filter(date__lte=today).order_by("date", "pk"):
        runs[f"meeting {meeting.pk} ({meeting.committee}, {meeting.date})"] = [
            "--meeting",
            str(meeting.pk),
        ]
    for weeks_back in range(3, 19, 3):
        as_at = today - datetime.timedelta(weeks=weeks_back)
        runs[f"as at {as_at}"] = ["--as-at", as_at.isoformat()]
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pack"
        for name, arguments in runs.items():
            for file_format in ("csv", "xlsx"):
                call_command("board_pack", *arguments, "--format", file_format, "--out", str(out),
                             stdout=io.StringIO())  # fmt: skip
                content = out.read_bytes()
                if file_format == "csv":
                    content = content.decode()
                else:
                    content = workbook_cells(content)
                found[f"{name} {file_format}"] = {
                    "arguments": [*arguments, "--format", file_format],
                    "content": content,
                }
    return found


def main(out: Path) -> None:
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", "--no-input", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    fill_the_empty_tables(today)
    fixture = {"today": today.isoformat(), "tables": table_rows(), "reports": reports(today)}
    out.write_bytes(gzip.compress(json.dumps(fixture, sort_keys=True).encode(), mtime=0))
    counts = sum(len(table["rows"]) for table in fixture["tables"].values())
    print(f"Wrote {out}: {len(fixture['tables'])} tables, {counts} rows, "
          f"{len(fixture['reports'])} reports, as at {today}.")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]))
