"""Every version of a month's figure, from its history: as first reported, and each restatement,
with who and when. A figure is restated when a later load changes its value; a changed note
alone is not a restatement. Read where people read figures: the indicator's page, and the
report and pack, which footnote what changed since the previous board's papers."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from indicators.models import Indicator, IndicatorValue
from plans.as_at import latest_rows


@dataclass(frozen=True)
class Version:
    value: Decimal | None  # None: reported as no figure
    at: datetime
    by: str  # the person's or system account's name; "" where history did not record one
    removed: bool = False  # the month's row was deleted


@dataclass
class MonthVersions:
    month: date
    versions: list[Version] = field(default_factory=list)  # oldest first

    @property
    def first(self) -> Version:
        return self.versions[0]

    @property
    def restatements(self) -> list[Version]:
        return self.versions[1:]

    @property
    def restated(self) -> bool:
        return len(self.versions) > 1


def _name(first: str | None, last: str | None, username: str | None) -> str:
    return " ".join(part for part in (first, last) if part) or username or ""


def figure_versions(
    indicators: list[int], months: set[date] | None = None, before: datetime | None = None
):
    """{indicator id: {month: MonthVersions}} from the figures' history, in one query; only
    `months` when given, and only the history written before `before` when given."""
    history = IndicatorValue.history.filter(indicator_id__in=indicators)
    if months is not None:
        history = history.filter(month__in=months)
    if before is not None:
        history = history.filter(history_date__lt=before)
    rows = history.order_by("history_date", "history_id").values_list(
        "indicator_id", "month", "value", "history_type", "history_date",
        "history_user__first_name", "history_user__last_name", "history_user__username",
    )  # fmt: skip
    found: dict[int, dict[date, MonthVersions]] = defaultdict(dict)
    for indicator_id, month, value, kind, at, first, last, username in rows:
        versions = found[indicator_id].setdefault(month, MonthVersions(month)).versions
        version = Version(value, at, _name(first, last, username), removed=kind == "-")
        if not versions or version.removed or versions[-1].removed:
            versions.append(version)
        elif value != versions[-1].value:
            versions.append(version)
    return found


def indicator_versions(indicator: Indicator) -> dict[date, MonthVersions]:
    return figure_versions([indicator.pk]).get(indicator.pk, {})


@dataclass(frozen=True)
class Revision:
    """A figure changed between two sets of papers: what the earlier papers said, and now."""

    indicator: Indicator
    month: date
    before: Decimal | None
    after: Decimal | None

    def in_words(self) -> str:
        show = self.indicator.format_figure
        return f"revised from {show(self.before)} to {show(self.after)}"


def revisions_between(
    indicators: list[Indicator], values_now: dict[int, list], *, then: datetime, now: datetime
) -> list[Revision]:
    """The figures of `indicators` whose value at `now` (`values_now`: by indicator id, rows
    with month and value) differs from their value at `then`, for months already reported
    then. No changes since `then`: one query that finds none."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    changed = set(
        IndicatorValue.history.filter(
            indicator_id__in=by_id, history_date__gte=then, history_date__lt=now
        ).values_list("id", flat=True)
    )
    if not changed:
        return []
    earlier = {
        (indicator_id, month): value
        for indicator_id, month, value in latest_rows(
            IndicatorValue, then, ["indicator_id", "month", "value"], id__in=sorted(changed)
        )
    }
    revisions = []
    for (indicator_id, month), before in sorted(earlier.items(), key=lambda item: item[0]):
        after = next((v.value for v in values_now.get(indicator_id, []) if v.month == month), None)
        if after != before:
            revisions.append(Revision(by_id[indicator_id], month, before, after))
    return sorted(revisions, key=lambda r: (r.indicator.reference, r.month))
