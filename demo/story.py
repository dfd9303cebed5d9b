"""The demo's past: the plan loaded four months ago, then heads of service updating their actions
before each board, so the exception report as at any recent date has a real history to show.

Every update goes through the same service as a real one (progress.services), at a past moment.
Statuses follow each action's due date, with a seeded random choice for variety, so the story is
the same on every machine. The commentary is the demo's own words.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone

from boards.models import AreaAssessment, RiskRating
from boards.papers import forget_recorded_papers
from demo.loading import DEMO_PLAN_REFERENCE, add_months
from indicators.models import IndicatorValue
from plans.models import Action, ActionStatus, BoardMeeting, Committee, Plan
from plans.rag import Rag
from plans.selectors import objectives_with_parts
from progress.services import action_record_progress

COMMENTARY = {
    ActionStatus.COMPLETE: [
        "Complete. The evidence is filed with the performance team.",
        "Done and signed off at the service management meeting.",
        "Complete; the change is now part of routine practice and is checked in audits.",
    ],
    ActionStatus.ON_TRACK: [
        "Work is under way and the next milestone is on schedule.",
        "On track: the project group met this month and agreed the remaining steps.",
        "Progressing as planned; a first review of the effect is booked.",
    ],
    ActionStatus.AT_RISK: [
        "At risk: two vacancies in the team have slowed the work. Agency cover starts next month.",
        "At risk while the new system module is tested; a fallback plan is agreed.",
    ],
    ActionStatus.OFF_TRACK: [
        "Off track: the lead post was vacant for two months. A recovery plan is agreed.",
        "Off track: partner sign-off is delayed; escalated to the partnership board.",
    ],
}
REVISION_REASON = "The recovery plan needs two more months after the delay described."


@dataclass(frozen=True)
class DemoTimeline:
    loaded_at: datetime
    meetings: list[BoardMeeting]
    rounds: list[datetime]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _updater(action: Action) -> User | None:
    """The first demo holder of a post owning the action; posts nobody holds get no updates,
    so the report shows what an unheld post looks like."""
    for post in action.responsible_posts():
        holders = sorted(post.holders.all(), key=lambda user: user.username)
        if holders:
            return holders[0]
    return None


def _next_status(action: Action, day: date, rng: random.Random) -> ActionStatus | None:
    """The status an owner reports on `day`, or None for no update this round."""
    deadline = action.deadline
    roll = rng.random()
    if deadline is None or deadline > day + timedelta(days=120):
        return (
            None if roll < 0.35 else (ActionStatus.ON_TRACK if roll < 0.9 else ActionStatus.AT_RISK)
        )
    if deadline < day:
        if roll < 0.72:
            return ActionStatus.COMPLETE
        return ActionStatus.OFF_TRACK if roll < 0.88 else None
    if roll < 0.7:
        return ActionStatus.ON_TRACK
    return ActionStatus.AT_RISK if roll < 0.9 else ActionStatus.OFF_TRACK


def _play_round(actions, moment: datetime, round_number: int, share: float):
    """Heads of service update a `share` of their unfinished actions at `moment`."""
    day = timezone.localtime(moment).date()
    for action in actions:
        if action.status == ActionStatus.COMPLETE:
            continue
        # Seeded, not secret: the same story on every machine.
        seed = f"{action.objective.reference}/{action.reference}/{round_number}"
        rng = random.Random(seed)  # noqa: S311
        if rng.random() > share:
            continue
        updater = _updater(action)
        status = _next_status(action, day, rng)
        if updater is None or status is None:
            continue
        revised = None
        if status == ActionStatus.OFF_TRACK and (action.deadline is None or action.deadline < day):
            revised = add_months(day, 2)
        update = action_record_progress(
            action=action, by=updater, version=action.version, status=status,
            commentary=rng.choice(COMMENTARY[status]), revised_due_date=revised,
            revision_reason=REVISION_REASON if revised else "", today=day,
            now=moment + timedelta(minutes=rng.randrange(0, 480)),
        )  # fmt: skip
        # Keep the in-memory action in step, as the next round reads it.
        action.version, action.status = update.version, update.status
        action.revised_due_date = revised or action.revised_due_date


def _set_area_leads(plan: Plan):
    """Name each area's lead: the post most often responsible in it that a demo user holds."""
    for area in plan.priority_areas.all():
        counts = Counter(
            post
            for objective in area.objectives.prefetch_related("responsible_posts__holders")
            for post in objective.responsible_posts.all()
            if post.holders.exists()
        )
        if counts:
            area.lead = counts.most_common(1)[0][0]
            area.save()


