"""The exception report: what is off track for a board meeting, as at a date, compared with the
previous meeting's papers.

The report is always built from history (plans.as_at), so the report as at a past date is the
one the board saw, and the report as at today is built the same way.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from django.contrib.auth import get_user_model

from boards.exceptions import (
    Change,
    ExceptionItem,
    ItemKind,
    PapersEntry,
    compare,
    indicator_rows_at,
)
from boards.models import AreaAssessment, DecisionRequest, DecisionState
from boards.papers import earlier_papers, item_ratings, papers_as_at
from indicators.as_at import IndicatorSnapshot
from indicators.versions import Revision, revisions_between
from plans.as_at import end_of_day, group_by, objects_as_at
from plans.models import BoardMeeting, Plan, PriorityArea
from plans.rag import Rag, worst
from plans.selectors import RAG_ORDER
from plans.updates_due import meetings_as_at, needs_update, updates_count_from
from progress.as_at import PlanSnapshot


@dataclass
class AreaSection:
    area: PriorityArea | None
    rag: Rag
    assessment: AreaAssessment | None
    items: list[ExceptionItem] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionPaper:
    """A decision asked of the board, as the papers had it at the report's date."""

    asked: DecisionRequest
    subject: str  # "Action 1.3.5: …" or "Priority area 2: …"
    asker: str

    @property
    def is_open(self) -> bool:
        return self.asked.state == DecisionState.OPEN


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
    area_ratings: dict[int, Rag]  # each priority area's RAG, the worst of its objectives' RAGs
    # Every item's rating, now and in the previous meeting's papers (None: no previous one).
    ratings: dict[tuple[str, int], Rag] = field(default_factory=dict)
    previous_ratings: dict[tuple[str, int], Rag] | None = None
    decisions: list[DecisionPaper] = field(default_factory=list)  # open ones first
    # The plan's figures restated since the previous meeting's papers, for the footnotes.
    revisions: list[Revision] = field(default_factory=list)

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
        by_area = group_by(items, lambda item: item.area.pk if item.area is not None else None)
        sections = [
            AreaSection(
                area=area,
                rag=self.area_ratings[area.pk],
                assessment=self.assessments.get(area.pk),
                items=by_area.get(area.pk, []),
            )
            for area in self.snapshot.priority_areas
        ]
        unlinked = by_area.get(None, [])
        if unlinked:
            sections.append(AreaSection(None, Rag.NOT_RATED, None, unlinked))
        return sections


def build_exception_report(
    plan: Plan, *, as_at: date, meeting: BoardMeeting | None = None
) -> ExceptionReport:
    """The report as at the end of `as_at`, compared with the papers of the previous meeting.

    Built from history on every request, so that what one server or process records shows at
    once on every other; only the earlier meetings' papers are read as recorded
    (`earlier_papers`). docs/architecture.md, "How reports are kept"."""
    meetings = meetings_as_at(plan, as_at)
    previous, snapshot, indicators, items = papers_as_at(
        plan, as_at=as_at, meeting=meeting, meetings=meetings
    )
    # Every item's rating, once: for the comparison and the counts alike.
    ratings_now = item_ratings(snapshot, indicators, today=as_at)
    resolved, compared_with, previous_ratings = [], None, None
    if previous is not None:
        # The previous meeting's own papers, and the ratings at the boards before it.
        compared_with = previous.as_at(as_at)
        earlier, history = earlier_papers(plan, previous, compared_with, meetings)
        resolved = [
            replace(entry, rag_now=ratings_now.get(entry.key)) for entry in compare(items, earlier)
        ]
        for item in items:
            item.board_history = tuple((day, ratings.get(item.key)) for day, ratings in history)
        previous_ratings = history[-1][1]
    assessments, decisions = {}, []
    if meeting is not None:
        rows = objects_as_at(AreaAssessment, end_of_day(as_at), meeting_id=meeting.pk)
        assessments = {assessment.priority_area_id: assessment for assessment in rows}
        decisions = _decisions_as_at(snapshot, meeting, as_at)
    actions, since = snapshot.actions, updates_count_from(previous)
    rows = indicator_rows_at(indicators)
    revisions = []
    if compared_with is not None:
        revisions = revisions_between(
            [row.indicator for row in rows], indicators.values,
            then=end_of_day(compared_with), now=snapshot.moment,
        )  # fmt: skip
    objective_ratings = {o.pk: ratings_now[ItemKind.OBJECTIVE, o.pk] for o in snapshot.objectives}
    return ExceptionReport(
        plan=snapshot.plan, as_at=as_at, meeting=meeting, previous=previous,
        exists=snapshot.exists, snapshot=snapshot, indicators=indicators, items=items,
        resolved=resolved, assessments=assessments,
        objective_counts=Counter(objective_ratings.values()),
        action_counts=Counter(ratings_now[ItemKind.ACTION, a.pk] for a in actions),
        indicator_counts=Counter(ratings_now[ItemKind.INDICATOR, row.indicator.pk] for row in rows),
        overdue=sum(a.is_overdue(as_at) for a in actions),
        not_updated=sum(needs_update(a, since=since) for a in actions),
        compared_with=compared_with, decisions=decisions, revisions=revisions,
        ratings=ratings_now, previous_ratings=previous_ratings,
        area_ratings={
            area.pk: worst(objective_ratings[o.pk] for o in snapshot.objectives_of(area))
            for area in snapshot.priority_areas
        },
    )  # fmt: skip


def _decisions_as_at(snapshot: PlanSnapshot, meeting: BoardMeeting, as_at: date):
    """The decisions asked of the meeting as they stood at the end of `as_at`, open ones first."""
    asked = objects_as_at(DecisionRequest, end_of_day(as_at), meeting_id=meeting.pk)
    actions = {action.pk: action for action in snapshot.actions}
    areas = {area.pk: area for area in snapshot.priority_areas}
    # Those who ask are mostly the holders of the plan's posts, already read with the plan.
    people = {user.pk: user for post in snapshot.posts.values() for user in post.holders.all()}
    missing = {request.asked_by_id for request in asked} - set(people)
    people |= get_user_model().objects.in_bulk(missing) if missing else {}
    papers = []
    for request in sorted(asked, key=lambda r: (r.state != DecisionState.OPEN, r.asked_at)):
        action, area = actions.get(request.action_id), areas.get(request.priority_area_id)
        if action is not None:
            subject = f"Action {action.reference}: {action.description}"
        else:
            subject = f"Priority area {area.reference}: {area.title}" if area else ""
        person = people.get(request.asked_by_id)
        asker = (person.get_full_name() or person.username) if person else ""
        papers.append(DecisionPaper(request, subject, asker))
    return papers
