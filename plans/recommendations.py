"""The recommendations register: recording recommendations, what has been done about them, and
the decisions of the board or panel that tracks them. The status and live-list rule itself is
`RecommendationProgress` (plans.models), so pages, reports and history all read it the same way.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.text import Truncator

from plans.as_at import _attach, _group, end_of_day, objects_as_at
from plans.models import (
    BoardMeeting,
    InspectionReference,
    PanelDecision,
    Plan,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    RecommendationUpdate,
)


def recommendations_with_progress(plan: Plan):
    """The plan's recommendations with all that their progress, posts and links need."""
    return plan.recommendations.select_related("made_at").prefetch_related(
        Prefetch("updates", queryset=RecommendationUpdate.objects.select_related("created_by")),
        Prefetch(
            "decisions",
            queryset=PanelDecision.objects.select_related("meeting", "recorded_by"),
        ),
        "objectives__priority_area",
        "objectives__responsible_posts__holders",
        "responsible_posts__holders",
    )


@transaction.atomic
def recommendation_create(recommendation: Recommendation, *, objectives, posts, by):
    """Save a new recommendation with the plan's next number (R1, R2 ...)."""
    if not by.has_perm("plans.manage_recommendations"):
        raise PermissionDenied("Only a performance manager or a panel clerk adds recommendations.")
    # Locking the plan row makes two additions at once take numbers in turn.
    Plan.objects.select_for_update().get(pk=recommendation.plan_id)
    highest = recommendation.plan.recommendations.aggregate(Max("number"))["number__max"]
    recommendation.number = (highest or 0) + 1
    recommendation._history_user = by
    recommendation.save()
    recommendation.objectives.set(objectives)
    recommendation.responsible_posts.set(posts)
    return recommendation


def update_problems(
    recommendation: Recommendation, *, taken_on: date, action_taken: str, status: str, today: date
) -> dict[str, str]:
    """What is wrong with an update, by form field; empty when it may be recorded."""
    problems = {}
    if not action_taken.strip():
        problems["action_taken"] = "Say what has been done."
    # Entries are a log in date order: none before the recommendation or its latest entry.
    updates = recommendation.progress().updates
    earliest = max(
        [d for d in (recommendation.date, updates[-1].taken_on if updates else None) if d],
        default=None,
    )
    if taken_on > today:
        problems["taken_on"] = "The date must be today or earlier: record what has been done."
    elif earliest and taken_on < earliest:
        problems["taken_on"] = (
            f"The date must be {earliest.day} {earliest:%B %Y} or later: the recommendation's "
            "date or its latest entry's."
        )
    if status == RecommendationStatus.REJECTED and recommendation.source != "meeting":
        problems["status"] = (
            "Only a meeting's own recommendation can be rejected; an inspection finding "
            "must be answered."
        )
    return problems


