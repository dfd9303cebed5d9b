import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from plans.accounts import system_account
from plans.exporters import export_plan
from plans.importers import import_plan_file
from plans.models import Action, ActionStatus, Objective, Plan, Post, SuccessCriterion
from plans.spreadsheets import WorkbookError
from plans.workbook_checks import ImportRejected
from progress.services import action_record_progress
from tests.factories import UserFactory
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db


def import_sheets(sheets, filename="plan.xlsx"):
    return import_plan_file(by=system_account(), filename=filename, content=xlsx(sheets))


def problems_of(sheets) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_sheets(sheets)
    return [str(problem) for problem in caught.value.problems]


def database_state():
    """Everything the import writes, to compare before and after."""
    return json.loads(export_plan(Plan.objects.get(), "json")[1])


def test_a_valid_plan_imports_every_record():
    summary = import_sheets(small_plan())

    plan = Plan.objects.get()
    assert plan.title == "Test Improvement Plan"
    assert plan.board_members == ["Chief Executive (Chair)", "Director of Children's Services"]
    assert summary.created["objectives"] == 2 and summary.created["actions"] == 3
    foster = Objective.objects.get(reference="2.1")
    assert foster.target_dates == [date(2025, 3, 31), date(2025, 6, 30)]
    assert foster.deadline == date(2025, 6, 30)
    assert {p.name for p in foster.responsible_posts.all()} == {
        "HoS Quality Assurance",
        "HoS Early Help",
    }
    assert Action.objects.get(reference="2.1.1").status == ActionStatus.ON_TRACK
    band = SuccessCriterion.objects.get(reference="1.1-a")
    assert (band.direction, band.red, band.amber, band.green) == ("higher", 50, 60, 70)


def test_reimporting_the_same_file_changes_nothing():
    import_sheets(small_plan())
    before = database_state()
    history_before = Action.history.count()

    summary = import_sheets(small_plan())

    assert not summary.changed
    assert database_state() == before
    assert Action.history.count() == history_before


def test_a_changed_file_updates_by_reference_and_never_duplicates():
    import_sheets(small_plan())
    changed = small_plan(**{"Actions!2!2": "We will audit every fortnight"})
    changed["Actions"].pop(2)  # 1.1.2 is no longer in the plan

    summary = import_sheets(changed)

    # Updated: the reworded action, and 2.1.1, which moved up a row.
    assert summary.updated["actions"] == 2 and summary.removed["actions"] == 1
    assert Action.objects.count() == 2
    assert Action.objects.get(reference="1.1.1").description == "We will audit every fortnight"
    # The removed action's history is kept.
    assert Action.history.filter(reference="1.1.2", history_type="-").exists()


def test_a_blank_status_keeps_what_the_owner_reported():
    import_sheets(small_plan())
    Action.objects.filter(reference="1.1.1").update(status=ActionStatus.AT_RISK)

    import_sheets(small_plan())

    assert Action.objects.get(reference="1.1.1").status == ActionStatus.AT_RISK


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "json"])
def test_export_then_import_is_a_round_trip(file_format):
    sheets = small_plan(**{"Actions!2!2": "=cmd|' /C calc'!A0 is text, not a formula"})
    import_sheets(sheets)
    before = database_state()
    filename, content = export_plan(Plan.objects.get(), file_format)

    summary = import_plan_file(by=system_account(), filename=filename, content=content)

    assert not summary.changed, str(summary)
    assert database_state() == before


