"""The indicator template to download: current indicators and benchmarks, next month to fill in."""

from datetime import date

from indicators.importers import INDICATOR_SHEETS
from indicators.selectors import indicator_rows, latest_month
from plans.rag import Direction
from plans.workbook import write_xlsx


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def indicator_template(plan, today: date) -> tuple[str, bytes]:
    """The workbook a performance manager fills in for the plan's next month: its indicators,
    linked to its own areas."""
    rows = indicator_rows(plan.indicators.prefetch_related("benchmarks", "priority_areas"))
    loaded = latest_month(rows)
    month = _next_month(loaded) if loaded else today.replace(day=1)
    indicators, values, benchmarks = [], [], []
    for row in rows:
        i = row.indicator
        indicators.append([
            i.reference, i.area, i.title, i.get_unit_display(), i.get_period_type_display(),
            Direction(i.polarity).label if i.polarity else "", i.minimum, i.upper_target,
            i.tolerance, "Yes" if i.target_is_strict else "", i.target_as_written,
            "; ".join(a.reference for a in i.priority_areas.all() if a.plan_id == plan.pk),
        ])  # fmt: skip
        values.append([i.reference, month, None, None, None, "", ""])
        benchmarks += [
            [i.reference, b.get_kind_display(), b.year, b.value] for b in i.benchmarks.all()
        ]
    sheets = {
        "Indicators": [INDICATOR_SHEETS["Indicators"], *indicators],
        "Values": [INDICATOR_SHEETS["Values"], *values],
        "Benchmarks": [INDICATOR_SHEETS["Benchmarks"], *benchmarks],
    }
    return f"indicators-{plan.reference}-{month:%Y-%m}.xlsx", write_xlsx(sheets)
