"""The plan workbook's sheets and columns, and writing sheets as XLSX, zipped CSV or JSON.

Files are read by plans.spreadsheets; what the cells mean is checked in plans.workbook_checks.
docs/import-template.md describes the same sheets for people.
"""

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

PLAN_SHEET = "Plan"
PLAN_FIELDS = [
    "Reference",
    "Title",
    "Organisation",
    "Period",
    "Vision",
    "Governance",
    "Board membership",
    "Published",
]

# Sheet name -> its columns, in the order they are written.
SHEETS: dict[str, list[str]] = {
    PLAN_SHEET: ["Field", "Value"],
    "Priority areas": [
        "Reference",
        "Title",
        "How we will provide assurance",
        "Linked service delivery plans",
    ],
    "Posts": ["Post", "Description"],
    "Objectives": [
        "Reference",
        "Priority area",
        "Responsible posts",
        "Responsible officers as written",
        "What we want to do differently or better",
        "The outcome we want to achieve",
        "Target date",
        "Second target date",
        "Target date note",
        "Key partners",
    ],
    "Actions": ["Reference", "Objective", "Action", "Owners", "Due date", "Status"],
    "Success criteria": [
        "Reference",
        "Objective",
        "Criterion",
        "Unit",
        "Direction",
        "Red",
        "Amber",
        "Green",
    ],
    "Inspection references": ["Reference", "Objective", "Source", "Year", "Kind", "Text"],
}

# A spreadsheet program runs a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet cannot hold (all control characters but tab and newline).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text as stored: Windows and Word line breaks become newlines, control characters go."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()


def blank_template_sheets() -> dict[str, list[list[Any]]]:
    """Every sheet with its headings; the Plan sheet also lists its fields, to be filled in."""
    sheets = {name: [columns] for name, columns in SHEETS.items()}
    sheets[PLAN_SHEET] += [[field, None] for field in PLAN_FIELDS]
    return sheets


# Long text wraps in a column this many characters wide, so a commentary is readable in Excel.
WIDEST = 60


def _column_widths(grid: list[list[Any]]) -> dict[int, int]:
    """Each column as wide as its longest line (dates as 10), up to WIDEST."""
    widths: dict[int, int] = {}
    for values in grid[:500]:  # enough rows to judge; a long sheet is not measured to its end
        for index, value in enumerate(values):
            if value is None:
                continue
            text = "01/01/2000" if isinstance(value, date) else str(value)
            longest = max(map(len, text.splitlines()), default=0)
            widths[index] = min(max(widths.get(index, 0), longest), WIDEST)
    return widths


def write_xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """Write sheets of rows (the heading row first) as an .xlsx workbook: headings bold, the
    first row frozen, dates as 31/03/2027, long or multi-line text wrapped, columns fitted.
    Through XlsxWriter, which writes a report's workbook in about a third of openpyxl's time."""
    buffer = io.BytesIO()
    # Text stays text, even when it starts with "=" or looks like a number or an address.
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
         "strings_to_urls": False},
    )  # fmt: skip
    heading = book.add_format({"bold": True})
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "DD/MM/YYYY"})
    for name, grid in sheets.items():
        worksheet = book.add_worksheet(name)
        for row, values in enumerate(grid):
            for column, value in enumerate(values):
                if value is None or value == "":  # an empty cell, as spreadsheets have it
                    continue
                if isinstance(value, str):
                    if not value.isprintable():  # a quick look first
                        value = CONTROL_CHARACTERS.sub("", value)
                    long = len(value) > WIDEST or "\n" in value
                    style = heading if row == 0 else wrapped if long else None
                    worksheet.write_string(row, column, value, style)
                elif isinstance(value, date):
                    worksheet.write_datetime(row, column, value, heading if row == 0 else day)
                elif isinstance(value, bool):
                    worksheet.write_boolean(row, column, value)
                else:
                    worksheet.write_number(row, column, value, heading if row == 0 else None)
        worksheet.freeze_panes(1, 0)
        for column, width in _column_widths(grid).items():
            worksheet.set_column(column, column, width + 2)
    book.close()
    return buffer.getvalue()


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, "'")):
        return "'" + value  # shown as text by spreadsheet programs; removed again on import
    return str(value)


def write_csv(grid: list[list[Any]]) -> bytes:
    """One table as CSV (UTF-8 with a byte-order mark, so Excel reads it correctly)."""
    text = io.StringIO()
    writer = csv.writer(text)
    for values in grid:
        writer.writerow([_csv_cell(v) for v in values])
    return text.getvalue().encode("utf-8-sig")


def write_csv_zip(sheets: dict[str, list[list[Any]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, grid in sheets.items():
            text = io.StringIO()
            writer = csv.writer(text)
            for values in grid:
                writer.writerow([_csv_cell(v) for v in values])
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_json(sheets: dict[str, list[list[Any]]]) -> bytes:
    data = {
        name: [dict(zip(grid[0], map(_json_value, values), strict=True)) for values in grid[1:]]
        for name, grid in sheets.items()
    }
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


WRITERS = {"xlsx": write_xlsx, "csv": write_csv_zip, "json": write_json}
FILE_SUFFIX = {"xlsx": "xlsx", "csv": "zip", "json": "json"}
