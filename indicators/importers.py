"""Load indicators, monthly values and benchmarks from the indicator template (all or nothing).

docs/indicator-template.md describes the sheets for people. A load can be tried first
(`dry_run=True`): it writes, counts, and rolls back, so the "check your upload" summary is exactly
what confirming will do.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from indicators.models import (
    Benchmark,
    BenchmarkKind,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    PeriodType,
)
from plans.bulk_writer import BulkWriter, WriteRow
from plans.models import Plan
from plans.rag import Direction
from plans.spreadsheets import Row, read_sheets
from plans.workbook_checks import ImportRejected, Problem, SheetChecker, check_unique, find_sheets

INDICATOR_SHEETS = {
    "Indicators": [
        "Reference",
        "Area",
        "Title",
        "Unit",
        "Period type",
        "Polarity",
        "Minimum",
        "Upper target",
        "Tolerance",
        "Target is strict",
        "Target as written",
        "Priority areas",
    ],
    "Values": ["Indicator", "Month", "Value", "Numerator", "Denominator", "Note", "Provisional"],
    "Benchmarks": ["Indicator", "Benchmark", "Year", "Value"],
}
# A column added since the template was first issued: a file without it still loads, its
# figures not provisional.
OPTIONAL_COLUMNS = {"Provisional"}
# Indicator references that would clash with the indicator pages' own addresses.
RESERVED_REFERENCES = {"summary", "load", "choose", "template.xlsx", "export.csv", "export.xlsx"}
MONTH_FORMATS = ["%b-%y", "%b %Y", "%B %Y", "%b-%Y", "%m/%Y", "%Y-%m"]
# How closely a value must match numerator/denominator (figures are usually rounded).
MATCH_TOLERANCE = Decimal("0.5")


@dataclass
class IndicatorData:
    indicators: list[dict]
    values: list[dict]
    benchmarks: list[dict]


def _says_no_figure(checker: SheetChecker, row: Row, column: str) -> bool:
    """A word or dash for "no figure" (TBC, N/A, -), as opposed to an empty cell."""
    return bool(checker.text(row, column)) and checker.is_no_figure(row, column)


def _month(checker: SheetChecker, row: Row, column: str) -> date | None:
    raw = checker.raw(row, column)
    if isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        return day.replace(day=1)
    text = checker.text(row, column, required=True)
    if not text:
        return None
    for pattern in MONTH_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().replace(day=1)  # noqa: DTZ007
        except ValueError:
            continue
    parsed = checker.date(row, column)
    return parsed.replace(day=1) if parsed else None


def parse_indicators(sheets, *, plan: Plan | None) -> IndicatorData:
    """Check every cell; return the data, or raise ImportRejected listing every problem."""
    problems: list[Problem] = []
    found = find_sheets(sheets, INDICATOR_SHEETS, problems, optional=OPTIONAL_COLUMNS)
    area_refs = set(plan.priority_areas.values_list("reference", flat=True)) if plan else set()
    known = set(Indicator.objects.values_list("reference", flat=True))

    checker = SheetChecker(found["Indicators"], problems)
    indicator_rows = []
    for row in found["Indicators"].rows:
        record = {
            "reference": checker.reference(row, "Reference", max_length=30),
            "area": checker.text(row, "Area", required=True, max_length=100),
            "title": checker.text(row, "Title", required=True),
            "unit": checker.choice(row, "Unit", IndicatorUnit.choices, required=True),
            "period_type": checker.choice(row, "Period type", PeriodType.choices, required=True),
            "polarity": checker.choice(row, "Polarity", Direction.choices),
            "minimum": checker.number(row, "Minimum"),
            "upper_target": checker.number(row, "Upper target"),
            "tolerance": checker.number(row, "Tolerance"),
            "target_is_strict": _yes_no(checker, row, "Target is strict"),
            "target_as_written": checker.text(row, "Target as written", max_length=100),
            "priority_areas": checker.names(row, "Priority areas"),
        }
        if not record["target_as_written"] and _says_no_figure(checker, row, "Upper target"):
            record["target_as_written"] = checker.text(row, "Upper target")  # "N/A", "TBC"
        _check_targets(checker, row, record)
        if record["reference"].casefold() in RESERVED_REFERENCES:
            checker.problem(
                row, "Reference", record["reference"],
                "is a word the indicator pages use for themselves. Choose another reference.",
            )  # fmt: skip
        for reference in record["priority_areas"]:
            if plan is None:
                checker.problem(
                    row, "Priority areas", reference,
                    "cannot be linked: the file is not being loaded into a plan. Load it from "
                    "the plan's indicators page, or import the plan first.",
                )  # fmt: skip
            else:
                checker.known(row, "Priority areas", reference, area_refs, "Priority areas")
        indicator_rows.append((row, record))
    check_unique(checker, indicator_rows, "reference", "Reference", "indicator")
    known |= {record["reference"] for _, record in indicator_rows}
    units = {r["reference"]: r["unit"] for _, r in indicator_rows}

    checker = SheetChecker(found["Values"], problems)
    value_rows = []
    seen_months: dict[tuple[str, date], int] = {}
    for row in found["Values"].rows:
        record = {
            "indicator": checker.reference_to(row, "Indicator", known, "Indicators"),
            "month": _month(checker, row, "Month"),
            "value": checker.number(row, "Value"),
            "numerator": checker.number(row, "Numerator"),
            "denominator": checker.number(row, "Denominator"),
            "note": checker.text(row, "Note"),
            "provisional": _yes_no(checker, row, "Provisional"),
        }
        key = (record["indicator"], record["month"])
        if record["month"] and key in seen_months:
            checker.problem(
                row, "Month", record["month"].strftime("%B %Y"),
                f"is given twice for {record['indicator']} (also on row {seen_months[key]}). "
                "Keep one row for each indicator and month.",
            )  # fmt: skip
        seen_months.setdefault(key, row.number)
        unit = units.get(record["indicator"]) or _known_unit(record["indicator"])
        _check_fraction(checker, row, record, unit)
        # A row left blank (as in the downloaded template) records nothing; "TBC" records a gap.
        if any(record[k] not in (None, "") for k in ("value", "numerator", "denominator", "note")):
            value_rows.append(record)
        elif _says_no_figure(checker, row, "Value"):
            value_rows.append(record | {"note": record["note"] or "TBC"})

    checker = SheetChecker(found["Benchmarks"], problems)
    benchmark_rows = []
    seen_benchmarks: dict[tuple, int] = {}
    for row in found["Benchmarks"].rows:
        record = {
            "indicator": checker.reference_to(row, "Indicator", known, "Indicators"),
            "kind": checker.choice(row, "Benchmark", BenchmarkKind.choices, required=True),
            "year": checker.text(row, "Year", required=True, max_length=20),
            "value": checker.number(row, "Value"),
        }
        key = (record["indicator"], record["kind"], record["year"])
        if all(key) and key in seen_benchmarks:
            checker.problem(
                row, "Year", record["year"],
                f"is given twice for this benchmark (also on row {seen_benchmarks[key]}).",
            )  # fmt: skip
        seen_benchmarks.setdefault(key, row.number)
        benchmark_rows.append(record)

    if problems:
        raise ImportRejected(problems)
    return IndicatorData([r for _, r in indicator_rows], value_rows, benchmark_rows)


def _shown(number: Decimal) -> str:
    """A figure as people write it: 25, not 25.00."""
    return f"{number.normalize():f}"


def _yes_no(checker: SheetChecker, row: Row, column: str) -> bool:
    text = checker.text(row, column).casefold()
    if text in ("", "no", "n", "false"):
        return False
    if text in ("yes", "y", "true"):
        return True
    checker.problem(row, column, text, "is not Yes or No. Write Yes, No, or leave it empty.")
    return False


def _check_targets(checker: SheetChecker, row: Row, record: dict):
    minimum, upper, polarity = record["minimum"], record["upper_target"], record["polarity"]
    if minimum is not None and upper is None:
        checker.problem(row, "Upper target", "", "is empty, but a Minimum is given. Give both.")
    if minimum is not None and upper is not None:
        implied = (
            Direction.LOWER_IS_BETTER if minimum > upper
            else Direction.HIGHER_IS_BETTER if minimum < upper else ""
        )  # fmt: skip
        if polarity and implied and polarity != implied:
            checker.problem(
                row, "Polarity", Direction(polarity).label,
                f"contradicts the targets: a minimum of {_shown(minimum)} and an upper target of "
                f"{_shown(upper)} mean {Direction(implied).label.lower()}. Correct one of them.",
            )  # fmt: skip
    if record["tolerance"] is not None and record["tolerance"] < 0:
        checker.problem(row, "Tolerance", _shown(record["tolerance"]), "cannot be negative.")
    if record["tolerance"] is not None and minimum is not None:
        checker.problem(
            row, "Tolerance", _shown(record["tolerance"]),
            "is given with a Minimum. Use a Minimum, or a Tolerance around the target, not both.",
        )  # fmt: skip


def _known_unit(reference: str) -> str:
    return Indicator.objects.filter(reference=reference).values_list("unit", flat=True).first()


SCALE = {IndicatorUnit.PERCENTAGE: Decimal(100), IndicatorUnit.RATE: Decimal(10_000)}


def _check_fraction(checker: SheetChecker, row: Row, record: dict, unit: str | None):
    numerator, denominator, value = record["numerator"], record["denominator"], record["value"]
    if (numerator is None) != (denominator is None):
        checker.problem(
            row, "Numerator" if numerator is None else "Denominator", "",
            "is empty. Give both the numerator and the denominator, or neither.",
        )  # fmt: skip
        return
    if numerator is None or value is None or unit not in SCALE:
        return
    if denominator == 0:
        checker.problem(row, "Denominator", "0", "cannot be zero.")
        return
    expected = numerator / denominator * SCALE[unit]
    if abs(expected - value) > MATCH_TOLERANCE:
        checker.problem(
            row, "Value", _shown(value),
            f"does not match {_shown(numerator)} / {_shown(denominator)}, which gives "
            f"{expected:.1f}. "
            "Correct the value or the numerator and denominator.",
        )  # fmt: skip


@dataclass
class IndicatorLoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    months: set = field(default_factory=set)
    changed_values: list = field(default_factory=list)  # (indicator, month, old, new)
    # Indicators already in the council's library that the load adds to the plan.
    joined: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def fingerprint(self) -> str:
        """What the load does, exactly enough to tell whether a later load would do the same."""
        changes = sorted(
            (i.reference, str(m), str(old), str(new)) for i, m, old, new in self.changed_values
        )
        return repr(
            (sorted(self.created.items()), sorted(self.updated.items()), changes, self.joined)
        )

    def __str__(self):
        if not self.changed:
            return "Nothing changed: every figure in the file is already loaded."
        parts = []
        for kind in ("indicators", "values", "benchmarks"):
            if self.created[kind] or self.updated[kind]:
                parts.append(f"{kind}: {self.created[kind]} new, {self.updated[kind]} changed")
        joined = ""
        if self.joined:
            count = len(self.joined)
            joined = (
                f" {count} indicator{'s' if count > 1 else ''} already kept for another plan "
                f"{'join' if count > 1 else 'joins'} this one, with the same figures: "
                f"{', '.join(sorted(self.joined))}."
            )
        return "Loaded " + "; ".join(parts) + "." + joined


def load_indicators(
    *, data: IndicatorData, plan: Plan | None, by, dry_run=False
) -> IndicatorLoadSummary:
    """Write the checked data in bulk, only what differs (a re-load writes no history); with
    dry_run, count what would change and write nothing."""
    summary = IndicatorLoadSummary()
    with transaction.atomic():
        writer = BulkWriter(summary, by)
        references = [record["reference"] for record in data.indicators]
        indicators = {
            i.reference: i
            for i in Indicator.objects.filter(reference__in=references).prefetch_related(
                "plans", "priority_areas"
            )
        }
        areas = {area.reference: area for area in plan.priority_areas.all()} if plan else {}
        rows = []
        for record in data.indicators:
            indicator = indicators.get(record["reference"]) or Indicator()
            # The file speaks for this plan only: the indicator stays in the other plans it
            # evidences, linked to their areas as before.
            elsewhere = [] if indicator.pk is None else [
                area for area in indicator.priority_areas.all()
                if plan is None or area.plan_id != plan.pk
            ]  # fmt: skip
            in_plans = [] if indicator.pk is None else list(indicator.plans.all())
            if plan is not None and plan not in in_plans:
                in_plans.append(plan)
                if indicator.pk is not None:
                    summary.joined.append(indicator.reference)
            named = [areas[r] for r in record["priority_areas"] if r in areas]
            rows.append(
                WriteRow(
                    indicator,
                    {k: v for k, v in record.items() if k != "priority_areas"},
                    many={"plans": in_plans, "priority_areas": elsewhere + named},
                )
            )
        for indicator in writer.save("indicators", Indicator, rows):
            indicators[indicator.reference] = indicator
        # Values and benchmarks may name indicators the file does not list but the tracker has.
        named = {record["indicator"] for record in [*data.values, *data.benchmarks]}
        indicators |= {i.reference: i for i in Indicator.objects.filter(reference__in=named)}

        existing = {
            (v.indicator_id, v.month): v
            for v in IndicatorValue.objects.filter(indicator__reference__in=named)
        }
        rows = []
        for record in data.values:
            indicator = indicators[record["indicator"]]
            value = existing.get((indicator.pk, record["month"]))
            if value is not None and value.value != record["value"]:
                summary.changed_values.append(
                    (indicator, record["month"], value.value, record["value"])
                )
            value = value or IndicatorValue(indicator=indicator, month=record["month"])
            fields = {
                k: record[k] for k in ("value", "numerator", "denominator", "note", "provisional")
            }
            rows.append(WriteRow(value, fields))
            summary.months.add(record["month"])
        writer.save("values", IndicatorValue, rows)

        existing = {
            (b.indicator_id, b.kind, b.year): b
            for b in Benchmark.objects.filter(indicator__reference__in=named)
        }
        rows = []
        for record in data.benchmarks:
            indicator = indicators[record["indicator"]]
            key = (indicator.pk, record["kind"], record["year"])
            benchmark = existing.get(key) or Benchmark(
                indicator=indicator, kind=record["kind"], year=record["year"]
            )
            rows.append(WriteRow(benchmark, {"value": record["value"]}))
        writer.save("benchmarks", Benchmark, rows)
        for kind, count in (
            ("indicators", len(data.indicators)),
            ("values", len(data.values)),
            ("benchmarks", len(data.benchmarks)),
        ):
            summary.unchanged[kind] = count - summary.created[kind] - summary.updated[kind]
        if dry_run:
            transaction.set_rollback(True)
    return summary


def only_plan() -> Plan | None:
    """The plan a load is for when none is named: the only live one; None when there is none
    or there are several (docs/indicator-template.md)."""
    plans = list(Plan.objects.filter(archived__isnull=True)[:2])
    return plans[0] if len(plans) == 1 else None


def load_indicator_file(*, filename: str, content: bytes, by, plan: Plan | None, dry_run=False):
    """Read, check and load an indicator file into a plan (None: the library only, for a
    council with no plan yet); raises WorkbookError or ImportRejected."""
    data = parse_indicators(read_sheets(filename, content), plan=plan)
    return load_indicators(data=data, plan=plan, by=by, dry_run=dry_run)
