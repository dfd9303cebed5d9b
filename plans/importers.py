"""Import a plan from the workbook template: check every cell first, then write all or nothing."""

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from plans.models import (
    Action,
    ActionStatus,
    InspectionKind,
    InspectionReference,
    Objective,
    Partner,
    Plan,
    Post,
    PriorityArea,
    SuccessCriterion,
)
from plans.rag import Direction
from plans.workbook import (
    PLAN_FIELDS,
    PLAN_SHEET,
    SHEETS,
    Row,
    Sheet,
    clean_text,
    read_sheets,
)

REQUIRED_PLAN_FIELDS = {"Reference", "Title", "Organisation", "Period"}


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


PLAN_FIELD_LENGTHS = {
    name: _max_length(Plan, field)
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


# What the file says, once every cell has been checked.
@dataclass
class PlanData:
    plan: dict
    posts: dict[str, str]  # name -> description
    priority_areas: list[dict]
    objectives: list[dict]
    actions: list[dict]
    success_criteria: list[dict]
    inspection_references: list[dict]

    def all_dates(self):
        """(record, field) pairs of every date, for tools that move the whole plan in time."""
        yield self.plan, "published"
        for objective in self.objectives:
            yield objective, "target_date"
            yield objective, "second_target_date"
        for action in self.actions:
            yield action, "due_date"


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

    def number(self, row: Row, column: str) -> Decimal | None:
        """A band level: at most 10 digits before the decimal point and 2 after."""
        value = self.raw(row, column)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
            # Excel keeps 50% as 0.5: the template's levels are whole percentages.
            if self.columns.get(column.casefold()) in row.percent_columns:
                number *= 100
            text = str(value)
        else:
            text = self.text(row, column).rstrip("%").strip()
            if not text:
                return None
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            self.problem(row, column, text, "is not a number. Write digits only, such as 60.")
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


def _check_columns(sheet: Sheet, columns: list[str], problems: list[Problem]) -> bool:
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
        if column.casefold() not in present:
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
    sheets: dict[str, Sheet], expected: dict[str, list[str]], problems: list[Problem]
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
        if _check_columns(sheet, columns, problems):
            found[name] = sheet
    if len(found) < len(expected):
        raise ImportRejected(problems)
    return found


def parse_plan(sheets: dict[str, Sheet]) -> PlanData:
    """Check every sheet and cell; return the plan's data, or raise ImportRejected listing all."""
    problems: list[Problem] = []
    found = find_sheets(sheets, SHEETS, problems)
    checkers = {name: SheetChecker(sheet, problems) for name, sheet in found.items()}

    # Plan: one field per row.
    plan_checker = checkers[PLAN_SHEET]
    plan_fields: dict[str, Row] = {}
    known_fields = {f.casefold(): f for f in PLAN_FIELDS}
    for row in found[PLAN_SHEET].rows:
        field_name = plan_checker.text(row, "Field")
        canonical = known_fields.get(field_name.casefold())
        if canonical is None:
            plan_checker.problem(
                row,
                "Field",
                field_name,
                "is not a plan field. Use one of: " + ", ".join(PLAN_FIELDS) + ".",
            )
        elif canonical in plan_fields:
            plan_checker.problem(row, "Field", field_name, "appears twice. Keep one row for it.")
        else:
            plan_fields[canonical] = row
    for name in PLAN_FIELDS:
        # A missing row would otherwise blank the field on re-import, so every row must be there.
        if name not in plan_fields:
            plan_checker.problem(
                None,
                "Field",
                "",
                f"The plan's '{name}' row is missing. Add it"
                + (
                    " with its value."
                    if name in REQUIRED_PLAN_FIELDS
                    else " (its value may be empty)."
                ),
            )
        elif name in REQUIRED_PLAN_FIELDS and not plan_checker.text(plan_fields[name], "Value"):
            plan_checker.problem(
                plan_fields[name], "Value", "", f"The plan's {name} is empty. Fill it in."
            )

    def plan_value(name, reader="text"):
        row = plan_fields.get(name)
        if row is None:
            return None if reader == "date" else ""
        if reader == "date":
            return plan_checker.date(row, "Value")
        return plan_checker.text(row, "Value", max_length=PLAN_FIELD_LENGTHS.get(name))

    plan_reference = plan_value("Reference")
    if plan_reference and not PLAN_REFERENCE_PATTERN.match(plan_reference):
        plan_checker.problem(
            plan_fields["Reference"],
            "Value",
            plan_reference,
            "is not a valid plan reference. Use letters, digits, '-' or '_' without spaces.",
        )
    plan = {
        "reference": plan_reference,
        "title": plan_value("Title"),
        "organisation": plan_value("Organisation"),
        "period": plan_value("Period"),
        "vision": plan_value("Vision"),
        "governance": plan_value("Governance"),
        "board_membership": plan_value("Board membership"),
        "published": plan_value("Published", "date"),
    }

    # Posts.
    checker = checkers["Posts"]
    post_rows = [
        (
            row,
            {
                "name": checker.text(
                    row, "Post", required=True, max_length=_max_length(Post, "name")
                ),
                "description": checker.text(row, "Description"),
            },
        )
        for row in found["Posts"].rows
    ]
    check_unique(checker, post_rows, "name", "Post", "post")
    posts = {record["name"]: record["description"] for _, record in post_rows if record["name"]}

    # Priority areas.
    checker = checkers["Priority areas"]
    area_rows = [
        (
            row,
            {
                "reference": checker.reference(
                    row, "Reference", max_length=_max_length(PriorityArea, "reference")
                ),
                "position": position,
                "title": checker.text(
                    row, "Title", required=True, max_length=_max_length(PriorityArea, "title")
                ),
                "assurance": checker.text(row, "How we will provide assurance"),
                "linked_service_plans": "; ".join(
                    checker.names(row, "Linked service delivery plans")
                ),
            },
        )
        for position, row in enumerate(found["Priority areas"].rows, start=1)
    ]
    check_unique(checker, area_rows, "reference", "Reference", "priority area")
    area_refs = {record["reference"]: record for _, record in area_rows}

    # Objectives.
    checker = checkers["Objectives"]
    objective_rows = []
    for position, row in enumerate(found["Objectives"].rows, start=1):
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=_max_length(Objective, "reference")
            ),
            "position": position,
            "priority_area": checker.reference_to(
                row, "Priority area", area_refs, "Priority areas"
            ),
            "responsible_posts": checker.names(row, "Responsible posts"),
            "responsible_officers_as_written": checker.text(row, "Responsible officers as written"),
            "differently_or_better": checker.text(
                row, "What we want to do differently or better", required=True
            ),
            "outcome": checker.text(row, "The outcome we want to achieve"),
            "target_date": checker.date(row, "Target date"),
            "second_target_date": checker.date(row, "Second target date"),
            "target_date_note": checker.text(row, "Target date note"),
            "partners": checker.names(row, "Key partners", max_length=_max_length(Partner, "name")),
        }
        if not record["responsible_posts"]:
            checker.problem(
                row,
                "Responsible posts",
                "",
                "is empty. Name at least one post from the 'Posts' sheet.",
            )
        for post in record["responsible_posts"]:
            checker.known(row, "Responsible posts", post, posts, "Posts")
        if record["second_target_date"] and not record["target_date"]:
            checker.problem(
                row,
                "Second target date",
                record["second_target_date"],
                "is given without a first 'Target date'. Move it to 'Target date'.",
            )
        objective_rows.append((row, record))
    check_unique(checker, objective_rows, "reference", "Reference", "objective")
    objective_refs = {record["reference"]: record for _, record in objective_rows}

    # Actions.
    checker = checkers["Actions"]
    action_rows = []
    for position, row in enumerate(found["Actions"].rows, start=1):
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=_max_length(Action, "reference")
            ),
            "position": position,
            "objective": checker.reference_to(row, "Objective", objective_refs, "Objectives"),
            "description": checker.text(row, "Action", required=True),
            "owners": checker.names(row, "Owners"),
            "due_date": checker.date(row, "Due date"),
            "status": checker.choice(row, "Status", ActionStatus.choices),
        }
        for post in record["owners"]:
            checker.known(row, "Owners", post, posts, "Posts")
        action_rows.append((row, record))
    check_unique(checker, action_rows, "reference", "Reference", "action")

    # Success criteria.
    checker = checkers["Success criteria"]
    criterion_rows = []
    for position, row in enumerate(found["Success criteria"].rows, start=1):
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=_max_length(SuccessCriterion, "reference")
            ),
            "position": position,
            "objective": checker.reference_to(row, "Objective", objective_refs, "Objectives"),
            "criterion": checker.text(row, "Criterion", required=True),
            "unit": checker.text(row, "Unit", max_length=_max_length(SuccessCriterion, "unit")),
            "direction": checker.choice(row, "Direction", Direction.choices),
            "red": checker.number(row, "Red"),
            "amber": checker.number(row, "Amber"),
            "green": checker.number(row, "Green"),
        }
        _check_band(checker, row, record)
        criterion_rows.append((row, record))
    check_unique(checker, criterion_rows, "reference", "Reference", "success criterion")

    # Inspection references.
    checker = checkers["Inspection references"]
    inspection_rows = []
    for row in found["Inspection references"].rows:
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=_max_length(InspectionReference, "reference")
            ),
            "objective": checker.reference_to(row, "Objective", objective_refs, "Objectives"),
            "source": checker.text(
                row,
                "Source",
                required=True,
                max_length=_max_length(InspectionReference, "source"),
            ),
            "year": checker.year(row, "Year"),
            "kind": checker.choice(row, "Kind", InspectionKind.choices, required=True),
            "text": checker.text(row, "Text"),
        }
        inspection_rows.append((row, record))
    check_unique(checker, inspection_rows, "reference", "Reference", "inspection reference")

    if problems:
        raise ImportRejected(problems)
    return PlanData(
        plan=plan,
        posts=posts,
        priority_areas=[record for _, record in area_rows],
        objectives=[record for _, record in objective_rows],
        actions=[record for _, record in action_rows],
        success_criteria=[record for _, record in criterion_rows],
        inspection_references=[record for _, record in inspection_rows],
    )


