"""The indicators as they stood at a moment, rebuilt from their history (plans.as_at reads it)."""

from dataclasses import dataclass
from datetime import date, datetime

from indicators.models import Benchmark, Indicator, IndicatorSummaryChoice, IndicatorValue
from plans.as_at import (
    attach_related,
    group_by,
    latest_rows,
    objects_as_at,
    related_ids,
    rows_as_at,
)
from plans.models import PriorityArea


@dataclass
class IndicatorSnapshot:
    """The indicators, their monthly figures, benchmarks and summary choices at `moment`."""

    moment: datetime
    indicators: list[Indicator]
    # By indicator id, oldest month first: rows with the month, value and note of each.
    values: dict[int, list]
    area_ids: dict[int, list[int]]  # the priority areas each indicator was linked to
    summary_choices: dict[tuple[date, int], str]  # (month, indicator id) -> summary list


def indicators_as_at(moment: datetime, *, plan_area_ids: set[int] | None = None):
    """The indicators at `moment`; with `plan_area_ids`, only a plan's own: those linked to its
    areas or to none (as `plan_indicator_rows` shows them), so one plan's report does not read
    every other plan's figures."""
    indicators = sorted(objects_as_at(Indicator, moment), key=lambda i: i.reference)
    # Links to an area deleted since are dropped: deleting an area writes no indicator history.
    areas = {area_id for (area_id,) in latest_rows(PriorityArea, moment, ["id"])}
    area_ids = {
        indicator_id: [i for i in ids if i in areas]
        for indicator_id, ids in related_ids(Indicator, "priority_areas", indicators).items()
    }
    if plan_area_ids is not None:
        indicators = [
            i for i in indicators
            if not area_ids.get(i.pk) or plan_area_ids & set(area_ids[i.pk])
        ]  # fmt: skip
    ids = [i.pk for i in indicators]
    figures = rows_as_at(
        IndicatorValue,
        moment,
        ["indicator_id", "month", "value", "note", "provisional"],
        indicator_id__in=ids,
    )
    values = group_by(sorted(figures, key=lambda v: v.month), lambda v: v.indicator_id)
    benchmarks = group_by(
        objects_as_at(Benchmark, moment, indicator_id__in=ids), lambda b: b.indicator_id
    )
    for indicator in indicators:
        attach_related(indicator, "benchmarks", benchmarks[indicator.pk])
    choices = {
        (choice.month, choice.indicator_id): choice.summary_list
        for choice in objects_as_at(IndicatorSummaryChoice, moment, indicator_id__in=ids)
    }
    return IndicatorSnapshot(
        moment=moment,
        indicators=indicators,
        values=values,
        area_ids=area_ids,
        summary_choices=choices,
    )
