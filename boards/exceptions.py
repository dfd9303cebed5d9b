"""What is an exception (product rule 5), and how an exception changed since the papers before.

An exception is an objective, action or success criterion rated Red or Amber; an action that is
overdue or has had no progress update since the previous meeting; an indicator rated Red or
that fell a band since the month before. docs/rag-rules.md says the same in words.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from urllib.parse import quote

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from indicators.as_at import IndicatorSnapshot
from indicators.selectors import IndicatorRow
from plans.dates import long_date, month_year, short_date
from plans.models import (
    Action,
    ActionStatus,
    Objective,
    PriorityArea,
    SuccessCriterion,
)
from plans.rag import Rag, worst
from plans.updates_due import missing_update, needs_update
from progress.as_at import PlanSnapshot


class ItemKind(models.TextChoices):
    OBJECTIVE = "objective", "Objective"
    ACTION = "action", "Action"
    CRITERION = "criterion", "Success criterion"
    INDICATOR = "indicator", "Indicator"


class Change(models.TextChoices):
    NEW = "new", "New exception"
    WORSENED = "worsened", "Worsened"
    IMPROVED = "improved", "Improved"
    UNCHANGED = "unchanged", "No change"
    NO_COMPARISON = "no_comparison", "No earlier report"


# How bad a rating is, for "worsened" and "improved" and for sorting.
SEVERITY = {Rag.RED: 3, Rag.AMBER: 2, Rag.GREEN: 1, Rag.NOT_RATED: 1, Rag.COMPLETE: 0}


class KindAndChangeLabels:
    """The words for an exception's kind and change, for an item and its papers' entry alike."""

    kind: str
    change: str
    board_history: tuple

    def get_kind_display(self) -> str:
        return ItemKind(self.kind).label

    def get_change_display(self) -> str:
        return Change(self.change).label

    @property
    def earlier_boards(self) -> str:
        """Its rating at each earlier board, in words: "27 Aug Green, 29 Oct Red (worsened)".
        Written here, not with the template's date filter: a report has hundreds of them."""
        words = ", ".join(
            f"{day.day} {day:%b} {rating.label if rating else 'not in the plan then'}"
            for day, rating in self.board_history
        )
        if words and self.change in (Change.WORSENED, Change.IMPROVED):
            words += f" ({Change(self.change).label.lower()})"
        return words


class ItemPages:
    """Where a plan's items link to. reverse() costs about 20 µs a call and a report links a
    couple of hundred items, so it runs once per kind of page, with a stand-in reference; each
    item's own takes its place, quoted as reverse() quotes it."""

    STAND_IN = "~reference~"  # left as it is by quoting

    def __init__(self, plan_reference: str):
        on_plan = {"plan": plan_reference, "reference": self.STAND_IN}
        pages = {
            ItemKind.ACTION: reverse("plans:action_detail", kwargs=on_plan),
            ItemKind.OBJECTIVE: reverse("plans:objective_detail", kwargs=on_plan),
            ItemKind.INDICATOR: reverse("indicators:detail", kwargs=on_plan),
        }
        self._around = {kind: url.rpartition(self.STAND_IN) for kind, url in pages.items()}

    def url(self, kind: str, reference: str) -> str:
        before, _, after = self._around[kind]
        return before + quote(reference, safe=RFC3986_SUBDELIMS + "/~:@") + after