def recommendation_record_update(
    recommendation: Recommendation,
    *,
    by,
    taken_on: date,
    action_taken: str,
    status: str,
    today: date,
    now: datetime | None = None,
) -> RecommendationUpdate:
    """Append what has been done and the status it leaves; never on a closed recommendation."""
    if not by.has_perm("plans.update_recommendation", recommendation):
        raise PermissionDenied("Only the posts that answer for it record what has been done.")
    problems = update_problems(
        recommendation, taken_on=taken_on, action_taken=action_taken, status=status, today=today
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        # The row lock orders this update after any decision being recorded at the same time.
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if not locked.progress().is_open:
            raise ValidationError(
                "This recommendation has been closed by the committee: it stays in the register "
                "as it is."
            )
        return RecommendationUpdate.objects.create(
            recommendation=locked, taken_on=taken_on, action_taken=action_taken.strip(),
            status=status, created_by=by, created_at=now or timezone.now(),
        )  # fmt: skip


def decision_meetings(recommendation: Recommendation, today: date):
    """The meetings a decision may be recorded at: the tracking committee's, held by today and
    not before the latest update it decides on."""
    meetings = recommendation.plan.board_meetings.filter(
        committee=recommendation.committee, date__lte=today
    )
    updates = recommendation.progress().updates
    if updates:
        meetings = meetings.filter(date__gte=updates[-1].taken_on)
    return meetings.order_by("-date")


def recommendations_awaiting(meeting: BoardMeeting, today: date) -> list[Recommendation]:
    """What a held meeting can decide on: its committee's recommendations awaiting a decision
    that were proposed by the day it met (none before the meeting has been held)."""
    if meeting.date > today:
        return []
    return [
        recommendation
        for recommendation in recommendations_with_progress(meeting.plan).filter(
            committee=meeting.committee
        )
        if recommendation.progress().awaiting_decision
        and recommendation.progress().updates[-1].taken_on <= meeting.date
    ]


def recommendation_record_decision(
    recommendation: Recommendation,
    *,
    by,
    meeting: BoardMeeting,
    decision: str,
    reason: str,
    today: date,
    now: datetime | None = None,
) -> PanelDecision:
    """Record the committee's decision on a recommendation awaiting one, all or nothing."""
    if not by.has_perm("plans.manage_recommendations"):
        raise PermissionDenied("Only a performance manager or a panel clerk records a decision.")
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        progress = locked.progress()
        problems = {}
        if not progress.awaiting_decision:
            raise ValidationError(
                "This recommendation is not awaiting a decision: it needs an update proposing "
                "it complete (or reporting its rejection) first."
            )
        if decision not in progress.decision_choices():
            problems["decision"] = "Choose one of the decisions offered."
        if not decision_meetings(locked, today).filter(pk=meeting.pk).exists():
            problems["meeting"] = (
                f"Choose a meeting of the {locked.committee} held by today and not before the "
                "latest update."
            )
        if decision == "not_accepted" and not reason.strip():
            problems["reason"] = "Give the reason the committee gave, so officers know what to do."
        if problems:
            raise ValidationError(problems)
        return PanelDecision.objects.create(
            recommendation=locked, meeting=meeting, decision=decision, reason=reason.strip(),
            recorded_by=by, recorded_at=now or timezone.now(),
        )  # fmt: skip


def recommendations_as_at(plan: Plan, as_at: date) -> list[Recommendation]:
    """The plan's recommendations as they stood at the end of `as_at`: their wording then, and
    only the updates and decisions recorded by then (the meetings are read as they are now)."""
    moment = end_of_day(as_at)
    recommendations = sorted(
        objects_as_at(Recommendation, moment, plan_id=plan.pk), key=lambda r: r.number
    )
    ids = [r.pk for r in recommendations]
    updates = _group(
        RecommendationUpdate.objects.filter(recommendation_id__in=ids, created_at__lt=moment)
        .select_related("created_by")
        .order_by("created_at", "pk"),
        lambda u: u.recommendation_id,
    )
    decisions = _group(
        PanelDecision.objects.filter(recommendation_id__in=ids, recorded_at__lt=moment)
        .select_related("meeting", "recorded_by")
        .order_by("recorded_at", "pk"),
        lambda d: d.recommendation_id,
    )
    meetings = BoardMeeting.objects.in_bulk({r.made_at_id for r in recommendations} - {None})
    for recommendation in recommendations:
        recommendation.plan = plan
        recommendation.made_at = meetings.get(recommendation.made_at_id)
        _attach(recommendation, "updates", updates[recommendation.pk])
        _attach(recommendation, "decisions", decisions[recommendation.pk])
    return recommendations


@dataclass
class MonitoringReport:
    """A committee's monitoring report for one of its meetings: the open recommendations it
    tracks, as the papers stood when they were due."""

    plan: Plan
    meeting: BoardMeeting
    as_at: date
    recommendations: list[Recommendation]

    @property
    def title(self) -> str:
        return f"{self.meeting.committee} monitoring – {self.meeting.date.day} " + (
            f"{self.meeting.date:%B %Y}"
        )

    @property
    def awaiting_decision(self) -> int:
        return sum(r.progress().awaiting_decision for r in self.recommendations)


def monitoring_report(plan: Plan, meeting: BoardMeeting, today: date) -> MonitoringReport:
    as_at = meeting.as_at(today)
    tracked = [
        recommendation
        for recommendation in recommendations_as_at(plan, as_at)
        if recommendation.committee == meeting.committee and recommendation.progress().is_open
    ]
    tracked.sort(key=lambda r: (r.date or date.max, r.number))
    return MonitoringReport(plan=plan, meeting=meeting, as_at=as_at, recommendations=tracked)


def _finding_key(inspectorate: str, year: int, kind: str, words: str, objective_ids) -> tuple:
    # A finding is known by its words; one cited without them only by the objectives citing it.
    words = " ".join(words.split())
    return (inspectorate, year, kind, words or frozenset(objective_ids))


def inspection_findings_not_in_register(plan: Plan) -> list[list[InspectionReference]]:
    """The findings the plan's objectives cite that the register does not hold yet, each as the
    citations of it. A finding cited by several objectives (same inspectorate, year, kind and
    words) is one finding; one cited without its words is one per objective, as nothing says two
    such citations are the same finding."""
    cited: dict[tuple, list] = {}
    for reference in InspectionReference.objects.filter(objective__plan=plan).select_related(
        "objective"
    ):
        key = _finding_key(
            reference.source, reference.year, reference.kind, reference.text,
            [reference.objective_id],
        )  # fmt: skip
        cited.setdefault(key, []).append(reference)
    held = {
        _finding_key(
            r.inspectorate,
            r.inspection_year,
            r.inspection_kind,
            r.action_proposed,
            [o.pk for o in r.objectives.all()],
        )  # fmt: skip
        for r in plan.recommendations.filter(
            source=RecommendationSource.INSPECTION
        ).prefetch_related("objectives")
    }
    return [references for key, references in cited.items() if key not in held]


@transaction.atomic
def recommendations_from_inspection_references(plan: Plan, *, committee: str, by) -> int:
    """Add the findings the plan cites that the register lacks, each linked to every objective
    citing it; returns how many were added."""
    findings = inspection_findings_not_in_register(plan)
    for references in findings:
        first = references[0]
        words = " ".join(first.text.split())
        objectives = sorted({r.objective for r in references}, key=lambda o: o.position)
        # A title that tells findings apart: their opening words, else where the plan cites it.
        title = Truncator(words).words(12) or f"Cited by objective {objectives[0].reference}"
        recommendation = Recommendation(
            plan=plan, source=RecommendationSource.INSPECTION, committee=committee,
            inspectorate=first.source, inspection_year=first.year, inspection_kind=first.kind,
            title=title, action_proposed=words,
        )  # fmt: skip
        recommendation_create(recommendation, objectives=objectives, posts=[], by=by)
    return len(findings)
