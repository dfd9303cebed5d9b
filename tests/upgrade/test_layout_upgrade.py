"""A council's database from the one-app layout upgrades to the apps with nothing lost.

The fixture (build_fixture.py says how it was made) holds every row of a demo database as the
one-app layout wrote it, and the board packs it gave. The test migrates an empty database back to
that layout, writes the rows in, runs `migrate` as an upgrade would, and expects every row of every
table, history included, unchanged, and every report as it was.
"""

import base64
import csv
import datetime
import decimal
import gzip
import io
import json
import re
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from openpyxl import load_workbook

from plans.documents import sha256_hex

FIXTURE = Path(__file__).with_name("one-app-layout.json.gz")

# The one-app layout's last migration, and the apps that did not exist then (unapplied, so that
# the database is as that layout left it).
ONE_APP_LAYOUT = [("plans", "0017_recorded_papers")]
APPS_SINCE = ["progress", "indicators", "reminders", "recommendations", "boards"]
# Models that left the plans app: their content types take the new app label (and keep their
# ids, so permissions and the admin's log still point at them). Nothing else may change.
MOVED_FROM_PLANS = {
    "reminder": "reminders",
    "remindersettings": "reminders",
    "historicalremindersettings": "reminders",
    "areaassessment": "boards",
    "historicalareaassessment": "boards",
    "publishedpack": "boards",
    "recordedpapers": "boards",
    "recommendation": "recommendations",
    "historicalrecommendation": "recommendations",
    "historicalrecommendation_objectives": "recommendations",
    "historicalrecommendation_responsible_posts": "recommendations",
    "recommendationupdate": "recommendations",
    "paneldecision": "recommendations",
    "progressupdate": "progress",
    **{
        model: "indicators"
        for model in [
            "indicator",
            "historicalindicator",
            "historicalindicator_priority_areas",
            "indicatorvalue",
            "historicalindicatorvalue",
            "benchmark",
            "historicalbenchmark",
            "pendingindicatorupload",
            "indicatorsummarychoice",
            "historicalindicatorsummarychoice",
        ]  # fmt: skip
    },
}

pytestmark = pytest.mark.django_db(transaction=True)


def decode(value):
    if not isinstance(value, dict):
        return value
    ((kind, text),) = value.items()
    return {
        "datetime": datetime.datetime.fromisoformat,
        "date": datetime.date.fromisoformat,
        "time": datetime.time.fromisoformat,
        "decimal": decimal.Decimal,
        "uuid": uuid.UUID,
        "bytes": base64.b64decode,
        "json": lambda found: found,
    }[kind](text)


@pytest.fixture(scope="module")
def fixture():
    return json.loads(gzip.decompress(FIXTURE.read_bytes()))


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def one_app_layout_nodes() -> list[tuple[str, str]]:
    """Every app's last migration as the one-app layout had them."""
    layout = dict(ONE_APP_LAYOUT)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [(app, layout.get(app, name)) for app, name in leaves if app not in APPS_SINCE]


def load_rows_at_the_old_layout(tables: dict) -> None:
    """Migrate back to the one-app layout and write the fixture's rows with its models."""
    nodes = one_app_layout_nodes()
    migrate(nodes + [(app, None) for app in APPS_SINCE])
    old_apps = MigrationExecutor(connection).loader.project_state(nodes, at_end=True).apps
    models = {
        model._meta.db_table: model
        for model in old_apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }
    assert set(models) == set(tables), "the old layout's tables are the fixture's tables"
    with transaction.atomic():
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), list(tables), allow_cascade=True)
        )
        for table, found in tables.items():
            model = models[table]
            model._base_manager.bulk_create(
                model(**dict(zip(found["columns"], map(decode, row), strict=True)))
                for row in found["rows"]
            )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
            cursor.execute(statement)


def current_rows(table: str, columns: list[str]) -> list[list]:
    if table == "plans_pendingindicatorupload":
        columns = [column for column in columns if column != "content"]
    model = next(
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table == table
    )
    rows = model._base_manager.order_by("pk").values_list(*columns)
    return [[bytes(v) if isinstance(v, memoryview) else v for v in row] for row in rows]


