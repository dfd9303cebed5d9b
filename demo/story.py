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
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone

from boards.builds import forget_paper_builds
from boards.models import AreaAssessment, DecisionRequest, DecisionState, RiskRating
from boards.papers import forget_recorded_papers
from boards.services import decision_record, decision_request_ask
from demo.loading import DEMO_PLAN_REFERENCE, add_months
from indicators.models import IndicatorUnit, IndicatorValue
from plans.models import Action, ActionStatus, BoardMeeting, Committee, Plan
from plans.rag import Rag
from plans.selectors import objectives_with_parts
from progress.services import action_record_progress

# The demo's own words, put together differently for each action and round: what happened,
# then what comes next. Written for the demo; none is taken from the council's papers.
HAPPENED = {
    ActionStatus.COMPLETE: [
        "Complete. The evidence is filed with the performance team.",
        "Done and signed off at the service management meeting on {day}.",
        "Complete: the new guidance went live on {day} and every team has had the briefing.",
        "Finished. The audit in {last_month} found the change in {share} of the cases checked.",
        "Complete; this is now part of routine practice and is checked in monthly audits.",
    ],
    ActionStatus.ON_TRACK: [
        "Work is under way and the next milestone is on schedule.",
        "The project group met on {day} and agreed the remaining steps.",
        "{share} of team managers have now been through the training.",
        "A first draft went to the principal social worker on {day} for comment.",
        "The pilot in the two locality teams started in {last_month}; early feedback is positive.",
        "Partners agreed the approach at the {last_month} partnership meeting.",
        "Recruitment to the two posts is complete; both start before the end of {month}.",
    ],
    ActionStatus.AT_RISK: [
        "Two vacancies in the team have slowed the work.",
        "The system change this depends on has slipped to {month}.",
        "Only {share} of the cases sampled showed the new approach, short of the aim.",
        "Health colleagues have not yet confirmed who will attend the panel.",
        "Sickness in the quality assurance team has delayed the audit.",
    ],
    ActionStatus.OFF_TRACK: [
        "The lead post was vacant for two months and the work stopped.",
        "Partner sign-off is delayed; escalated to the partnership board on {day}.",
        "The supplier cannot deliver the report module before {month}.",
        "The funding bid was turned down on {day}; other funding is being sought.",
    ],
}
NEXT = {
    ActionStatus.COMPLETE: ["", "", "The effect will be checked in the next thematic audit."],
    ActionStatus.ON_TRACK: [
        "Next: a review of the first cases in {month}.",
        "Due to finish on time.",
        "",
        "A progress note goes to the management team in {month}.",
    ],
    ActionStatus.AT_RISK: [
        "Agency cover starts in {month}.",
        "A fallback plan is agreed with the head of service.",
        "Raised at the management team on {day}; a decision is expected in {month}.",
    ],
    ActionStatus.OFF_TRACK: [
        "A recovery plan is agreed, with a revised date.",
        "The head of service will report back to the board in {month}.",
        "Escalated to the Deputy Director, who is meeting partners in {month}.",
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


def _day_month(day: date) -> str:
    return f"{day.day} {day:%B}"


def _commentary(status: ActionStatus, day: date, rng: random.Random) -> str:
    """An update's words, as an officer might write them, about `day`."""
    words = {
        "day": _day_month(day - timedelta(days=rng.randrange(3, 20))),
        "month": f"{add_months(day, rng.choice([1, 1, 2, 3])):%B}",  # to come
        "last_month": f"{add_months(day, -1):%B}",
        "share": rng.choice(["Three quarters", "Two thirds", "Half", "80%", "Nine in ten"]),
    }
    happened = rng.choice(HAPPENED[status]).format(**words)
    next_step = rng.choice(NEXT[status]).format(**words)
    sentence = f"{happened} {next_step}".strip()
    return sentence[0].upper() + sentence[1:]


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
            commentary=_commentary(status, day, rng), revised_due_date=revised,
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


CAUSES = [
    "The overdue ones share one cause, staffing, and each has a recovery plan with a revised date.",
    "Most of the delay is waiting on partners; the partnership board has been asked to help.",
    "Audits show practice improving, but not yet in every team.",
    "The new system module has held up the reporting actions; it is due to go live next month.",
]
NEXT_STEPS = [
    "Review the recovery plans at the next management meeting and report back on the dates.",
    "Weekly tracking of the overdue actions until they are back on track.",
    "A deep dive into the area at the next quality assurance meeting.",
    "Agree revised dates with partners and bring them to the next board.",
]


def _record_assessments(plan: Plan, meeting: BoardMeeting, areas: list, as_at: date):
    """Area leads judge their area's risk for the meeting, from how its actions stand."""
    objectives = list(objectives_with_parts().filter(plan=plan))
    for area in areas:
        mine = [o for o in objectives if o.priority_area_id == area.pk]
        actions = [a for o in mine for a in o.actions.all()]
        done = sum(a.status == ActionStatus.COMPLETE for a in actions)
        late = sum(a.is_overdue(as_at) for a in actions)
        red = Rag.RED in [o.rag(as_at) for o in mine]
        judged = RiskRating.RED if late > 3 else RiskRating.AMBER if red else RiskRating.GREEN
        rng = random.Random(f"{area.reference}/{meeting.date}")  # noqa: S311 (the same story)
        lead = area.lead.holders.order_by("username").first()
        assessment = AreaAssessment(
            meeting=meeting, priority_area=area, risk_rating=judged, recorded_by=lead,
            recorded_at=_at(as_at - timedelta(days=1), 15),
            analysis=f"{done} of the area's {len(actions)} actions are complete and {late} "
            f"{'is' if late == 1 else 'are'} overdue. {rng.choice(CAUSES)}",
            next_steps=rng.choice(NEXT_STEPS),
        )  # fmt: skip
        assessment._history_user = lead
        assessment._history_date = assessment.recorded_at
        assessment.save()


def _ask_the_board(plan: Plan, meeting: BoardMeeting, actions: list[Action], day: date):
    """The owner of an action gone off track asks the coming board for a new date; at the board
    before, an owner's request was decided."""
    stuck = [a for a in actions if a.status == ActionStatus.OFF_TRACK and _updater(a)]
    if not stuck:
        return
    action, *others = stuck
    decision_request_ask(
        DecisionRequest(
            meeting=meeting, title=f"Agree a new date for action {action.reference}",
            problem="The work stopped while the lead post was vacant. The post is now filled, "
            "but the time lost cannot be made up.",
            consequence="Without a new date the action stays Red and overdue, and the "
            "objective it serves cannot be judged on time.",
            options="1. Keep the date and add agency staff (about £18,000 for three months).\n"
            "2. Move the date by three months, with monthly reports to the board.",
            recommendation="Option 2: the new postholder knows the cases, and agency staff "
            "would need the same three months to learn them.",
        ),
        area=action.objective.priority_area, action=action, by=_updater(action),
        now=_at(day, 11),
    )  # fmt: skip
    earlier = BoardMeeting.objects.filter(
        plan=plan, committee=meeting.committee, date__lt=meeting.date
    ).first()
    if earlier is None or not others:
        return
    settled = decision_request_ask(
        DecisionRequest(
            meeting=earlier, title=f"Share the cost of action {others[0].reference} with health",
            problem="The work needs a clinician's time that the service does not fund.",
            consequence="Without it the action cannot finish this year.",
            options="1. Fund it from the service's budget.\n"
            "2. Ask the health partners to share it.",
            recommendation="Option 2, as the work serves both services' duties.",
        ),
        area=others[0].objective.priority_area, action=others[0], by=_updater(others[0]),
        now=_at(earlier.papers_due - timedelta(days=2), 11),
    )  # fmt: skip
    manager = User.objects.filter(username="performance").first() or _updater(others[0])
    decision_record(
        settled, outcome=DecisionState.DECIDED, by=manager, now=_at(earlier.date, 16),
        decision="Agreed: the Deputy Director will ask the health partners to fund half.",
    )  # fmt: skip


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
    forget_paper_builds()


def _restate_figures(papers: BoardMeeting):
    """Since the last papers went out, a data cleanse in the case system lowered one count
    from the month those papers showed onwards: the performance manager has just reloaded
    those months (after every figure the demo loads, so each month's history stays in order),
    and the next papers footnote the revision and the latest figure reads Restated."""
    manager = User.objects.filter(username="performance").first()
    reported = IndicatorValue.history.filter(history_date__lt=_at(papers.papers_due, 9))
    seen = IndicatorValue.objects.filter(
        pk__in=reported.values("id"), indicator__unit=IndicatorUnit.NUMBER, value__gte=20
    )
    first = seen.select_related("indicator").order_by("-month", "indicator__reference").first()
    if manager is None or first is None:
        return
    since = first.indicator.values.filter(month__gte=first.month).exclude(value=None)
    for figure in since:
        figure.value -= max(1, round(figure.value * Decimal("0.03")))
        figure.note = "Restated after a data cleanse in the case system."
        figure._history_user = manager
        figure.save()


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
    led = list(plan.priority_areas.select_related("lead").exclude(lead=None))
    for number, moment in enumerate(rounds):
        _play_round(actions, moment, number, share=0.9)
        meeting = papers_in[number]
        _record_assessments(plan, meeting, led[:3], meeting.papers_due)
    if papers_in:
        _restate_figures(papers_in[-1])
    # ...and, when the next papers are not yet due, that round under way.
    after = papers_in[-1].date + timedelta(days=1) if papers_in else loaded_at.date()
    under_way = max(after, today - timedelta(days=5))
    if under_way < today:
        _play_round(actions, _at(under_way, 9), len(rounds), share=0.8)
    # The next board: some leads have judged their area for it (unless its papers, with the
    # ratings for three areas, are already in), and an owner asks it for a decision.
    coming = next((m for m in meetings if m.date >= today), None)
    if coming is not None:
        before_papers = min(coming.papers_due - timedelta(days=2), today - timedelta(days=1))
        if coming not in papers_in:
            _record_assessments(plan, coming, led[1:5], before_papers)
        _ask_the_board(plan, coming, actions, before_papers)
    return DemoTimeline(loaded_at=loaded_at, meetings=papers_in, rounds=rounds)