def _check_band(checker: SheetChecker, row: Row, record: dict):
    levels = {name: record[name.lower()] for name in ("Red", "Amber", "Green")}
    given = [name for name, level in levels.items() if level is not None]
    if not given and not record["direction"]:
        return
    if len(given) < 3 or not record["direction"]:
        missing = [name for name, level in levels.items() if level is None]
        if not record["direction"] and not checker.text(row, "Direction"):
            missing.append("Direction")
        checker.problem(
            row,
            ", ".join(missing),
            "",
            "is empty. A banded criterion needs Direction, Red, "
            "Amber and Green; a plain criterion leaves all four empty.",
        )
        return
    red, amber, green = levels["Red"], levels["Amber"], levels["Green"]
    shown = ", ".join(f"{level.normalize():f}" for level in (red, amber, green))
    if record["direction"] == Direction.HIGHER_IS_BETTER and not red < amber < green:
        checker.problem(
            row,
            "Red, Amber, Green",
            shown,
            "are not in order. When higher is better, Red < Amber < Green.",
        )
    if record["direction"] == Direction.LOWER_IS_BETTER and not red > amber > green:
        checker.problem(
            row,
            "Red, Amber, Green",
            shown,
            "are not in order. When lower is better, Red > Amber > Green.",
        )


@dataclass
class ImportSummary:
    plan: Plan
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def __str__(self):
        def describe(counter):
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "nothing"

        if not self.changed:
            return f"'{self.plan.title}' is already up to date: nothing changed."
        return (
            f"Imported '{self.plan.title}'. Created: {describe(self.created)}. "
            f"Updated: {describe(self.updated)}. Removed: {describe(self.removed)}."
        )


