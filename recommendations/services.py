"""Writes: recording recommendations, what has been done about them (a log only ever added
to), and the decisions of the board or panel that tracks them."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator

from plans.models import BoardMeeting, Plan
from recommendations.models import (
    PanelDecision,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    RecommendationUpdate,
)
from recommendations.selectors import decision_meetings, inspection_findings_not_in_register


@transaction.atomic
def recommendation_create(recommendation: Recommendation, *, objectives, posts, by):
    """Save a new recommendation with the plan's next number (R1, R2 ...)."""
    if not by.has_perm("recommendations.manage_recommendations"):
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
    if not by.has_perm("recommendations.update_recommendation", recommendation):
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
    if not by.has_perm("recommendations.manage_recommendations"):
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


def _objectives(objectives) -> str:
    references = [objective.reference for objective in objectives]
    if len(references) == 1:
        return f"objective {references[0]}"
    return f"objectives {', '.join(references[:-1])} and {references[-1]}"


@transaction.atomic
def recommendations_from_inspection_references(plan: Plan, *, committee: str, by) -> int:
    """Add the findings the plan cites that the register lacks, each linked to every objective
    citing it; returns how many were added."""
    findings = inspection_findings_not_in_register(plan)
    for references in findings:
        first = references[0]
        words = " ".join(first.text.split())
        objectives = sorted({r.objective for r in references}, key=lambda o: o.position)
        # The finding itself, or, where the plan gives only its citation, the citation and the
        # objectives that answer it.
        cited = f"{first.label}, answered by {_objectives(objectives)}"
        title = Truncator(Truncator(words).words(25) or cited).chars(300)
        recommendation = Recommendation(
            plan=plan, source=RecommendationSource.INSPECTION, committee=committee,
            inspectorate=first.source, inspection_year=first.year, inspection_kind=first.kind,
            title=title, action_proposed=words,
        )  # fmt: skip
        recommendation_create(recommendation, objectives=objectives, posts=[], by=by)
    return len(findings)
