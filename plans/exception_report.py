"""The exception report: what is off track for a board meeting, as at a date (product rule 5).

An exception is an objective, action or success criterion rated Red or Amber; an action that is
overdue or has had no progress update since the previous meeting; an indicator rated Red or
that fell a band since the month before. docs/rag-rules.md says the same in words.

The report is always built from history (plans.as_at), so the report as at a past date is the
one the board saw, and the report as at today is built the same way.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db import OperationalError, models, transaction
from django.urls import reverse
from django.utils import timezone

from plans.as_at import (
    IndicatorSnapshot,
    PlanSnapshot,
    end_of_day,
    indicators_as_at,
    objects_as_at,
    plan_as_at,
)
from plans.indicator_selectors import IndicatorRow
from plans.models import (
    Action,
    ActionStatus,
    AreaAssessment,
    BoardMeeting,
    Committee,
    Objective,
    Plan,
    PriorityArea,
    RecordedPapers,
    SuccessCriterion,
)
from plans.rag import Rag, worst
from plans.selectors import RAG_ORDER

logger = logging.getLogger(__name__)


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


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # 31 March 2022, the UK way


def month_year(day: date) -> str:
    return f"{day:%B %Y}"


class KindAndChangeLabels:
    """The words for an exception's kind and change, for an item and its row alike."""

    kind: str
    change: str

    def get_kind_display(self) -> str:
        return ItemKind(self.kind).label

    def get_change_display(self) -> str:
        return Change(self.change).label


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

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)

    @cached_property
    def url(self) -> str:
        if self.kind == ItemKind.INDICATOR:
            return reverse("plans:indicator_detail", kwargs={"reference": self.reference})
        if self.kind == ItemKind.CRITERION:
            return f"{self.objective.get_absolute_url()}#criteria"
        return self.source.get_absolute_url()

    @cached_property
    def _responsible(self) -> tuple[list[str], list[str]]:
        if self.kind == ItemKind.ACTION:
            posts = self.source.responsible_posts()
        elif self.kind == ItemKind.INDICATOR:
            posts = []
        else:
            posts = list((self.objective or self.source).responsible_posts.all())
        holders = {u.get_full_name() or u.username for p in posts for u in p.holders.all()}
        return [p.name for p in posts], sorted(holders)

    @property
    def posts(self) -> list[str]:
        return self._responsible[0]

    @property
    def holders(self) -> list[str]:
        return self._responsible[1]

    @property
    def due(self) -> date | None:
        if self.kind == ItemKind.ACTION:
            return self.source.original_due_date
        return self.source.deadline if self.kind == ItemKind.OBJECTIVE else None

    @property
    def revised_due(self) -> date | None:
        return self.source.revised_due_date if self.kind == ItemKind.ACTION else None

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

    @cached_property
    def row(self) -> "ExceptionRow":
        """What the report page's table shows of it (read once the report is built: its change
        since the previous meeting is set by then)."""
        return ExceptionRow(
            url=self.url, kind=self.kind, reference=self.reference, title=self.title,
            posts=tuple(self.posts), holders=tuple(self.holders), due=self.due,
            revised_due=self.revised_due, rag=self.rag, reasons=tuple(self.reasons),
            commentary=self.commentary, commentary_date=self.commentary_date,
            change=self.change, rag_then=self.rag_then,
        )  # fmt: skip


@dataclass(frozen=True)
class ExceptionRow(KindAndChangeLabels):
    """An exception as a row of the report page's table, and nothing more: the row's HTML depends
    on these values alone, so it is rendered once for every report that shows the same row
    (`exception_row` in plans/templatetags/plan_tags.py). After a progress update, only that
    action's row is rendered anew."""

    url: str
    kind: str
    reference: str
    title: str
    posts: tuple[str, ...]
    holders: tuple[str, ...]
    due: date | None
    revised_due: date | None
    rag: Rag
    reasons: tuple[str, ...]
    commentary: str
    commentary_date: date | None
    change: str
    rag_then: Rag | None


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


