"""Data-quality flags a board reads beside a figure: late, restated, provisional, unusual. Each is
a prompt to check, in words, never a rating: the RAG rules do not change. docs/rag-rules.md,
"Data-quality flags", says the same; audit results' small samples are in plans.models.criteria.
"""

import statistics
from datetime import date, datetime, timedelta
from decimal import Decimal

import holidays
from django.conf import settings
from django.db import models

from indicators.selectors import IndicatorRow, month_before
from indicators.versions import figure_versions


class Flag(models.TextChoices):
    LATE = "late", "Late"
    RESTATED = "restated", "Restated"
    PROVISIONAL = "provisional", "Provisional"
    UNUSUAL = "unusual", "Unusual"


# The figures an unusual one is judged against, and how far from their run it must be.
UNUSUAL_AFTER = 6  # earlier figures needed before any figure can be called unusual
UNUSUAL_WINDOW = 12
UNUSUAL_SCORE = Decimal("3.5")  # robust z-score (Iglewicz and Hoaglin's modified z-score)
UNUSUAL_FLOOR = Decimal("0.05")  # of the run's median: a flat run's small wobble is not unusual


def legend() -> str:
    """The one line that says what each flag means, printed wherever flags are."""
    days = settings.FIGURES_DUE_WORKING_DAYS
    return (
        f"Late: no figure for a month that closed more than {days} working days ago. "
        "Restated: changed since first reported. Provisional: the loader marked it so. "
        "Unusual: far from the indicator's own last 12 months; a prompt to check, not a rating."
    )


def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=[year, year + 1])


def working_days_after(day: date, count: int) -> date:
    """The `count`th working day after `day`: Monday to Friday, less England's bank holidays."""
    closed = _bank_holidays(day.year)
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            count -= 1
    return day


def last_month_due(today: date) -> date:
    """The latest month whose figure is due by `today`: its last day was more than
    FIGURES_DUE_WORKING_DAYS working days ago."""
    month = month_before(today.replace(day=1))
    while working_days_after(_last_day(month), settings.FIGURES_DUE_WORKING_DAYS) >= today:
        month = month_before(month)
    return month


def _last_day(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def is_unusual(figure: Decimal, earlier: list[Decimal]) -> bool:
    """Whether `figure` is far from the indicator's own run (its last twelve figures before):
    more than 3.5 robust standard deviations (1.4826 x the median absolute deviation) from
    their median, and at least 5% of that median away. Needs six earlier figures."""
    run = earlier[-UNUSUAL_WINDOW:]
    if len(run) < UNUSUAL_AFTER:
        return False
    middle = statistics.median(run)
    spread = statistics.median(abs(value - middle) for value in run) * Decimal("1.4826")
    scale = max(spread, abs(middle) * UNUSUAL_FLOOR)
    distance = abs(figure - middle)
    return distance > UNUSUAL_SCORE * scale if scale else distance > 0


def flag_rows(
    rows: list[IndicatorRow], *, today: date, before: datetime | None = None
) -> list[IndicatorRow]:
    """Each row's flags set (row.flags), as at `today`, the history read once for all rows: as
    written before `before` when given (a report as at a past date)."""
    latest_months = {row.latest.month for row in rows if row.latest}
    ids = [row.indicator.pk for row in rows]
    versions = figure_versions(ids, months=latest_months, before=before)
    due = last_month_due(today)  # once: the bank holidays take a moment to work out
    for row in rows:
        found = versions.get(row.indicator.pk, {})
        restated = {month for month, month_versions in found.items() if month_versions.restated}
        row.flags = row_flags(row, due=due, restated_months=restated)
    return rows


def row_flags(row: IndicatorRow, *, due: date, restated_months: set[date]) -> list[Flag]:
    """The flags of an indicator's row: its latest figure, and `due`, the latest month whose
    figure is due (last_month_due). `restated_months` are the months of this indicator
    restated since first reported."""
    flags = []
    figures = {value.month: value for value in row.series if value.value is not None}
    if due not in figures and (row.latest is None or row.latest.month < due):
        flags.append(Flag.LATE)
    latest = row.latest
    if latest is None:
        return flags
    if latest.month in restated_months:
        flags.append(Flag.RESTATED)
    if getattr(latest, "provisional", False):
        flags.append(Flag.PROVISIONAL)
    earlier = [v.value for v in row.series if v.value is not None and v.month < latest.month]
    if is_unusual(latest.value, earlier):
        flags.append(Flag.UNUSUAL)
    return flags