@dataclass
class ExceptionItem(KindAndChangeLabels):
    """One exception. What is shown beside its rating is worked out only when it is read, since
    the previous meeting's report is built to compare ratings and is mostly never shown."""

    kind: str
    pk: int
    reference: str
    title: str
    area: PriorityArea | None
    rag: Rag
    reasons: list[str]
    source: object  # the action, objective, criterion or indicator row, as at the report's date
    objective: Objective | None = None  # a criterion's objective
    change: str = Change.NO_COMPARISON
    rag_then: Rag | None = None
    rag_now: Rag | None = None  # for an item no longer an exception; None if gone from the plan
    position: int = 0  # in the plan's order
    lacks_update: bool = False  # an action that needs an update for the meeting
    last_update: date | None = None  # an action's latest progress update, as at the report
    # Its rating in the papers of up to three earlier meetings, oldest first: (meeting date,
    # rating, or None where those papers did not list it).
    board_history: tuple[tuple[date, Rag | None], ...] = ()
    # Where the report's items link to (set by exception_items): not part of the item's value.
    pages: "ItemPages | None" = field(default=None, compare=False, repr=False)

    @property
    def only_lacks_update(self) -> bool:
        """An action listed for no reason but a missing update: chased, not discussed."""
        return self.lacks_update and len(self.reasons) == 1

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)

    @cached_property
    def url(self) -> str:
        if self.kind == ItemKind.CRITERION:
            return f"{self.pages.url(ItemKind.OBJECTIVE, self.objective.reference)}#criteria"
        return self.pages.url(self.kind, self.reference)

    @cached_property
    def _responsible_posts(self) -> list:
        if self.kind == ItemKind.ACTION:
            return self.source.responsible_posts()
        if self.kind == ItemKind.INDICATOR:
            return []
        return list((self.objective or self.source).responsible_posts.all())

    @cached_property
    def posts(self) -> list[str]:
        return [post.name for post in self._responsible_posts]

    @cached_property
    def holders(self) -> list[str]:
        # Apart from the posts: the page names the holders of the posts to chase alone.
        posts = self._responsible_posts
        return sorted({u.get_full_name() or u.username for p in posts for u in p.holders.all()})

    @property
    def due(self) -> date | None:
        if self.kind == ItemKind.ACTION:
            return self.source.original_due_date
        return self.source.deadline if self.kind == ItemKind.OBJECTIVE else None

    @property
    def revised_due(self) -> date | None:
        return self.source.revised_due_date if self.kind == ItemKind.ACTION else None

    @property
    def details(self) -> str:
        """The report page's line under its title: why, whose, when due, the earlier boards'
        ratings. Written here, not with the template's tags: a report has hundreds of rows."""
        parts = ["; ".join(self.reasons)]
        if self.posts:
            parts.append("; ".join(self.posts))
        if self.due:
            due = f"due {short_date(self.due)}"
            if self.revised_due:
                due += f", revised to {short_date(self.revised_due)}"
            parts.append(due)
        if self.board_history:
            parts.append(f"earlier boards: {self.earlier_boards}")
        return " · ".join(parts)

    @cached_property
    def _commentary(self) -> tuple[str, date | None]:
        if self.kind == ItemKind.ACTION:
            for update in reversed(list(self.source.updates.all())):
                if update.commentary:
                    return update.commentary, timezone.localdate(update.created_at)
        if self.kind == ItemKind.INDICATOR and self.source.latest.note:
            return self.source.latest.note, self.source.latest.month
        return "", None

    @property
    def commentary(self) -> str:
        return self._commentary[0]

    @property
    def commentary_date(self) -> date | None:
        return self._commentary[1]


@dataclass(frozen=True)
class PapersEntry(KindAndChangeLabels):
    """An exception as a meeting's papers had it, and no more: what a later report compares its
    ratings with, and lists once it is no longer an exception."""

    kind: str
    pk: int
    reference: str
    title: str
    rag: Rag
    url: str
    rag_now: Rag | None = None  # on a later report's copy: None if gone from the plan

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)

    @classmethod
    def of(cls, item: ExceptionItem) -> "PapersEntry":
        return cls(item.kind, item.pk, item.reference, item.title, item.rag, item.url)

    def as_json(self) -> list:
        return [self.kind, self.pk, self.reference, self.title, self.rag.value, self.url]

    @classmethod
    def from_json(cls, values: list) -> "PapersEntry":
        kind, pk, reference, title, rag, url = values
        return cls(kind, pk, reference, title, Rag(rag), url)


def action_exception_reasons(action: Action, *, today: date, since: datetime | None) -> list[str]:
    """Why an action is an exception, one reason each; empty when it is not one.

    `since` is the start of the previous meeting's day: an update made on or after it counts.
    With no previous meeting, an action never updated at all is an exception.
    """
    reasons = []
    if action.is_overdue(today):
        reasons.append(
            f"Overdue: due {long_date(action.deadline)}; its owner reports "
            f"{ActionStatus(action.status).label.lower()}"
        )
    elif action.rag(today) in (Rag.RED, Rag.AMBER):
        reasons.append(f"{action.rag(today).label}: {ActionStatus(action.status).label.lower()}")
    missing = missing_update(action, since=since)
    reasons += [missing] if missing else []
    return reasons


def _action_item(action: Action, *, today: date, since: datetime | None) -> ExceptionItem | None:
    reasons = action_exception_reasons(action, today=today, since=since)
    if not reasons:
        return None
    last = action.last_updated_at
    return ExceptionItem(
        kind=ItemKind.ACTION, pk=action.pk, reference=action.reference,
        title=action.description, area=action.objective.priority_area, rag=action.rag(today),
        reasons=reasons, source=action, lacks_update=needs_update(action, since=since),
        last_update=timezone.localdate(last) if last else None,
    )  # fmt: skip


def _objective_item(objective: Objective, *, today: date) -> ExceptionItem | None:
    parts = objective.rag_parts(today)
    rating = worst(rating for _, rating in parts)
    if rating not in (Rag.RED, Rag.AMBER):
        return None
    from_parts = ", ".join(name for name, part_rating in parts if part_rating == rating)
    return ExceptionItem(
        kind=ItemKind.OBJECTIVE, pk=objective.pk, reference=objective.reference,
        title=objective.differently_or_better, area=objective.priority_area, rag=rating,
        reasons=[f"{rating.label}: the worst of its parts ({from_parts})"], source=objective,
    )  # fmt: skip