def _differs(instance, name: str, value) -> bool:
    if isinstance(value, models.Model):
        # Compare keys, not objects: loading each related row would cost a query.
        return getattr(instance, f"{name}_id") != value.pk
    return getattr(instance, name) != value


def _insert(objs: list):
    """INSERT records of one model in bulk, setting their keys; no history is written here.

    PostgreSQL and SQLite 3.35+ return the new keys from a bulk insert; older SQLite saves one
    by one instead.
    """
    if not objs:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        type(objs[0])._default_manager.bulk_create(objs)
        return
    for obj in objs:
        obj.skip_history_when_saving = True  # read by django-simple-history's post_save
        obj.save(force_insert=True)
        del obj.skip_history_when_saving


@dataclass
class WriteRow:
    """One record of the file: its instance (new or loaded), field values and many-to-many
    targets (field name -> the records it should hold)."""

    instance: models.Model
    values: dict
    many: dict[str, list] = field(default_factory=dict)


class BulkWriter:
    """Writes the records of one kind at a time, in bulk, and only what differs (so a re-import
    changes nothing): a few queries per kind, however many rows the file has.

    Each created or changed record gets one history row, as django-simple-history's
    create_historical_record writes it (the same user, the record's field values, and a copy of
    its many-to-many rows as they stand after the change), all at the moment the import began.
    (Its bulk_create_with_history would copy no many-to-many rows. Saving one record at a time
    wrote the same last row for each record, after a row per save() and many-to-many change.)
    """

    def __init__(self, summary: ImportSummary, by):
        self.summary = summary
        self.by = by
        self.moment = timezone.now()

    def save(self, kind: str, model, rows: list[WriteRow]) -> list:
        """Create or update each row's record where it differs; count the changes."""
        relations = sorted({name for row in rows for name in row.many})
        existing = [row.instance.pk for row in rows if row.instance.pk is not None]
        links = {name: self._links(model, name, existing) for name in relations}
        created, updated = [], []
        by_fields = defaultdict(list)  # the changed fields -> the records to UPDATE
        added = defaultdict(list)  # many-to-many field -> (record, target key) pairs
        removed = defaultdict(list)  # many-to-many field -> keys of through rows
        for row in rows:
            instance = row.instance
            is_new = instance.pk is None
            changed = (
                list(row.values)
                if is_new
                else [name for name, value in row.values.items() if _differs(instance, name, value)]
            )
            for name in changed:
                setattr(instance, name, row.values[name])
            relinked = False
            for name, targets in row.many.items():
                current = {} if is_new else links[name].get(instance.pk, {})
                wanted = list(dict.fromkeys(target.pk for target in targets))
                if set(wanted) != set(current):
                    relinked = True
                    removed[name] += [key for pk, key in current.items() if pk not in wanted]
                    added[name] += [(instance, pk) for pk in wanted if pk not in current]
            if is_new:
                created.append(instance)
            elif changed or relinked:
                updated.append(instance)
                if changed:
                    by_fields[tuple(changed)].append(instance)

        _insert(created)
        for fields, instances in by_fields.items():
            model._default_manager.bulk_update(instances, fields)
        for name in relations:
            field_ = model._meta.get_field(name)
            through = field_.remote_field.through
            if removed[name]:
                through.objects.filter(pk__in=removed[name]).delete()
            through.objects.bulk_create(
                through(**{field_.m2m_column_name(): instance.pk, field_.m2m_reverse_name(): pk})
                for instance, pk in added[name]
            )
        self._history(model, created, "+")
        self._history(model, updated, "~")
        if created:
            self.summary.created[kind] += len(created)
        if updated:
            self.summary.updated[kind] += len(updated)
        return [row.instance for row in rows]

    @staticmethod
    def _links(model, name: str, pks: list) -> dict:
        """The many-to-many field's rows for these records: {record key: {target key: row key}}."""
        links = defaultdict(dict)
        if pks:
            field_ = model._meta.get_field(name)
            source, target = field_.m2m_column_name(), field_.m2m_reverse_name()
            through_rows = field_.remote_field.through.objects.filter(**{f"{source}__in": pks})
            for key, source_pk, target_pk in through_rows.values_list("pk", source, target):
                links[source_pk][target_pk] = key
        return links

    def _history(self, model, instances: list, history_type: str):
        """One history row per record, with a copy of its many-to-many rows."""
        if not instances or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        history = model.history.model
        rows = [
            history(
                history_date=self.moment,
                history_type=history_type,
                history_user=self.by,
                history_change_reason=None,
                **{f.attname: getattr(instance, f.attname) for f in history.tracked_fields},
            )
            for instance in instances
        ]
        _insert(rows)
        row_of = {instance.pk: row for instance, row in zip(instances, rows, strict=True)}
        for field_ in history._history_m2m_fields:
            m2m_history = getattr(history, field_.name).model
            through = field_.remote_field.through
            source = field_.m2m_column_name()
            names = [f.attname for f in through._meta.fields]
            links = through.objects.filter(**{f"{source}__in": list(row_of)}).values(*names)
            m2m_history.objects.bulk_create(
                m2m_history(history=row_of[link[source]], **link) for link in links
            )

    def remove(self, kind: str, instances):
        for instance in instances:
            instance._history_user = self.by
            instance.delete()
            self.summary.removed[kind] += 1