def relabelled(content_type: dict) -> list:
    if content_type["app_label"] == "plans" and content_type["model"] in MOVED_FROM_PLANS:
        content_type["app_label"] = MOVED_FROM_PLANS[content_type["model"]]
    return list(content_type.values())


def without_code_version(columns: list[str], row: list) -> list:
    """Recorded papers are keyed by their meeting alone (plans 0019): the code's digest goes."""
    values = dict(zip(columns, row, strict=True))
    values["key"] = re.sub(r":[0-9a-f]{16}$", "", values["key"])
    return list(values.values())


def workbook_cells(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def board_pack(arguments: list[str], tmp_path: Path):
    out = tmp_path / "pack"
    call_command("board_pack", *arguments, "--out", str(out), stdout=io.StringIO())
    if arguments[-1] == "csv":
        return out.read_bytes().decode()
    return workbook_cells(out.read_bytes())


# Issue 26 changed the exception rows' layout on purpose: a first column says which part of the
# report a row is in (the rows follow the report's reading order), a last column gives its
# ratings at earlier boards, and the pack's workbook gained a sheet of decisions asked of the
# board (none in a database from before). The old columns keep every value.
ADDED_FIRST, ADDED_LAST = "Section", "Ratings at earlier boards"


def in_the_old_layout(rows: list[list]) -> list[list]:
    """The exception rows with only the one-app layout's columns, header first, then sorted."""
    header, *body = rows
    assert (header[0], header[-1]) == (ADDED_FIRST, ADDED_LAST)
    return [header[1:-1], *sorted((row[1:-1] for row in body), key=repr)]


def old_rows(rows: list[list]) -> list[list]:
    header, *body = rows
    return [header, *sorted(body, key=repr)]


def as_the_old_layout_wrote_it(content, expected):
    """`content` (a new file) and `expected` (the old one's) in a form they can be compared."""
    if isinstance(content, str):
        new = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
        old = list(csv.reader(io.StringIO(expected.lstrip("\ufeff"))))
        return in_the_old_layout(new), old_rows(old)
    content = dict(content)
    assert content.pop("Decisions asked", [["Decision needed"]])[1:] == []
    # Issue 27: a sheet of figures revised since the previous papers (none in the fixture).
    assert content.pop("Revised figures", [["Reference"]])[1:] == []
    content["Exceptions"] = in_the_old_layout(content["Exceptions"])
    expected = dict(expected) | {"Exceptions": old_rows(expected["Exceptions"])}
    return content, expected


def held_as_files(columns: list[str], rows: list[list]) -> list[list]:
    """Pending uploads moved their bytes to a file with its checksum (indicators 0003): each
    file holds exactly the bytes the row held, and the row is otherwise as it was."""
    model = apps.get_model("indicators", "PendingIndicatorUpload")
    kept = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        held = model.objects.get(pk=values["id"])
        with held.file.open("rb") as stored:
            assert stored.read() == values["content"]
        assert (held.sha256, held.size) == (sha256_hex(values["content"]), len(values["content"]))
        kept.append([value for name, value in values.items() if name != "content"])
    return kept


def test_every_row_and_every_report_survive_the_upgrade(fixture, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tables = fixture["tables"]
    load_rows_at_the_old_layout(tables)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        for table, found in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert cursor.fetchone()[0] == len(found["rows"]), table
    for table, found in tables.items():
        expected = [[decode(value) for value in row] for row in found["rows"]]
        if table == "django_content_type":
            expected = [
                relabelled(dict(zip(found["columns"], row, strict=True))) for row in expected
            ]
        if table == "plans_recordedpapers":
            expected = [without_code_version(found["columns"], row) for row in expected]
        if table == "plans_pendingindicatorupload":
            expected = held_as_files(found["columns"], expected)
        assert current_rows(table, found["columns"]) == expected, table

    moment = datetime.datetime.fromisoformat(fixture["today"]).replace(
        hour=12, tzinfo=ZoneInfo("Europe/London")
    )
    with time_machine.travel(moment, tick=False):
        for name, report in fixture["reports"].items():
            content = report["content"]
            if isinstance(content, dict):
                content = {
                    sheet: [[decode(cell) for cell in row] for row in rows]
                    for sheet, rows in content.items()
                }
            found, expected = as_the_old_layout_wrote_it(
                board_pack(report["arguments"], tmp_path), content
            )
            assert found == expected, name