def _criterion_item(criterion: SuccessCriterion, objective: Objective) -> ExceptionItem | None:
    rating = criterion.rag
    if rating not in (Rag.RED, Rag.AMBER):
        return None
    latest = criterion.latest_result
    reason = (
        f"{rating.label}: {latest.percentage}% of {latest.audited} audits good or outstanding "
        f"in {month_year(latest.month)}. {criterion.band_description()}"
    )
    if criterion.small_sample:
        reason += f" {criterion.small_sample}, so the rating rests on few cases."
    return ExceptionItem(
        kind=ItemKind.CRITERION, pk=criterion.pk, reference=criterion.reference,
        title=criterion.criterion, area=objective.priority_area, rag=rating, reasons=[reason],
        source=criterion, objective=objective,
    )  # fmt: skip


def indicator_exception_reasons(row: IndicatorRow) -> list[str]:
    """Red, or a band lower than the month before (rated against the same thresholds)."""
    reasons = []
    rating, indicator, latest = row.rag, row.indicator, row.latest
    if rating == Rag.RED:
        reasons.append(
            f"Red: {indicator.format_figure(latest.value)} in {month_year(latest.month)} "
            f"(target {indicator.target_in_words()})"
        )
    previous = row.previous
    if previous is not None and rating != Rag.NOT_RATED:
        before = indicator.rag_for(previous.value)
        if before != Rag.NOT_RATED and SEVERITY[rating] > SEVERITY[before]:
            reasons.append(
                f"Fell from {before.label} ({indicator.format_figure(previous.value)}) to "
                f"{rating.label} since {month_year(previous.month)}"
            )
    return reasons


def _indicator_item(row: IndicatorRow, area: PriorityArea | None) -> ExceptionItem | None:
    reasons = indicator_exception_reasons(row)
    if not reasons:
        return None
    indicator = row.indicator
    return ExceptionItem(
        kind=ItemKind.INDICATOR, pk=indicator.pk, reference=indicator.reference,
        title=indicator.title, area=area, rag=row.rag, reasons=reasons, source=row,
    )  # fmt: skip


def indicator_rows_at(snapshot: IndicatorSnapshot) -> list[IndicatorRow]:
    """The plan's indicators as the snapshot read them (indicators.as_at keeps only its own)."""
    return [
        IndicatorRow(indicator, snapshot.values.get(indicator.pk, []))
        for indicator in snapshot.indicators
    ]


def _indicator_area(
    indicator_id: int, snapshot: IndicatorSnapshot, areas: dict[int, PriorityArea]
) -> PriorityArea | None:
    """The first of the plan's priority areas the indicator is linked to, if any."""
    linked = [areas[i] for i in snapshot.area_ids.get(indicator_id, []) if i in areas]
    return min(linked, key=lambda a: (a.position, a.reference), default=None)


def exception_items(
    plan: PlanSnapshot, indicators: IndicatorSnapshot, *, today: date, since: datetime | None
) -> list[ExceptionItem]:
    """Every exception, in the plan's order: by area, then objectives, actions, criteria."""
    items = []
    for objective in plan.objectives:
        item = _objective_item(objective, today=today)
        items += [item] if item else []
        for action in objective.actions.all():
            item = _action_item(action, today=today, since=since)
            items += [item] if item else []
        for criterion in objective.success_criteria.all():
            item = _criterion_item(criterion, objective)
            items += [item] if item else []
    areas = {area.pk: area for area in plan.priority_areas}
    for row in indicator_rows_at(indicators):
        item = _indicator_item(row, _indicator_area(row.indicator.pk, indicators, areas))
        items += [item] if item else []
    pages = ItemPages(plan.plan.reference)
    for position, item in enumerate(items):
        item.position, item.pages = position, pages
    return items


def compare(items: list[ExceptionItem], earlier: list[PapersEntry]) -> list[PapersEntry]:
    """Mark each item new, worsened, improved or unchanged; return the earlier ones now gone."""
    earlier_by_key = {item.key: item for item in earlier}
    for item in items:
        before = earlier_by_key.pop(item.key, None)
        if before is None:
            item.change = Change.NEW
            continue
        item.rag_then = before.rag
        if SEVERITY[item.rag] > SEVERITY[before.rag]:
            item.change = Change.WORSENED
        elif SEVERITY[item.rag] < SEVERITY[before.rag]:
            item.change = Change.IMPROVED
        else:
            item.change = Change.UNCHANGED
    return list(earlier_by_key.values())
