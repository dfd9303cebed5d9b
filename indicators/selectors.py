"""The indicators as the pages show them: latest figure, RAG, change and trend, benchmarks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, prefetch_related_objects

from indicators.models import (
    Benchmark,
    BenchmarkKind,
    Indicator,
    IndicatorSummaryChoice,
    IndicatorValue,
    SummaryList,
)
from plans.rag import Direction, Rag

BENCHMARK_COLUMNS = [
    BenchmarkKind.OUTTURN,
    BenchmarkKind.STATISTICAL_NEIGHBOURS,
    BenchmarkKind.SOUTH_EAST,
    BenchmarkKind.ENGLAND,
]


def benchmark_heading(kind: BenchmarkKind) -> str:
    return "Our latest outturn" if kind == BenchmarkKind.OUTTURN else kind.label


TRENDS = {"improving": "Improving", "worsening": "Worsening", "unchanged": "No change"}


def month_before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def _months_before(month: date, count: int) -> date:
    for _ in range(count):
        month = month_before(month)
    return month


@dataclass
class IndicatorRow:
    indicator: Indicator
    # Every month loaded, oldest first (missing figures included): IndicatorValue models, or
    # rows with their month, value, note and whether provisional.
    series: list
    flags: list = field(default_factory=list)  # data-quality flags, where read (quality.py)

    @property
    def latest(self) -> IndicatorValue | None:
        """The latest month with a figure."""
        return next((v for v in reversed(self.series) if v.value is not None), None)

    @property
    def previous(self) -> IndicatorValue | None:
        """The figure for the month before the latest one, if that month has one."""
        latest = self.latest
        if latest is None:
            return None
        earlier = month_before(latest.month)
        found = [v for v in self.series if v.month == earlier and v.value is not None]
        return found[0] if found else None  # a gap or a missing month means no change shown

    @property
    def rag(self) -> Rag:
        return self.indicator.rag_for(self.latest.value if self.latest else None)

    @property
    def why_not_rated(self) -> str:
        """Why the row says Not rated: no figure yet, or what its targets lack."""
        if self.latest is None:
            return "No figure yet"
        return self.indicator.why_not_rated()

    @property
    def change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value

    @property
    def trend(self) -> str:
        """improving / worsening / unchanged, by the indicator's polarity; "" when unknown."""
        change, polarity = self.change, self.indicator.effective_polarity
        if change is None or not polarity:
            return ""
        if change == 0:
            return "unchanged"
        better = change > 0 if polarity == Direction.HIGHER_IS_BETTER else change < 0
        return "improving" if better else "worsening"

    def last_twelve(self) -> list[Decimal | None]:
        """The twelve calendar months up to the latest figure; months with no figure are None."""
        if self.latest is None:
            return []
        by_month = {v.month: v.value for v in self.series}
        months = [self.latest.month]
        for _ in range(11):
            months.insert(0, month_before(months[0]))
        return [by_month.get(month) for month in months]

    def benchmark(self, kind: str) -> Benchmark | None:
        """The latest year's figure of one kind of benchmark."""
        found = [
            b for b in self.indicator.benchmarks.all() if b.kind == kind and b.value is not None
        ]
        return max(found, key=lambda b: b.year, default=None)


def indicator_rows(indicators=None) -> list[IndicatorRow]:
    """Every indicator with its recent series and benchmarks, in a fixed number of queries.

    A list shows each indicator's latest figure, the month before and the twelve months up to
    it, so the series start twelve months before the latest figure (older months are left out:
    two years of a council's figures would be read to show one), and are (month, value, note)
    rows rather than models. Benchmarks and areas are left to the caller to prefetch, for only
    the rows it shows (`with_benchmarks`): a page of 50 from hundreds."""
    queryset = indicators if indicators is not None else Indicator.objects.all()
    values = IndicatorValue.objects.filter(indicator__in=queryset.values("pk"))
    latest_figures = values.filter(value__isnull=False).values("indicator_id")
    by_start = defaultdict(list)
    for row in latest_figures.annotate(latest=Max("month")):
        by_start[_months_before(row["latest"], 12)].append(row["indicator_id"])
    recent = Q(pk__in=[])  # nothing, when no indicator has a figure yet
    for start, ids in by_start.items():  # few: most indicators share their latest month
        recent |= Q(indicator_id__in=ids, month__gte=start)
    series = defaultdict(list)
    for row in (
        values.filter(recent)
        .order_by("month")
        .values_list("indicator_id", "month", "value", "note", "provisional", named=True)
    ):
        series[row.indicator_id].append(row)
    return [IndicatorRow(indicator, series[indicator.pk]) for indicator in queryset]


def with_benchmarks(rows: list[IndicatorRow]) -> list[IndicatorRow]:
    """The rows, their indicators' benchmarks fetched in one query."""
    prefetch_related_objects([row.indicator for row in rows], "benchmarks")
    return rows


def latest_month(rows: list[IndicatorRow]) -> date | None:
    months = [row.latest.month for row in rows if row.latest]
    return max(months, default=None)


def proposed_list(row: IndicatorRow) -> str:
    """The summary list a rating and trend suggest (docs/rag-rules.md says the same).

    Going well: Green and not worsening. Do better: Red and not improving. Ones to watch: Amber,
    Green but worsening, or Red but improving. Not rated indicators are left out.
    """
    rating, trend = row.rag, row.trend
    if rating == Rag.GREEN:
        return SummaryList.ONES_TO_WATCH if trend == "worsening" else SummaryList.GOING_WELL
    if rating == Rag.RED:
        return SummaryList.ONES_TO_WATCH if trend == "improving" else SummaryList.DO_BETTER
    if rating == Rag.AMBER:
        return SummaryList.ONES_TO_WATCH
    return SummaryList.LEFT_OUT


def board_summary(
    rows: list[IndicatorRow], month: date | None, saved: dict[int, str] | None = None, *, plan=None
) -> dict[str, list]:
    """Each summary list with its indicators: the saved choice for the month, else the proposal.

    `saved` maps indicator ids to lists; by default the choices saved now for `plan`'s board.
    """
    if saved is None:
        saved = {
            choice.indicator_id: choice.summary_list
            for choice in IndicatorSummaryChoice.objects.filter(plan=plan, month=month)
        } if month else {}  # fmt: skip
    lists = {choice: [] for choice in SummaryList.values}
    for row in rows:
        row.proposed = proposed_list(row)
        row.chosen = saved.get(row.indicator.pk, row.proposed)
        row.adjusted = row.chosen != row.proposed
        lists[row.chosen].append(row)
    return lists