def missing_update(action: Action, *, since: datetime | None) -> str:
    """Why an unfinished action lacks an update ("" when it has one): none since the previous
    meeting, or, when there was no previous meeting, none at all."""
    if action.status == ActionStatus.COMPLETE:
        return ""
    updates = list(action.updates.all())
    last = updates[-1].created_at if updates else None
    if since is None:
        return "" if last else "No progress update yet"
    if last is None or last < since:
        return f"No progress update since the previous meeting ({long_date(since.date())})"
    return ""


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
    return ExceptionItem(
        kind=ItemKind.ACTION, pk=action.pk, reference=action.reference,
        title=action.description, area=action.objective.priority_area, rag=action.rag(today),
        reasons=reasons, source=action,
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


def plan_indicator_rows(plan: PlanSnapshot, indicators: IndicatorSnapshot) -> list[IndicatorRow]:
    """Indicators linked to this plan's areas, or to no area at all (those belong to every plan)."""
    area_ids = {area.pk for area in plan.priority_areas}
    return [
        row
        for row in indicator_rows_at(indicators)
        if not indicators.area_ids.get(row.indicator.pk)
        or area_ids & set(indicators.area_ids[row.indicator.pk])
    ]


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
    for row in plan_indicator_rows(plan, indicators):
        item = _indicator_item(row, _indicator_area(row.indicator.pk, indicators, areas))
        items += [item] if item else []
    for position, item in enumerate(items):
        item.position = position
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


def previous_meeting(
    plan: Plan, *, as_at: date, meeting: BoardMeeting | None
) -> BoardMeeting | None:
    """The meeting updates are expected since, from the meetings as they were recorded at the
    end of `as_at` (so a meeting added or moved later cannot rewrite an old report): the
    committee's last meeting before this one and before `as_at`; for a report as at a date alone,
    the last Improvement Board before that date."""
    committee = meeting.committee if meeting else Committee.IMPROVEMENT_BOARD
    before = min(meeting.date, as_at) if meeting else as_at
    meetings = objects_as_at(BoardMeeting, end_of_day(as_at), plan_id=plan.pk)
    earlier = [m for m in meetings if m.committee == committee and m.date < before]
    return max(earlier, key=lambda m: m.date, default=None)


@dataclass
class AreaSection:
    area: PriorityArea | None
    rag: Rag
    assessment: AreaAssessment | None
    items: list[ExceptionItem] = field(default_factory=list)


@dataclass
class ExceptionReport:
    plan: Plan
    as_at: date
    meeting: BoardMeeting | None
    previous: BoardMeeting | None
    exists: bool
    snapshot: PlanSnapshot
    indicators: IndicatorSnapshot
    items: list[ExceptionItem]
    resolved: list[PapersEntry]  # exceptions in the previous report that are no longer
    assessments: dict[int, AreaAssessment]
    objective_counts: Counter
    action_counts: Counter
    indicator_counts: Counter
    overdue: int
    not_updated: int
    compared_with: date | None  # the as-at date of the report it is compared with
    area_ratings: dict[int, Rag]  # each priority area's RAG, the worst of its objectives'

    def rag_counts(self) -> list[tuple[str, list[tuple[Rag, int]]]]:
        """Objectives, actions and indicators counted by RAG, every rating shown (0 included)."""
        indicator_order = [rating for rating in RAG_ORDER if rating != Rag.COMPLETE]
        return [
            (name, [(rating, counter.get(rating, 0)) for rating in order])
            for name, counter, order in (
                ("Objectives", self.objective_counts, RAG_ORDER),
                ("Actions", self.action_counts, RAG_ORDER),
                ("Indicators", self.indicator_counts, indicator_order),
            )
        ]

    @property
    def new_count(self) -> int:
        return sum(item.change == Change.NEW for item in self.items)

    def sections(self, items: list[ExceptionItem] | None = None) -> list[AreaSection]:
        """The items grouped by priority area, in the plan's order, keeping the items' order."""
        items = self.items if items is None else items
        sections = [
            AreaSection(
                area=area,
                rag=self.area_ratings[area.pk],
                assessment=self.assessments.get(area.pk),
                items=[item for item in items if item.area is not None and item.area.pk == area.pk],
            )
            for area in self.snapshot.priority_areas
        ]
        unlinked = [item for item in items if item.area is None]
        if unlinked:
            sections.append(AreaSection(None, Rag.NOT_RATED, None, unlinked))
        return sections


def plan_indicators_as_at(snapshot: PlanSnapshot) -> IndicatorSnapshot:
    """The indicators the plan's report shows, at the plan snapshot's moment, and only those."""
    area_ids = {area.pk for area in snapshot.priority_areas}
    return indicators_as_at(snapshot.moment, plan_area_ids=area_ids)


# A moment counts as settled an hour after it: no transaction still open then can write history
# dated before it. From then on a report as at that moment reads the same rows for good.
SETTLED_AFTER = timedelta(hours=1)


def has_settled(as_at: date) -> bool:
    """Whether the moment a report as at `as_at` describes has passed, for good."""
    return end_of_day(as_at) + SETTLED_AFTER <= timezone.now()


def build_exception_report(
    plan: Plan, *, as_at: date, meeting: BoardMeeting | None = None
) -> ExceptionReport:
    """The report as at the end of `as_at`, compared with the papers of the previous meeting.

    Built from history on every request, so that what one server or process records shows at
    once on every other; only the previous meeting's papers are read as recorded
    (`papers_entries`). docs/architecture.md, "How reports are kept"."""
    previous, snapshot, indicators, items = _papers(plan, as_at=as_at, meeting=meeting)
    resolved, compared_with = [], None
    if previous is not None:
        # The previous meeting's own papers, as its meetings stood then.
        compared_with = previous.as_at(as_at)
        earlier = papers_entries(plan, as_at=compared_with, meeting=previous)
        ratings_now = _ratings(snapshot, indicators, today=as_at)
        resolved = [
            replace(entry, rag_now=ratings_now.get(entry.key)) for entry in compare(items, earlier)
        ]
    assessments = {}
    if meeting is not None:
        rows = objects_as_at(AreaAssessment, end_of_day(as_at), meeting_id=meeting.pk)
        assessments = {assessment.priority_area_id: assessment for assessment in rows}
    actions = snapshot.actions
    rows = plan_indicator_rows(snapshot, indicators)
    objective_ratings = {o.pk: o.rag(as_at) for o in snapshot.objectives}
    return ExceptionReport(
        plan=snapshot.plan, as_at=as_at, meeting=meeting, previous=previous,
        exists=snapshot.exists, snapshot=snapshot, indicators=indicators, items=items,
        resolved=resolved, assessments=assessments,
        objective_counts=Counter(objective_ratings.values()),
        action_counts=Counter(a.rag(as_at) for a in actions),
        indicator_counts=Counter(row.rag for row in rows),
        overdue=sum(a.is_overdue(as_at) for a in actions),
        not_updated=sum(bool(missing_update(a, since=_start_of(previous))) for a in actions),
        compared_with=compared_with,
        area_ratings={
            area.pk: worst(objective_ratings[o.pk] for o in snapshot.objectives_of(area))
            for area in snapshot.priority_areas
        },
    )  # fmt: skip


def papers_key(plan: Plan, as_at: date, meeting: BoardMeeting | None) -> str:
    """Which papers: the plan's, as at a date, for a meeting or none. The meeting's committee
    and date are in it, as they choose the meeting before it (`previous_meeting`)."""
    about = f"{meeting.pk}:{meeting.committee}:{meeting.date.isoformat()}" if meeting else ""
    return f"papers:{plan.pk}:{as_at.isoformat()}:{about}"


def papers_entries(plan: Plan, *, as_at: date, meeting: BoardMeeting | None) -> list[PapersEntry]:
    """The exceptions in the papers as at `as_at` for `meeting` (not compared with any). Once
    their moment has settled they are the papers as that meeting had them: recorded the first
    time they are built (RecordedPapers), and read from the record by every later report."""
    if not has_settled(as_at):
        return _papers_built(plan, as_at=as_at, meeting=meeting)
    key = papers_key(plan, as_at, meeting)
    recorded = RecordedPapers.objects.filter(key=key).values_list("entries", flat=True).first()
    if recorded is not None:
        return [PapersEntry.from_json(values) for values in recorded]
    entries = _papers_built(plan, as_at=as_at, meeting=meeting)
    try:
        # Another process may have recorded the same papers meanwhile: the same entries, kept.
        with transaction.atomic():
            RecordedPapers.objects.bulk_create(
                [RecordedPapers(plan=plan, key=key, entries=[e.as_json() for e in entries])],
                ignore_conflicts=True,
            )
    except OperationalError:  # e.g. SQLite busy with another write: the next build records them
        logger.warning("Could not record the papers %s", key, exc_info=True)
    return entries


def _papers_built(plan: Plan, *, as_at: date, meeting: BoardMeeting | None):
    return [PapersEntry.of(item) for item in _papers(plan, as_at=as_at, meeting=meeting)[3]]


def forget_recorded_papers() -> None:
    """For code that rewrites history's dates (a data loader): papers recorded from the history
    as it was would no longer be the papers of that moment."""
    RecordedPapers.objects.all().delete()


def record_previous_papers(*, today: date) -> int:
    """Record, where not yet recorded, the previous meeting's papers that the reports people open
    now compare with: as at today, and for each committee's next meeting (its latest if none is
    set). Beat runs it hourly, so that nobody opening a report waits for them to be built from
    history. Returns how many papers that is."""
    recorded = set()
    for plan in Plan.objects.all():
        meetings = {}  # by committee: the first on or after today, else the latest
        for meeting in plan.board_meetings.order_by("date", "pk"):
            held = meetings.get(meeting.committee)
            if held is None or held.date < today:
                meetings[meeting.committee] = meeting
        for meeting in [None, *meetings.values()]:
            as_at = meeting.as_at(today) if meeting else today
            previous = previous_meeting(plan, as_at=as_at, meeting=meeting)
            compared_with = previous.as_at(as_at) if previous else None
            if compared_with is None or not has_settled(compared_with):
                continue
            papers_entries(plan, as_at=compared_with, meeting=previous)
            recorded.add((plan.pk, compared_with, previous.pk))
    return len(recorded)


def _papers(plan: Plan, *, as_at: date, meeting: BoardMeeting | None):
    """The previous meeting, the plan and indicators as at `as_at`, and the exceptions."""
    previous = previous_meeting(plan, as_at=as_at, meeting=meeting)
    snapshot = plan_as_at(plan, end_of_day(as_at))
    indicators = plan_indicators_as_at(snapshot)
    items = exception_items(snapshot, indicators, today=as_at, since=_start_of(previous))
    return previous, snapshot, indicators, items


def _ratings(plan: PlanSnapshot, indicators: IndicatorSnapshot, *, today: date) -> dict:
    """Every item's rating at the snapshot, by item key."""
    ratings = {(ItemKind.ACTION, a.pk): a.rag(today) for a in plan.actions}
    for objective in plan.objectives:
        ratings[(ItemKind.OBJECTIVE, objective.pk)] = objective.rag(today)
        for criterion in objective.success_criteria.all():
            ratings[(ItemKind.CRITERION, criterion.pk)] = criterion.rag
    for row in plan_indicator_rows(plan, indicators):
        ratings[(ItemKind.INDICATOR, row.indicator.pk)] = row.rag
    return ratings


def _start_of(meeting: BoardMeeting | None) -> datetime | None:
    """The first moment of the meeting's day: an update made then or later is "since" it."""
    if meeting is None:
        return None
    return timezone.make_aware(datetime.combine(meeting.date, datetime.min.time()))


CHANGE_ORDER = [Change.NEW, Change.WORSENED, Change.IMPROVED, Change.UNCHANGED]


def _plan_order(item: ExceptionItem) -> int:
    return item.position


SORTS = {
    "plan": ("Plan order", _plan_order),
    "rag": ("RAG, worst first", lambda item: (-SEVERITY[item.rag], _plan_order(item))),
    "due": (
        "Due date, earliest first",
        lambda item: (
            (item.revised_due or item.due) is None,
            item.revised_due or item.due or date.max,
            _plan_order(item),
        ),
    ),
    "change": (
        "Change, new and worsened first",
        lambda item: (
            CHANGE_ORDER.index(item.change) if item.change in CHANGE_ORDER else len(CHANGE_ORDER),
            _plan_order(item),
        ),
    ),
    "commentary": (
        "Latest commentary, oldest first",
        lambda item: (item.commentary_date or date.min, _plan_order(item)),
    ),
}


@dataclass
class ItemFilter:
    """The chair's choices on the report page; empty values show everything."""

    area: str = ""
    post: str = ""
    rag: str = ""
    kind: str = ""
    change: str = ""
    sort: str = "plan"

    def apply(self, items: list[ExceptionItem]) -> list[ExceptionItem]:
        kept = [
            item
            for item in items
            if (not self.area or (item.area is not None and item.area.reference == self.area))
            and (not self.post or self.post in item.posts)
            and (not self.rag or item.rag == self.rag)
            and (not self.kind or item.kind == self.kind)
            and (not self.change or item.change == self.change)
        ]
        return sorted(kept, key=SORTS.get(self.sort, SORTS["plan"])[1])

    @property
    def is_active(self) -> bool:
        return any((self.area, self.post, self.rag, self.kind, self.change))
