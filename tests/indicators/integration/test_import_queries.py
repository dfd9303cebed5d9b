"""The indicator load writes in bulk: its queries do not grow with the file's rows, and every
record it creates or changes still gets its one history row."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.management.commands.bench import indicator_file
from indicators.importers import load_indicator_file, only_plan
from indicators.models import Indicator, IndicatorValue
from plans.accounts import system_account
from plans.importers import import_plan_file
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def revised(sheets: dict) -> dict:
    """Every figure one higher: a correction of each month."""
    sheets = {name: [list(row) for row in rows] for name, rows in sheets.items()}
    for row in sheets["Values"][1:]:
        if isinstance(row[2], int):
            row[2] += 1
    return sheets


def queries_to_load_correct_and_reload(values: int) -> tuple[list[int], int]:
    """Queries other than writes for each load, and the INSERTs and UPDATEs of all three."""
    sheets = indicator_file(values=values, today=TODAY)
    counts, inserts = [], 0
    for version in [sheets, revised(sheets), revised(sheets)]:
        with CaptureQueriesContext(connection) as queries:
            summary = load_indicator_file(
                plan=only_plan(), by=system_account(), filename="i.xlsx", content=xlsx(version)
            )
        statements = [query["sql"] for query in queries.captured_queries]
        counts.append(sum(not sql.startswith(("INSERT", "UPDATE")) for sql in statements))
        inserts += len(statements) - counts[-1]
    assert not summary.changed
    Indicator.objects.all().delete()
    return counts, inserts


def test_a_load_takes_the_same_number_of_queries_whatever_the_number_of_figures():
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))

    few, few_inserts = queries_to_load_correct_and_reload(40)
    many, many_inserts = queries_to_load_correct_and_reload(400)

    assert few == many
    # Writes go in batches (SQLite takes at most 999 parameters a statement), never row by row.
    assert many_inserts <= few_inserts + 15


def test_each_new_or_corrected_figure_gets_one_history_row_and_the_summary_says_so():
    sheets = indicator_file(values=72, today=TODAY)
    first = load_indicator_file(
        plan=only_plan(), by=system_account(), filename="i.xlsx", content=xlsx(sheets)
    )
    second = load_indicator_file(
        plan=only_plan(), by=system_account(), filename="i.xlsx", content=xlsx(revised(sheets))
    )

    assert (first.created["indicators"], first.created["values"]) == (2, 72)
    corrected = sum(isinstance(row[2], int) for row in sheets["Values"][1:])
    assert second.updated["values"] == len(second.changed_values) == corrected
    assert second.unchanged["values"] == 72 - corrected
    assert second.unchanged["indicators"] == 2
    corrected_months = {(row[0], row[1]) for row in sheets["Values"][1:] if isinstance(row[2], int)}
    values = IndicatorValue.objects.select_related("indicator")
    assert values.count() == 72
    for value in values:
        rows = list(value.history.order_by("history_id"))
        if (value.indicator.reference, value.month) in corrected_months:
            assert [row.history_type for row in rows] == ["+", "~"]
            assert rows[1].value == rows[0].value + 1 == value.value
        else:
            assert [row.history_type for row in rows] == ["+"]
