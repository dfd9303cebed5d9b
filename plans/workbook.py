"""The plan workbook's sheets and columns, and reading and writing them as XLSX, zipped CSV or JSON.

This module knows file formats only; what the cells mean is checked in plans.importers.
docs/import-template.md describes the same sheets for people.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# openpyxl parses with defusedxml when it is installed (it is a dependency): uploads cannot
# carry XML entity bombs.
import openpyxl
import openpyxl.styles
from openpyxl.utils import get_column_letter

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
# Limits that keep a small upload from unpacking into gigabytes (xlsx files are zips too).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
# Characters a spreadsheet cannot hold (all control characters but tab and newline).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Text as stored: Windows and Word line breaks become newlines, control characters go."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()


class WorkbookError(Exception):
    """The file cannot be read as a plan workbook at all."""


@dataclass(frozen=True)
class Row:
    number: int  # as the user sees it: the heading row is 1
    cells: dict[str, Any]  # heading as written -> value
    percent_columns: frozenset[str] = frozenset()  # cells formatted as a percentage in Excel


@dataclass(frozen=True)
class CellProblem:
    """Something wrong with the file's cells that no value check would see (merges, formulas)."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Sheet:
    name: str
    headings: list[str]
    rows: list[Row]
    cell_problems: tuple[CellProblem, ...] = ()