def test_an_exported_spreadsheet_keeps_text_that_looks_like_a_formula_as_text():
    import_sheets(small_plan(**{"Actions!2!2": "=1+1"}))
    _, content = export_plan(Plan.objects.get(), "xlsx")

    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book["Actions"]["C2"].value == "=1+1"
    assert book["Actions"]["C2"].data_type == "s"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"Actions!3!4": "31/13/24"},
            "Sheet 'Actions', row 3, column 'Due date': '31/13/24' is not a date. Use DD/MM/YYYY",
        ),
        (
            {"Actions!2!1": "9.9"},
            "Sheet 'Actions', row 2, column 'Objective': '9.9' is not on the 'Objectives' sheet.",
        ),
        (
            {"Objectives!2!2": "HoS Early Hlep"},
            "Did you mean 'HoS Early Help'? Add it there or correct the spelling.",
        ),
        (
            {"Actions!4!5": "Nearly done"},
            "column 'Status': 'Nearly done' is not one of the allowed values. Use one of "
            "'Not started', 'On track', 'At risk', 'Off track', 'Complete'.",
        ),
        (
            {"Success criteria!2!6": 80},
            "column 'Red, Amber, Green': '50, 80, 70' are not in order. When higher is better, "
            "Red < Amber < Green.",
        ),
        (
            {"Success criteria!2!7": None},
            "column 'Green': is empty. A banded criterion needs Direction, Red, Amber and Green",
        ),
        (
            {"Objectives!3!0": "1.1"},
            "Sheet 'Objectives', row 3, column 'Reference': '1.1' is used twice (also on row 2).",
        ),
        (
            {"Objectives!2!4": ""},
            "column 'What we want to do differently or better': is empty. Fill it in",
        ),
        (
            {"Inspection references!2!3": "19"},
            "column 'Year': '19' is not a year. Write the four-digit year, such as 2019.",
        ),
        (
            {"Objectives!2!0": 1.1},
            "is stored as a number, so references such as 1.1 and 1.10 cannot be told apart.",
        ),
        (
            {"Plan!3!1": ""},
            "Sheet 'Plan', row 3, column 'Value': The plan's Title is empty. Fill it in.",
        ),
        (
            {"Actions!1!3": "Owner"},
            "Sheet 'Actions', row 1, column 'Owner': is not a column of this sheet.",
        ),
    ],
)
def test_a_file_with_a_bad_cell_is_rejected_whole_with_a_message_saying_what_to_do(
    change, expected
):
    messages = problems_of(small_plan(**change))

    assert any(expected in message for message in messages), messages
    assert not Plan.objects.exists() and not Post.objects.exists()


def test_every_problem_is_reported_at_once_and_nothing_is_written_over_the_old_plan():
    import_sheets(small_plan())
    before = database_state()
    bad = small_plan(**{"Actions!2!2": "Changed", "Actions!3!4": "someday", "Actions!4!5": "?"})

    messages = problems_of(bad)

    assert len(messages) == 2
    assert database_state() == before


def test_a_missing_sheet_is_named():
    sheets = small_plan()
    del sheets["Posts"]

    assert problems_of(sheets) == ["Sheet 'Posts': is missing. Add a sheet with this name."]


def test_percent_formatted_levels_are_read_as_percentages():
    book = openpyxl.load_workbook(io.BytesIO(xlsx(small_plan())))
    for column, level in zip("FGH", (0.5, 0.6, 0.7), strict=True):
        cell = book["Success criteria"][f"{column}2"]
        cell.value, cell.number_format = level, "0%"
    buffer = io.BytesIO()
    book.save(buffer)

    import_plan_file(by=system_account(), filename="plan.xlsx", content=buffer.getvalue())

    band = SuccessCriterion.objects.get(reference="1.1-a")
    assert (band.red, band.amber, band.green) == (Decimal(50), Decimal(60), Decimal(70))


def test_a_file_that_is_not_a_workbook_gets_a_clear_message():
    with pytest.raises(WorkbookError, match="Use the .xlsx import template"):
        import_plan_file(by=system_account(), filename="plan.docx", content=b"hello")
    with pytest.raises(WorkbookError, match="could not be read as a .xlsx file"):
        import_plan_file(by=system_account(), filename="plan.xlsx", content=b"not a zip")


def test_a_reimport_cannot_overrule_or_remove_what_an_owner_reported():
    import_sheets(small_plan())
    action = Action.objects.get(reference="2.1.1")
    action_record_progress(
        action=action, by=UserFactory(is_superuser=True), version=0,
        status=ActionStatus.OFF_TRACK, commentary="Stalled.", today=date(2024, 5, 1),
    )  # fmt: skip
    exported_then_edited = small_plan(**{"Actions!4!5": "Complete"})
    exported_then_edited["Actions"].pop(3)  # and drop 2.1.1 altogether

    messages = problems_of(small_plan(**{"Actions!4!5": "Complete"}))
    assert any("differs from what the owner of action 2.1.1 reported (Off track)" in m
               for m in messages)  # fmt: skip
    assert any("2.1.1" in m and "has progress updates" in m for m in problems_of(
        exported_then_edited))  # fmt: skip
    assert Action.objects.get(reference="2.1.1").status == ActionStatus.OFF_TRACK
    # Leaving the Status empty, or as reported, is fine.
    import_sheets(small_plan(**{"Actions!4!5": ""}))
    import_sheets(small_plan(**{"Actions!4!5": "Off track"}))