def plan_import(*, data: PlanData, by=None) -> ImportSummary:
    """Write a checked plan: create or update by reference, remove what the file no longer has."""
    with transaction.atomic():
        plan = Plan.objects.filter(reference=data.plan["reference"]).first() or Plan()
        summary = ImportSummary(plan=plan)
        writer = BulkWriter(summary, by)
        writer.save("plans", Plan, [WriteRow(plan, data.plan)])

        posts = {post.name: post for post in Post.objects.filter(name__in=data.posts)}
        rows = [
            WriteRow(posts.get(name) or Post(), {"name": name, "description": description})
            for name, description in data.posts.items()
        ]
        posts = {post.name: post for post in writer.save("posts", Post, rows)}
        partner_names = sorted({name for o in data.objectives for name in o["partners"]})
        partners = {p.name: p for p in Partner.objects.filter(name__in=partner_names)}
        rows = [WriteRow(partners.get(name) or Partner(), {"name": name}) for name in partner_names]
        partners = {partner.name: partner for partner in writer.save("partners", Partner, rows)}

        existing_areas = {a.reference: a for a in plan.priority_areas.all()}
        rows = [
            WriteRow(
                existing_areas.pop(record["reference"], None) or PriorityArea(plan=plan), record
            )
            for record in data.priority_areas
        ]
        areas = {area.reference: area for area in writer.save("priority areas", PriorityArea, rows)}

        existing_objectives = {o.reference: o for o in plan.objectives.all()}
        rows = []
        for record in data.objectives:
            values = dict(record, priority_area=areas[record["priority_area"]])
            many = {
                "responsible_posts": [posts[name] for name in values.pop("responsible_posts")],
                "partners": [partners[name] for name in values.pop("partners")],
            }
            objective = existing_objectives.pop(record["reference"], None) or Objective(plan=plan)
            rows.append(WriteRow(objective, values, many))
        objectives = {o.reference: o for o in writer.save("objectives", Objective, rows)}

        existing_actions = {a.reference: a for a in Action.objects.filter(objective__plan=plan)}

        @cache
        def reported() -> set:
            """The plan's actions with progress updates: one query, made only when needed."""
            # By the actions' own link to their updates: the plan app imports no other app.
            reported = Action.objects.filter(objective__plan=plan, updates__isnull=False)
            return set(reported.values_list("pk", flat=True))

        reported_elsewhere = []
        rows = []
        for record in data.actions:
            action = existing_actions.pop(record["reference"], None) or Action()
            values = dict(record, objective=objectives[record["objective"]])
            many = {"owners": [posts[name] for name in values.pop("owners")]}
            if not values["status"]:
                # A blank status keeps what the owner reported; a new action starts not started.
                values["status"] = action.status if action.pk else ActionStatus.NOT_STARTED
            elif action.pk and values["status"] != action.status and action.pk in reported():
                # Owners report status through progress updates; a spreadsheet cannot overrule them.
                reported_elsewhere.append((action, values["status"]))
                values["status"] = action.status
            rows.append(WriteRow(action, values, many))
        writer.save("actions", Action, rows)

        existing_criteria = {
            c.reference: c for c in SuccessCriterion.objects.filter(objective__plan=plan)
        }
        rows = [
            WriteRow(
                existing_criteria.pop(record["reference"], None) or SuccessCriterion(),
                dict(record, objective=objectives[record["objective"]]),
            )
            for record in data.success_criteria
        ]
        writer.save("success criteria", SuccessCriterion, rows)

        existing_references = {
            r.reference: r for r in InspectionReference.objects.filter(objective__plan=plan)
        }
        rows = [
            WriteRow(
                existing_references.pop(record["reference"], None) or InspectionReference(),
                dict(record, objective=objectives[record["objective"]]),
            )
            for record in data.inspection_references
        ]
        writer.save("inspection references", InspectionReference, rows)

        # Progress reported on an action is never thrown away or overruled by a spreadsheet.
        problems = [
            Problem(
                "Actions",
                None,
                "Reference",
                action.reference,
                "has progress updates, so it cannot be removed from the plan. Put its row back "
                "(its owner can mark it Complete).",
            )
            for action in existing_actions.values()
            if action.pk in reported()
        ] + [
            Problem(
                "Actions",
                None,
                "Status",
                ActionStatus(status).label,
                f"differs from what the owner of action {action.reference} reported "
                f"({action.get_status_display()}). Leave Status empty or as reported: owners "
                "change it with a progress update.",
            )
            for action, status in reported_elsewhere
        ]
        if problems:
            raise ImportRejected(problems)
        # Remove what the file no longer holds, children first; the history keeps them.
        writer.remove("inspection references", existing_references.values())
        writer.remove("success criteria", existing_criteria.values())
        writer.remove("actions", existing_actions.values())
        writer.remove("objectives", existing_objectives.values())
        writer.remove("priority areas", existing_areas.values())
    return summary


def import_plan_file(*, filename: str, content: bytes, by=None) -> ImportSummary:
    """Read, check and import a plan file; raises WorkbookError or ImportRejected on bad input."""
    return plan_import(data=parse_plan(read_sheets(filename, content)), by=by)
