"""Any spreadsheet read safely: the one reader every upload shares (a plan, a year of indicators),
from the web or a command, as .xlsx, a .zip of CSV files or .json.

The file's size is checked before anything is read. Rows are read one at a time, and the first
limit met (rows, columns, cells) refuses the file, so memory stays flat whatever the file holds.
Empty cells, such as those a spreadsheet program leaves after formatting whole rows, are skipped
unread. What the cells mean is checked by plans.workbook_checks.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

# openpyxl parses with defusedxml when it is installed (it is a dependency): uploads cannot
# carry XML entity bombs.
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from plans.workbook import FORMULA_TRIGGERS

# Limits no plan or indicator file comes near, which stop a small file that unpacks into
# millions of cells (an .xlsx is a zip) before it costs the server its memory.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000  # below the headings, in each sheet
MAX_COLUMNS = 100
MAX_CELLS = 250_000  # cells with a value, in the whole file
MAX_PARTS = 1_000_000  # rows and cells an .xlsx lists, empty or not, in the whole file


class WorkbookError(Exception):
    """The file cannot be read as a workbook at all."""


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


def _size(size: int) -> str:
    """10 MB, 9.5 MB, 200 KB: a file's size as people read it."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def check_upload_size(filename: str, size: int):
    """Refuse a file over the upload limit (settings.UPLOAD_MAX_BYTES) before reading it."""
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise WorkbookError(
            f"'{filename}' is {_size(size)}; a file may be at most {_size(limit)}. "
            "Remove images, unused sheets and formatting, or split the file, and try again."
        )


def read_file(path: Path) -> bytes:
    """A file named on the command line, its size checked before it is read."""
    check_upload_size(path.name, path.stat().st_size)
    return path.read_bytes()


def read_sheets(filename: str, content: bytes) -> dict[str, Sheet]:
    """Read every sheet of an .xlsx, .zip (of CSV files) or .json file into rows of cells."""
    check_upload_size(filename, len(content))
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    readers = {"xlsx": _read_xlsx, "zip": _read_csv_zip, "json": _read_json}
    if suffix not in readers:
        raise WorkbookError(
            f"'{filename}' is not a spreadsheet this reads. Use the .xlsx import template "
            "(or a .zip of CSV files or a .json file from an export)."
        )
    try:
        if suffix in ("xlsx", "zip"):
            _check_unpacked_size(filename, content)
        return readers[suffix](content, _Limits(filename))
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


class _Limits:
    """What a file holds so far, counted as it is read: the first limit met refuses it."""

    def __init__(self, filename: str):
        self.filename = filename
        self.cells = 0
        self.parts = 0

    def listed(self, count: int):
        self.parts += count
        if self.parts > MAX_PARTS:
            raise WorkbookError(
                f"'{self.filename}' lists more than {MAX_PARTS:,} rows and cells, most of them "
                "empty: formatting applied to rows or cells far beyond the data. Delete the "
                "empty rows below and the empty columns right of your data, save, and try again."
            )

    def filled(self, sheet: str, number: int, columns: Iterable[int]):
        columns = list(columns)
        if not columns:
            return
        if number > MAX_ROWS + 1:
            raise WorkbookError(
                f"Sheet '{sheet}' has data in row {number:,}; a sheet may have at most "
                f"{MAX_ROWS:,} rows below its headings. Delete the rows below your data, or "
                "split them into two files, and try again."
            )
        beyond = [column for column in columns if column > MAX_COLUMNS]
        if beyond:
            raise WorkbookError(
                f"Sheet '{sheet}' has data in column {get_column_letter(min(beyond))} (row "
                f"{number:,}); a sheet may use at most {MAX_COLUMNS} columns. Delete the columns "
                "right of your data and try again."
            )
        self.cells += len(columns)
        if self.cells > MAX_CELLS:
            raise WorkbookError(
                f"'{self.filename}' holds more than {MAX_CELLS:,} filled cells (the limit was "
                f"reached on sheet '{sheet}', row {number:,}). Keep only the template's sheets "
                "and columns, or split the file, and try again."
            )


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _SheetBuilder:
    """Rows of one sheet as they are read: the first row gives the headings."""

    def __init__(self, name: str, limits: _Limits):
        self.name, self.limits = name, limits
        self.headings: list[str] = []
        self.rows: list[Row] = []

    def add(self, number: int, values: dict[int, Any], percents: frozenset[int] = frozenset()):
        """Row `number`'s values by column (1 for A); blank cells are left out."""
        values = {column: value for column, value in values.items() if not _is_blank(value)}
        self.limits.filled(self.name, number, values)
        if number == 1:
            widest = max(values, default=0)
            self.headings = [str(values.get(c, "")).strip() for c in range(1, widest + 1)]
            return
        if not values:
            return
        # Every heading's cell, None where blank, as the checks read them.
        cells = {heading: None for heading in self.headings if heading}
        cells |= {self.heading(c): value for c, value in values.items() if self.heading(c)}
        percent_columns = frozenset(self.heading(c) for c in percents if self.heading(c))
        self.rows.append(Row(number, cells, percent_columns))

    def heading(self, column: int) -> str:
        return self.headings[column - 1] if column <= len(self.headings) else ""

    def column_name(self, column: int) -> str:
        return self.heading(column) or get_column_letter(column)


