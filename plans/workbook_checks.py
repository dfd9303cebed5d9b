"""Checking a workbook before anything is written: every bad cell found and reported with its
sheet, row and column, and what to do (for the plan's workbook and the indicators')."""

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from plans.models import (
    Plan,
)
from plans.spreadsheets import Row, Sheet
from plans.workbook import clean_text

REQUIRED_PLAN_FIELDS = {"Reference", "Title", "Organisation", "Period"}


def field_max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


PLAN_FIELD_LENGTHS = {
    name: field_max_length(Plan, field)
    for name, field in [
        ("Reference", "reference"),
        ("Title", "title"),
        ("Organisation", "organisation"),
        ("Period", "period"),
    ]
}
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# The plan's reference appears in web addresses, so it has no dots.
PLAN_REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")


# What a cell may say for "no figure": stored as missing, never as zero.
NO_FIGURE = {"", "-", "–", "—", "tbc", "tba", "n/a", "na", "not available", "nil return"}
WRITE_FIGURES = (
    "Write the figure with digits, such as 1,234 or 62.5 (a point for decimals, commas only "
    "between thousands), or leave the cell empty, or write TBC, when there is no figure."
)
# Spaces a spreadsheet may put in or around a figure: ordinary, non-breaking, thin.
SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
FIGURE = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")
# Thousands separated by spaces, as some sheets print them: 1 234 567.
SPACED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")


class FigureUnclear(ValueError):
    """A figure that cannot be read without guessing; the message says what to write."""


def _spaceless(text: str) -> str:
    return SPACES.sub("", text)


def read_figure(text: str) -> Decimal:
    """A figure as councils write it: "1,234", "87%", " 62.5 ", "1 234" (spaces of any kind).
    Anything that could mean two things ("1,23", "1.234,5", "(12)", "£40") is refused, saying
    what to write instead. An empty cell or a dash is not a figure: see NO_FIGURE."""
    written = SPACES.sub(" ", text).strip().replace("\u2212", "-")  # the minus sign, typeset
    if written.endswith("%"):
        written = written[:-1].rstrip()
    if SPACED_THOUSANDS.match(written):
        written = written.replace(" ", "")
    if " " in written:
        raise FigureUnclear(f"has spaces inside it. {WRITE_FIGURES}")
    if written[:1] in "£$€" or written[-1:] in "£$€":
        raise FigureUnclear(f"has a currency sign. {WRITE_FIGURES}")
    if written.startswith("(") and written.endswith(")"):
        raise FigureUnclear(
            f"is in brackets. Write a negative figure with a minus: -12. {WRITE_FIGURES}"
        )
    if not FIGURE.match(written):
        if re.fullmatch(r"[+-]?[\d.,]+", written):
            raise FigureUnclear(
                "could be read more than one way (a comma or point in an unusual place). "
                + WRITE_FIGURES
            )
        raise FigureUnclear(f"is not a number. {WRITE_FIGURES}")
    return Decimal(written.replace(",", ""))


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    value: str
    message: str

    @property
    def explanation(self) -> str:
        """The message as a sentence of its own, for a table that shows the place separately."""
        return (
            f"'{self.value}' {self.message}"
            if self.value
            else self.message[:1].upper() + self.message[1:]
        )

    def __str__(self):
        where = [f"Sheet '{self.sheet}'"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        found = f" '{self.value}'" if self.value else ""
        return f"{', '.join(where)}:{found} {self.message}"


class ImportRejected(Exception):
    """The file was not imported: every problem found is listed, and nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"The file was not imported: {len(problems)} problem(s) found.")

    def advice(self, what: str) -> str:
        """One sentence for the top of an upload page, e.g. what="The plan was not imported"."""
        count = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        return (
            f"{what}: {count} found. Nothing was changed. Correct the cells listed below and "
            "upload the file again."
        )


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)[:80]


class SheetChecker:
    """Reads one sheet's cells into Python values, collecting a Problem for each bad cell."""

    def __init__(self, sheet: Sheet, problems: list[Problem]):
        self.sheet = sheet
        self.problems = problems
        self.columns = {h.casefold(): h for h in sheet.headings if h}

    def problem(self, row: Row | None, column: str | None, value, message: str):
        number = row.number if row else None
        self.problems.append(Problem(self.sheet.name, number, column, _display(value), message))

    def raw(self, row: Row, column: str):
        heading = self.columns.get(column.casefold())
        return row.cells.get(heading) if heading else None

    def text(self, row: Row, column: str, *, required=False, max_length=None) -> str:
        value = self.raw(row, column)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime | date):
            value = _display(value)
        text = "" if value is None else clean_text(str(value))
        if required and not text:
            self.problem(row, column, "", "is empty. Fill it in: this column is required.")
        if max_length and len(text) > max_length:
            self.problem(
                row,
                column,
                text,
                f"is {len(text)} characters long; this column takes at most {max_length}. "
                "Shorten it.",
            )
        return text

    def reference(self, row: Row, column: str, *, max_length=None) -> str:
        """A reference to a record, its own or another sheet's: text, never a number like 1.1."""
        value = self.raw(row, column)
        if isinstance(value, float) and not value.is_integer():
            self.problem(
                row,
                column,
                value,
                "is stored as a number, so references such as 1.1 and 1.10 cannot be told apart. "
                "Format the column as Text and type the reference again.",
            )
            return str(value)
        text = self.text(row, column, required=True, max_length=max_length)
        if text and not REFERENCE_PATTERN.match(text):
            self.problem(
                row,
                column,
                text,
                "is not a valid reference. Use letters, digits, '.', '-' or '_' without spaces.",
            )
        return text

    def reference_to(self, row: Row, column: str, known, where: str) -> str:
        """A reference to a record on another sheet, which must be there."""
        text = self.reference(row, column)
        if text:
            self.known(row, column, text, known, where)
        return text

    def known(self, row: Row, column: str, value: str, known, where: str):
        if value in known:
            return
        suggestion = difflib.get_close_matches(value, list(known), n=1)
        hint = f" Did you mean '{suggestion[0]}'?" if suggestion else ""
        self.problem(
            row,
            column,
            value,
            f"is not on the '{where}' sheet.{hint} Add it there or correct the spelling.",
        )

    def names(self, row: Row, column: str, *, max_length=None) -> list[str]:
        """A semicolon-separated list of names, without blanks or repeats."""
        items = [item.strip() for item in self.text(row, column).split(";")]
        names = list(dict.fromkeys(item for item in items if item))
        for name in names:
            if max_length and len(name) > max_length:
                self.problem(
                    row, column, name, f"is longer than {max_length} characters. Shorten it."
                )
        return names

    def date(self, row: Row, column: str) -> date | None:
        value = self.raw(row, column)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self.text(row, column)
        if not text:
            return None
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
            except ValueError:
                continue
        self.problem(row, column, text, "is not a date. Use DD/MM/YYYY, for example 31/03/2022.")
        return None

    def is_no_figure(self, row: Row, column: str) -> bool:
        """Whether the cell says there is no figure: empty, a dash, or a word such as TBC."""
        return _spaceless(self.text(row, column)).casefold() in NO_FIGURE

    def number(self, row: Row, column: str) -> Decimal | None:
        """A figure as councils write it (read_figure), at most 10 digits before the decimal
        point and 2 after; None when the cell says there is no figure."""
        value = self.raw(row, column)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
            # Excel keeps 50% as 0.5: the template's levels are whole percentages.
            if self.columns.get(column.casefold()) in row.percent_columns:
                number *= 100
            text = str(value)
            if not number.is_finite():
                self.problem(row, column, text, f"is not a number. {WRITE_FIGURES}")
                return None
        else:
            text = self.text(row, column)
            if self.is_no_figure(row, column):
                return None
            try:
                number = read_figure(text)
            except FigureUnclear as unclear:
                self.problem(row, column, text, str(unclear))
                return None
        if number != number.quantize(Decimal("0.01")) or abs(number) >= Decimal("1e10"):
            self.problem(
                row,
                column,
                text,
                "has too many digits. Use at most two decimal places, such as 62.5.",
            )
            return None
        return number.quantize(Decimal("0.01"))

    def year(self, row: Row, column: str) -> int | None:
        text = self.text(row, column, required=True)
        if text and (len(text) != 4 or not text.isdecimal() or not 1900 <= int(text) <= 2100):
            self.problem(
                row, column, text, "is not a year. Write the four-digit year, such as 2019."
            )
            return None
        return int(text) if text else None

    def choice(self, row: Row, column: str, choices, *, required=False) -> str:
        text = self.text(row, column, required=required)
        if not text:
            return ""
        by_label = {label.casefold(): value for value, label in choices}
        if text.casefold() in by_label:
            return by_label[text.casefold()]
        allowed = ", ".join(f"'{label}'" for _, label in choices)
        self.problem(row, column, text, f"is not one of the allowed values. Use one of {allowed}.")
        return ""