def read_sheets(filename: str, content: bytes) -> dict[str, Sheet]:
    """Read every sheet of an .xlsx, .zip (of CSV files) or .json file into rows of cells."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    readers = {"xlsx": _read_xlsx, "zip": _read_csv_zip, "json": _read_json}
    if suffix not in readers:
        raise WorkbookError(
            f"'{filename}' is not a plan file. Use the .xlsx import template "
            "(or a .zip of CSV files or a .json file from 'export_plan')."
        )
    try:
        if suffix in ("xlsx", "zip"):
            _check_unpacked_size(filename, content)
        return readers[suffix](content)
    except WorkbookError:
        raise
    except Exception as error:
        raise WorkbookError(
            f"'{filename}' could not be read as a .{suffix} file ({error.__class__.__name__}). "
            "Save it again from the template and try once more."
        ) from error


def _check_unpacked_size(filename: str, content: bytes):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(
            f"'{filename}' unpacks to {unpacked // (1024 * 1024)} MB, more than a plan needs "
            f"(at most {MAX_UNPACKED_BYTES // (1024 * 1024)} MB). Remove images, unused sheets "
            "and formatting from unused rows, then try again."
        )


def _check_row_count(name: str, rows: int):
    if rows > MAX_ROWS + 1:
        raise WorkbookError(
            f"Sheet '{name}' reaches row {rows:,}; a sheet may have at most {MAX_ROWS:,} rows "
            "below its headings. Delete the unused rows below your data and try again."
        )


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows_from_grid(grid, percent_grid=None) -> tuple[list[str], list[Row]]:
    grid = list(grid)
    if not grid:
        return [], []
    headings = ["" if h is None else str(h).strip() for h in grid[0]]
    rows = []
    for index, values in enumerate(grid[1:], start=2):
        values = list(values)
        if all(_is_blank(v) for v in values):
            continue
        cells = {h: v for h, v in zip(headings, values, strict=False) if h}
        percents = frozenset()
        if percent_grid is not None:
            flags = percent_grid[index - 1]
            percents = frozenset(h for h, flag in zip(headings, flags, strict=False) if h and flag)
        rows.append(Row(number=index, cells=cells, percent_columns=percents))
    return headings, rows


def _read_xlsx(content: bytes) -> dict[str, Sheet]:
    # The cells themselves: values, formats, formulas and merges. A formula's result as last
    # saved needs a second reading (data_only), made only for a file that has formulas.
    cells_book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    has_formulas = any(
        cell.data_type == "f"
        for worksheet in cells_book.worksheets
        for row in worksheet.iter_rows()
        for cell in row
    )
    values_book = (
        openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        if has_formulas
        else None
    )
    sheets = {}
    try:
        for structure in cells_book.worksheets:
            name = structure.title.strip()
            _check_row_count(name, structure.max_row)
            worksheet = values_book[structure.title] if values_book else structure
            values, percents = [], []
            for cells in worksheet.iter_rows(max_row=structure.max_row):
                values.append([cell.value for cell in cells])
                percents.append(
                    [
                        isinstance(cell.value, int | float)
                        and "%" in (getattr(cell, "number_format", "") or "")
                        for cell in cells
                    ]
                )
            headings, rows = _rows_from_grid(values, percents)
            problems = _merged_and_unsaved_cells(structure, values, headings)
            sheets[name] = Sheet(name, headings, rows, problems)
    finally:
        if values_book is not None:
            values_book.close()
    return sheets


def _merged_and_unsaved_cells(structure, values, headings) -> tuple[CellProblem, ...]:
    def heading(column: int) -> str:
        return (
            headings[column - 1]
            if column <= len(headings) and headings[column - 1]
            else (openpyxl.utils.get_column_letter(column))
        )

    problems = [
        CellProblem(
            merged.min_row,
            heading(merged.min_col),
            f"Cells {merged.coord} are merged, so only the first holds a value. Unmerge them "
            "and fill in every cell.",
        )
        for merged in structure.merged_cells.ranges
    ]
    for row in structure.iter_rows():
        for cell in row:
            if cell.data_type != "f":
                continue
            saved = values[cell.row - 1][cell.column - 1] if cell.row <= len(values) else None
            if saved is None:
                problems.append(
                    CellProblem(
                        cell.row,
                        heading(cell.column),
                        "holds a formula whose result was never saved. Open the file in a "
                        "spreadsheet program and save it, or type the value in.",
                    )
                )
    return tuple(problems)


def _unescape_csv(value: str) -> str:
    # Undo the apostrophe the CSV writer puts before a formula-like (or apostrophe) cell.
    if value.startswith("'") and value[1:].startswith((*FORMULA_TRIGGERS, "'")):
        return value[1:]
    return value


def _read_csv_zip(content: bytes) -> dict[str, Sheet]:
    sheets = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".csv"):
                continue
            name = info.filename.rsplit("/", 1)[-1][: -len(".csv")].strip()
            try:
                text = archive.read(info).decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise WorkbookError(
                    f"'{info.filename}' is not saved as UTF-8. In Excel, save it as "
                    "'CSV UTF-8 (Comma delimited)' and try again."
                ) from error
            grid = [[_unescape_csv(v) for v in row] for row in csv.reader(io.StringIO(text))]
            _check_row_count(name, len(grid))
            headings, rows = _rows_from_grid(grid)
            sheets[name] = Sheet(name, headings, rows)
    if not sheets:
        raise WorkbookError("The .zip file holds no .csv files. Put one CSV file per sheet in it.")
    return sheets


def _read_json(content: bytes) -> dict[str, Sheet]:
    data = json.loads(content.decode("utf-8-sig"))
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise WorkbookError(
            'The .json file must be an object of sheets: {"Sheet name": [{"Column": value}]}.'
        )
    sheets = {}
    for name, records in data.items():
        if not all(isinstance(r, dict) for r in records):
            raise WorkbookError(f"Sheet '{name}' in the .json file must be a list of objects.")
        _check_row_count(name, len(records) + 1)
        headings = list(dict.fromkeys(key for record in records for key in record))
        grid = [headings] + [[record.get(h) for h in headings] for record in records]
        _, rows = _rows_from_grid(grid)
        sheets[name.strip()] = Sheet(name.strip(), headings, rows)
    return sheets


def blank_template_sheets() -> dict[str, list[list[Any]]]:
    """Every sheet with its headings; the Plan sheet also lists its fields, to be filled in."""
    sheets = {name: [columns] for name, columns in SHEETS.items()}
    sheets[PLAN_SHEET] += [[field, None] for field in PLAN_FIELDS]
    return sheets


# Long text wraps in a column this many characters wide, so a commentary is readable in Excel.
WIDEST = 60
HEADING_FONT = openpyxl.styles.Font(bold=True)
WRAPPED = openpyxl.styles.Alignment(wrap_text=True, vertical="top")


def _fit_columns(worksheet, grid: list[list[Any]]):
    """Each column as wide as its longest line (dates as 10), up to WIDEST."""
    widths: dict[int, int] = {}
    for values in grid[:500]:  # enough rows to judge; a long sheet is not measured to its end
        for index, value in enumerate(values, start=1):
            if value is None:
                continue
            text = "01/01/2000" if isinstance(value, date) else str(value)
            longest = max((len(line) for line in text.splitlines()), default=0)
            widths[index] = min(max(widths.get(index, 0), longest), WIDEST)
    for index, width in widths.items():
        worksheet.column_dimensions[get_column_letter(index)].width = width + 2


def write_xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """Write sheets of rows (the heading row first) as an .xlsx workbook."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, grid in sheets.items():
        worksheet = book.create_sheet(name)
        for row_index, values in enumerate(grid, start=1):
            for column_index, value in enumerate(values, start=1):
                if isinstance(value, str):
                    value = CONTROL_CHARACTERS.sub("", value)
                cell = worksheet.cell(row=row_index, column=column_index, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even when it starts with "="
                elif isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
                if row_index == 1:
                    cell.font = HEADING_FONT
                elif isinstance(value, str) and (len(value) > WIDEST or "\n" in value):
                    cell.alignment = WRAPPED
        worksheet.freeze_panes = "A2"
        _fit_columns(worksheet, grid)
    buffer = io.BytesIO()
    book.save(buffer)
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
