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
    # (month, indicator id) -> the summary list the plan's board saw it in
    summary_choices: dict[tuple[date, int], str]


def indicators_as_at(moment: datetime, *, plan_id: int):
    """The plan's indicators at `moment`: those linked to it then, so one plan's report does not
    read every other plan's figures, with the summary choices its board saw."""
    indicators = sorted(objects_as_at(Indicator, moment), key=lambda i: i.reference)
    in_plan = related_ids(Indicator, "plans", indicators)
    indicators = [i for i in indicators if plan_id in in_plan[i.pk]]
    # Links to an area deleted since are dropped: deleting an area writes no indicator history.
    areas = {area_id for (area_id,) in latest_rows(PriorityArea, moment, ["id"])}
    area_ids = {
        indicator_id: [i for i in ids if i in areas]
        for indicator_id, ids in related_ids(Indicator, "priority_areas", indicators).items()
    }
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
        for choice in objects_as_at(
            IndicatorSummaryChoice, moment, plan_id=plan_id, indicator_id__in=ids
        )
    }
    return IndicatorSnapshot(
        moment=moment,
        indicators=indicators,
        values=values,
        area_ids=area_ids,
        summary_choices=choices,
    )