class _CellParser(WorkSheetParser):
    """openpyxl's own parser of a sheet's XML, reading each cell's saved value, noting which
    cells hold formulas, and skipping empty cells (no value, formula or text) unread."""

    def parse_row(self, row):
        number = row.get("r")
        self.row_counter = int(float(number)) if number else self.row_counter + 1
        self.col_counter = 0
        cells = []
        for element in row:
            if len(element):
                cells.append(self.parse_cell(element))
            elif element.get("r") is None:
                self.col_counter += 1  # keeps the place of unnamed cells that follow
        return self.row_counter, cells, len(row)

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        cell["formula"] = element.find(FORMULA_TAG) is not None
        return cell


@dataclass
class _SheetPart:
    """A worksheet's name and where its XML is in the file: all this reader needs of it."""

    title: str
    path: str
    defined_names: dict = field(default_factory=dict)  # openpyxl files a sheet's names here


class _WorkbookParts(ExcelReader):
    """openpyxl's reader of a workbook (its strings, styles and sheet list), stopping short of
    its read-only worksheets: to size a sheet whose <dimension> element is missing, each of
    those reads the whole sheet first (3.2 million cells: 12 seconds) before a row is seen."""

    def read_worksheets(self):
        for sheet, relation in self.parser.find_sheets():
            if relation.target in self.valid_files and "chartsheet" not in relation.Type:
                self.wb._sheets.append(_SheetPart(sheet.name, relation.target))


def _read_xlsx(content: bytes, limits: _Limits) -> dict[str, Sheet]:
    reader = _WorkbookParts(io.BytesIO(content), read_only=True, data_only=True)
    try:
        reader.read()
        sheets = {}
        for part in reader.wb._sheets:
            sheet = _read_worksheet(reader, part, limits)
            sheets[sheet.name] = sheet
        return sheets
    finally:
        reader.archive.close()


