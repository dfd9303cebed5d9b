"""Reads: the register with what its pages need, the meetings a decision can be recorded at,
what awaits a committee's decision, the register as it stood at a date, and the plan's inspection
findings not yet in it. The status and live-list rule itself is `RecommendationProgress`
(recommendations.models), so pages, reports and history all read it the same way."""

from datetime import date

from django.db.models import Prefetch

from plans.as_at import attach_related, end_of_day, group_by, objects_as_at
from plans.models import BoardMeeting, InspectionReference, Plan
from recommendations.models import (
    PanelDecision,
    Recommendation,
    RecommendationSource,
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


def recommendations_for_register(plan: Plan):
    """The register's rows: progress, the linked objectives' areas and actions (for the
    linked actions' progress), and no posts, which the register does not show."""
    return plan.recommendations.select_related("made_at").prefetch_related(
        "updates",
        Prefetch("decisions", queryset=PanelDecision.objects.select_related("meeting")),
        "objectives__priority_area",
        "objectives__actions",  # each action's objective is set by the prefetch
    )


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


def recommendations_as_at(plan: Plan, as_at: date) -> list[Recommendation]:
    """The plan's recommendations as they stood at the end of `as_at`: their wording then, and
    only the updates and decisions recorded by then (the meetings are read as they are now)."""
    moment = end_of_day(as_at)
    recommendations = sorted(
        objects_as_at(Recommendation, moment, plan_id=plan.pk), key=lambda r: r.number
    )
    ids = [r.pk for r in recommendations]
    updates = group_by(
        RecommendationUpdate.objects.filter(recommendation_id__in=ids, created_at__lt=moment)
        .select_related("created_by")
        .order_by("created_at", "pk"),
        lambda u: u.recommendation_id,
    )
    decisions = group_by(
        PanelDecision.objects.filter(recommendation_id__in=ids, recorded_at__lt=moment)
        .select_related("meeting", "recorded_by")
        .order_by("recorded_at", "pk"),
        lambda d: d.recommendation_id,
    )
    meetings = BoardMeeting.objects.in_bulk({r.made_at_id for r in recommendations} - {None})
    for recommendation in recommendations:
        recommendation.plan = plan
        recommendation.made_at = meetings.get(recommendation.made_at_id)
        attach_related(recommendation, "updates", updates[recommendation.pk])
        attach_related(recommendation, "decisions", decisions[recommendation.pk])
    return recommendations


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
