"""Files other councils might send: odd cells that must be refused clearly or read faithfully."""

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from plans import spreadsheets, workbook
from plans.accounts import system_account
from plans.exporters import export_plan
from plans.importers import import_plan_file
from plans.models import Action, Objective, Plan, SuccessCriterion
from plans.spreadsheets import WorkbookError
from plans.workbook_checks import ImportRejected
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db


def problems_in(content: bytes, filename="plan.xlsx") -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_plan_file(by=system_account(), filename=filename, content=content)
    assert not Plan.objects.exists()
    return [str(problem) for problem in caught.value.problems]


def edited(sheets, edit) -> bytes:
    """Open the workbook with openpyxl, let `edit(book)` change it, and save it again."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx(sheets)))
    edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((50.001, 50.004, 70), "'50.001' has too many digits. Use at most two decimal places"),
        ((50, 60, 1e12), "has too many digits."),
    ],
)
def test_band_levels_the_database_cannot_hold_are_refused(levels, expected):
    sheets = small_plan()
    sheets["Success criteria"][1][5:8] = list(levels)
    assert any(expected in message for message in problems_in(xlsx(sheets)))


def test_levels_with_two_decimal_places_round_trip_exactly():
    sheets = small_plan()
    sheets["Success criteria"][1][5:8] = [50.5, 60.25, 70]
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(sheets))
    for file_format in ["xlsx", "csv", "json"]:
        filename, content = export_plan(Plan.objects.get(), file_format)
        assert not import_plan_file(by=system_account(), filename=filename, content=content).changed


def test_text_longer_than_its_column_is_refused_before_anything_is_written():
    messages = problems_in(xlsx(small_plan(**{"Priority areas!2!0": "A" * 40})))
    assert any("is 40 characters long; this column takes at most 20" in m for m in messages)


def test_a_cross_reference_typed_as_a_number_is_refused_not_guessed():
    # Excel turns 1.10 into 1.1; the action must not be tied to objective 1.1 by accident.
    messages = problems_in(xlsx(small_plan(**{"Actions!2!1": 1.1})))
    assert any("column 'Objective'" in m and "is stored as a number" in m for m in messages)


def test_percent_formatted_levels_are_read_whatever_the_heading_case():
    def upper_case_percent_levels(book):
        sheet = book["Success criteria"]
        for column, level in zip("FGH", (0.5, 0.6, 0.7), strict=True):
            sheet[f"{column}1"].value = sheet[f"{column}1"].value.upper()
            sheet[f"{column}2"].value, sheet[f"{column}2"].number_format = level, "0%"

    import_plan_file(
        by=system_account(),
        filename="plan.xlsx",
        content=edited(small_plan(), upper_case_percent_levels),
    )

    band = SuccessCriterion.objects.get(reference="1.1-a")
    assert (band.red, band.amber, band.green) == (50, 60, 70)


def test_a_year_with_odd_digits_is_refused():
    messages = problems_in(xlsx(small_plan(**{"Inspection references!2!3": "2019²"})))
    assert any("is not a year" in m for m in messages)


def test_word_line_breaks_and_control_characters_are_cleaned_so_exports_work():
    sheets = small_plan(**{"Actions!2!2": "First\x0bSecond\x07"})
    content = workbook.write_json(sheets)
    import_plan_file(by=system_account(), filename="plan.json", content=content)

    assert Action.objects.get(reference="1.1.1").description == "First\nSecond"
    filename, exported = export_plan(Plan.objects.get(), "xlsx")
    assert not import_plan_file(by=system_account(), filename=filename, content=exported).changed


@pytest.mark.parametrize("text", ["'=already quoted", "-not a formula", "'plain apostrophe"])
def test_csv_export_keeps_text_that_starts_with_an_apostrophe_or_formula_sign(text):
    import_plan_file(
        by=system_account(), filename="plan.xlsx", content=xlsx(small_plan(**{"Actions!2!2": text}))
    )
    filename, content = export_plan(Plan.objects.get(), "csv")

    assert not import_plan_file(by=system_account(), filename=filename, content=content).changed
    assert Action.objects.get(reference="1.1.1").description == text


def test_a_formula_whose_result_was_never_saved_is_reported():
    def add_formula(book):
        book["Actions"]["E2"].value = "=DATE(2024,9,30)"  # openpyxl saves no result

    messages = problems_in(edited(small_plan(), add_formula))
    assert any(
        "Sheet 'Actions', row 2, column 'Due date':" in m and "never saved" in m for m in messages
    )


def test_merged_cells_are_reported_not_read_as_empty():
    def merge_partners(book):
        book["Objectives"].merge_cells("J2:J3")

    messages = problems_in(edited(small_plan(), merge_partners))
    assert any("Cells J2:J3 are merged" in m and "column 'Key partners'" in m for m in messages)


def test_a_missing_optional_column_is_reported_so_it_cannot_blank_existing_values():
    sheets = small_plan()
    for row in sheets["Actions"]:
        del row[4]  # the Due date column
    messages = problems_in(xlsx(sheets))
    assert "Sheet 'Actions', row 1, column 'Due date': is missing." in messages[0]


def test_a_missing_plan_field_row_is_reported():
    sheets = small_plan()
    del sheets["Plan"][5]  # Vision
    messages = problems_in(xlsx(sheets))
    assert any("The plan's 'Vision' row is missing" in m for m in messages)


def test_a_file_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 10_000)
    with pytest.raises(WorkbookError, match="unpacks to"):
        import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))


def test_a_sheet_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    with pytest.raises(WorkbookError, match="Sheet 'Plan' has data in row 4"):
        import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))


def test_a_csv_not_saved_as_utf8_says_how_to_save_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Plan.csv", "Field,Value\nTitle,Caf\xe9 plan\n".encode("cp1252"))
    with pytest.raises(WorkbookError, match="CSV UTF-8"):
        import_plan_file(by=system_account(), filename="plan.zip", content=buffer.getvalue())


def test_a_date_in_a_text_column_is_kept_as_a_uk_date():
    import_plan_file(
        by=system_account(),
        filename="plan.xlsx",
        content=xlsx(small_plan(**{"Objectives!2!8": date(2021, 9, 30)})),
    )
    assert Objective.objects.get(reference="1.1").target_date_note == "30/09/2021"