def _check_columns(
    sheet: Sheet, columns: list[str], problems: list[Problem], optional: set[str]
) -> bool:
    expected = {c.casefold(): c for c in columns}
    headings = [h for h in sheet.headings if h]
    present = {h.casefold() for h in headings}
    ok = True
    for heading in headings:
        if heading.casefold() not in expected:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    heading,
                    "",
                    "is not a column of this sheet. Rename it to one of: "
                    + ", ".join(columns)
                    + "; or delete the column.",
                )
            )
            ok = False
    for heading, count in Counter(h.casefold() for h in headings).items():
        if count > 1:
            problems.append(
                Problem(sheet.name, 1, expected.get(heading, heading), "", "appears twice.")
            )
            ok = False
    # Every column must be there, even if empty: a missing one would blank its values on re-import.
    for column in columns:
        if column.casefold() not in present and column not in optional:
            problems.append(
                Problem(
                    sheet.name,
                    1,
                    column,
                    "",
                    "is missing. Add a column with this heading (its cells may be left empty).",
                )
            )
            ok = False
    return ok


def check_unique(checker: SheetChecker, rows, key: str, column: str, label: str):
    seen: dict[str, int] = {}
    for row, record in rows:
        value = record[key]
        if not value:
            continue
        folded = value.casefold()
        if folded in seen:
            checker.problem(
                row,
                column,
                value,
                f"is used twice (also on row {seen[folded]}). Give each {label} its own reference.",
            )
        else:
            seen[folded] = row.number


def find_sheets(
    sheets: dict[str, Sheet],
    expected: dict[str, list[str]],
    problems: list[Problem],
    optional: set[str] = frozenset(),
) -> dict[str, Sheet]:
    """The expected sheets, by their canonical names, with their headings checked.

    Raises ImportRejected when a sheet is missing or its columns are wrong: the cells cannot be
    read until the headings are right.
    """
    by_name = {name.casefold(): sheet for name, sheet in sheets.items()}
    found: dict[str, Sheet] = {}
    for name, columns in expected.items():
        sheet = by_name.get(name.casefold())
        if sheet is None:
            problems.append(
                Problem(name, None, None, "", "is missing. Add a sheet with this name.")
            )
            continue
        problems += [
            Problem(name, cell.row, cell.column, "", cell.message) for cell in sheet.cell_problems
        ]
        sheet = Sheet(name, sheet.headings, sheet.rows)
        if _check_columns(sheet, columns, problems, optional):
            found[name] = sheet
    if len(found) < len(expected):
        raise ImportRejected(problems)
    return found