def _read_worksheet(reader: _WorkbookParts, part: _SheetPart, limits: _Limits) -> Sheet:
    book = reader.wb
    builder = _SheetBuilder(part.title.strip(), limits)
    percent_styles: dict[int, bool] = {}
    unsaved = []  # (row, column) of formulas whose result was never saved
    # The sheet's XML through openpyxl's own parser (private names: pinned openpyxl).
    with reader.archive.open(part.path) as source:
        parser = _CellParser(
            source, reader.shared_strings, data_only=True, epoch=book.epoch,
            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats,
        )  # fmt: skip
        for number, cells, listed in parser.parse():
            limits.listed(listed + 1)
            values, percents = {}, set()
            for cell in cells:
                column, value = cell["column"], cell["value"]
                values[column] = value
                if cell["formula"] and value is None:
                    unsaved.append((number, column))
                if isinstance(value, int | float) and _is_percent(book, cell, percent_styles):
                    percents.add(column)
            builder.add(number, values, frozenset(percents))
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    problems = [
        CellProblem(
            merge.min_row if hasattr(merge, "min_row") else _first_row(merge.ref),
            builder.column_name(_first_column(merge.ref)),
            f"Cells {merge.ref} are merged, so only the first holds a value. Unmerge them and "
            "fill in every cell.",
        )
        for merge in merged
    ]
    problems += [
        CellProblem(
            row,
            builder.column_name(column),
            "holds a formula whose result was never saved. Open the file in a spreadsheet "
            "program and save it, or type the value in.",
        )  # fmt: skip
        for row, column in unsaved
    ]
    return Sheet(builder.name, builder.headings, builder.rows, tuple(problems))


def _is_percent(book, cell: dict, known: dict[int, bool]) -> bool:
    """Whether the cell's number format shows it as a percentage (Excel keeps 50% as 0.5)."""
    style = cell["style_id"]
    if style not in known:
        format_id = book._cell_styles[style].numFmtId
        if format_id < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(format_id, "General")
        else:
            number_format = book._number_formats[format_id - BUILTIN_FORMATS_MAX_SIZE]
        known[style] = "%" in number_format
    return known[style]


def _first_column(reference: str) -> int:
    return range_boundaries(reference)[0]


def _first_row(reference: str) -> int:
    return range_boundaries(reference)[1]


def _unescape_csv(value: str) -> str:
    # Undo the apostrophe the CSV writer puts before a formula-like (or apostrophe) cell.
    if value.startswith("'") and value[1:].startswith((*FORMULA_TRIGGERS, "'")):
        return value[1:]
    return value


def _read_csv_zip(content: bytes, limits: _Limits) -> dict[str, Sheet]:
    sheets = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".csv"):
                continue
            name = info.filename.rsplit("/", 1)[-1][: -len(".csv")].strip()
            with archive.open(info) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                try:
                    sheets[name] = _sheet_from_lines(name, csv.reader(text), limits)
                except UnicodeDecodeError as error:
                    raise WorkbookError(
                        f"'{info.filename}' is not saved as UTF-8. In Excel, save it as "
                        "'CSV UTF-8 (Comma delimited)' and try again."
                    ) from error
    if not sheets:
        raise WorkbookError("The .zip file holds no .csv files. Put one CSV file per sheet in it.")
    return sheets


def _sheet_from_lines(name: str, lines: Iterator[list], limits: _Limits) -> Sheet:
    builder = _SheetBuilder(name, limits)
    for number, values in enumerate(lines, start=1):
        builder.add(number, {c: _unescape_csv(v) for c, v in enumerate(values, start=1)})
    return Sheet(builder.name, builder.headings, builder.rows)


def _read_json(content: bytes, limits: _Limits) -> dict[str, Sheet]:
    data = json.loads(content.decode("utf-8-sig"))
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise WorkbookError(
            'The .json file must be an object of sheets: {"Sheet name": [{"Column": value}]}.'
        )
    sheets = {}
    for name, records in data.items():
        if not all(isinstance(r, dict) for r in records):
            raise WorkbookError(f"Sheet '{name}' in the .json file must be a list of objects.")
        headings = list(dict.fromkeys(key for record in records for key in record))
        grid = [headings, *([record.get(h) for h in headings] for record in records)]
        builder = _SheetBuilder(name.strip(), limits)
        for number, values in enumerate(grid, start=1):
            builder.add(number, dict(enumerate(values, start=1)))
        sheets[builder.name] = Sheet(builder.name, builder.headings, builder.rows)
    return sheets