def _record_assessments(plan: Plan, meeting: BoardMeeting):
    """Three area leads judge their area's risk for the meeting, from its derived RAG."""
    areas = plan.priority_areas.select_related("lead").exclude(lead=None)[:3]
    objectives = list(objectives_with_parts().filter(plan=plan))
    for area in areas:
        ratings = [o.rag(meeting.papers_due) for o in objectives if o.priority_area_id == area.pk]
        judged = RiskRating.AMBER if Rag.RED in ratings else RiskRating.GREEN
        lead = area.lead.holders.order_by("username").first()
        assessment = AreaAssessment(
            meeting=meeting, priority_area=area, risk_rating=judged, recorded_by=lead,
            recorded_at=_at(meeting.papers_due - timedelta(days=1), 15),
            analysis="Most actions due so far are done. The overdue ones share one cause, "
            "staffing, and each has a recovery plan with a revised date.",
            next_steps="Review the recovery plans at the next management meeting and report "
            "back to the board on the revised dates.",
        )  # fmt: skip
        assessment._history_user = lead
        assessment._history_date = assessment.recorded_at
        assessment.save()


def _backdate_history(since: datetime, loaded_at: datetime, now: datetime):
    """Move the history written by this load to when the demo says it happened: the plan,
    posts and meetings at `loaded_at`; each month's indicator figure early the month after."""
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_date"):
            if model.__name__ != "HistoricalIndicatorValue":
                model.objects.filter(history_date__gte=since).update(history_date=loaded_at)
    history = IndicatorValue.history.model
    for month in history.objects.filter(history_date__gte=since).dates("month", "month"):
        published = _at(add_months(month, 1).replace(day=9), 10)
        when = min(max(published, loaded_at), now)
        history.objects.filter(history_date__gte=since, month=month).update(history_date=when)
    forget_recorded_papers()


def play_demo_history(*, today: date, since: datetime) -> DemoTimeline:
    """Give a newly loaded demo its past (see the module's docstring)."""
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    now = timezone.now()
    loaded_at = _at(add_months(today.replace(day=1), -4), 9)
    _set_area_leads(plan)
    _backdate_history(since, loaded_at, now)
    # The board's rounds: the Scrutiny Panel's meetings in the demo ask for no plan updates.
    meetings = list(
        plan.board_meetings.filter(committee=Committee.IMPROVEMENT_BOARD).order_by("date")
    )
    # A round of updates before each meeting whose papers are due by now...
    papers_in = [m for m in meetings if loaded_at.date() < m.papers_due <= today]
    rounds = [_at(meeting.papers_due - timedelta(days=4), 9) for meeting in papers_in]
    actions = list(
        Action.objects.filter(objective__plan=plan)
        .select_related("objective__plan")
        .prefetch_related("owners__holders", "objective__responsible_posts__holders")
        .order_by("objective__position", "position")
    )
    for number, moment in enumerate(rounds):
        _play_round(actions, moment, number, share=0.9)
        _record_assessments(plan, papers_in[number])
    # ...and, when the next papers are not yet due, that round under way.
    after = papers_in[-1].date + timedelta(days=1) if papers_in else loaded_at.date()
    under_way = max(after, today - timedelta(days=5))
    if under_way < today:
        _play_round(actions, _at(under_way, 9), len(rounds), share=0.8)
    return DemoTimeline(loaded_at=loaded_at, meetings=papers_in, rounds=rounds)
