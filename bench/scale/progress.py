"""Progress updates: the story, checked against the app's rules, written in bulk."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from django.contrib.auth.models import User

from bench.scale.council import Council
from bench.scale.story import BOARD_UPDATE_CHANCE, UPDATE_CHANCE, StoryCalendar, at, month_end
from bench.scale.words import (
    COMMENTARY,
    COMMENTARY_DETAILS,
    COMMENTARY_FOLLOW_UPS,
    OVERDUE_NOTE,
    PERFORMANCE_POST,
    REVISION_REASONS,
)
from demo.loading import add_months
from plans.models import Action, ActionStatus, BoardMeeting, Committee
from progress.models import ProgressUpdate
from progress.services import progress_problems


@dataclass
class PlannedUpdate:
    """One progress update, as progress.services._record would save it."""

    action: Action
    moment: datetime
    by: User
    status: str
    commentary: str
    revised_due_date: date | None
    revision_reason: str
    evidence_link: str
    version: int = 0  # set when applied to the action
    state: dict = field(default_factory=dict)  # the action's history row at this moment


def next_status(action: Action, day: date, rng: random.Random, *, started: date, revisions: int):
    """The status an owner reports on `day`, and a revised due date (with its reason) or None.

    Before the work starts: not started. Near or past its deadline an action is mostly
    completed (more likely when it was on track); an overdue one not completed is off track,
    and now and then its owner revises the date. Otherwise the status drifts between on track,
    at risk and off track.
    """
    status = action.status
    if day < started and status == ActionStatus.NOT_STARTED:
        return ActionStatus.NOT_STARTED, None, ""
    deadline = action.deadline
    roll = rng.random()
    if deadline is not None and (deadline - day).days <= 21:
        overdue = deadline < day
        complete = {
            ActionStatus.ON_TRACK: 0.6, ActionStatus.AT_RISK: 0.4,
            ActionStatus.OFF_TRACK: 0.25, ActionStatus.NOT_STARTED: 0.1,
        }[status] + (0.1 if overdue else 0)  # fmt: skip
        if roll < complete:
            return ActionStatus.COMPLETE, None, ""
        if overdue:
            if revisions < 2 and rng.random() < 0.25:
                revised = month_end(add_months(day, rng.choice([1, 2, 3])))
                return ActionStatus.OFF_TRACK, revised, rng.choice(REVISION_REASONS)
            return ActionStatus.OFF_TRACK, None, ""
        return (ActionStatus.AT_RISK if rng.random() < 0.6 else ActionStatus.OFF_TRACK), None, ""
    if deadline is not None and (deadline - day).days <= 60 and status == ActionStatus.ON_TRACK:
        if roll < 0.08:
            return ActionStatus.COMPLETE, None, ""
    drift = {
        ActionStatus.NOT_STARTED: [(0.8, ActionStatus.ON_TRACK), (0.95, ActionStatus.AT_RISK)],
        ActionStatus.ON_TRACK: [(0.86, ActionStatus.ON_TRACK), (0.98, ActionStatus.AT_RISK)],
        ActionStatus.AT_RISK: [(0.35, ActionStatus.ON_TRACK), (0.85, ActionStatus.AT_RISK)],
        ActionStatus.OFF_TRACK: [(0.1, ActionStatus.ON_TRACK), (0.45, ActionStatus.AT_RISK)],
    }[status]
    for limit, outcome in drift:
        if roll < limit:
            return outcome, None, ""
    return ActionStatus.OFF_TRACK, None, ""


def _commentary(rng: random.Random, status: str, *, overdue: bool, day: date) -> str:
    """An opening for the status, now and then a detail with figures, and a next step."""
    if status == ActionStatus.ON_TRACK and not overdue and rng.random() < 0.05:
        return ""  # the form allows an on-track update without words
    m = rng.randint(4, 30)
    detail = rng.choice(COMMENTARY_DETAILS).format(
        n=rng.randint(1, m), m=m, month=f"{add_months(day, -rng.randint(0, 1)):%B}"
    )
    words = rng.choice(COMMENTARY[status]) + detail + rng.choice(COMMENTARY_FOLLOW_UPS)
    return OVERDUE_NOTE + words[0].lower() + words[1:] if overdue else words


def _update_day(rng, round_day: date, papers_due: date | None) -> date:
    """A working day in the round's first week (by the papers' due date in a board round)."""
    last = round_day + timedelta(days=6)
    if papers_due is not None:
        last = min(last, papers_due)
    days = [
        round_day + timedelta(days=n)
        for n in range((last - round_day).days + 1)
        if (round_day + timedelta(days=n)).weekday() < 5
    ]
    return rng.choice(days or [round_day])


def plan_progress(
    council: Council, actions: list[Action], holders, meetings: list[BoardMeeting],
    calendar: StoryCalendar,
) -> list[PlannedUpdate]:  # fmt: skip
    """Play the fortnightly rounds: each unfinished action's owner (the first holder of a post
    owning it, at that moment) updates it with UPDATE_CHANCE, or BOARD_UPDATE_CHANCE when a
    board's papers are due within the round, times the post's diligence. Each update is checked
    with the app's rules (progress.services.progress_problems) and applied to the in-memory action,
    which the next round reads."""
    rng = council.rng("progress")
    # Some posts update more than most, a few are stretched and update less.
    diligence = {
        name: rng.choices([1.0, 1.25, 0.45], weights=[7, 2, 1])[0]
        for name in [*council.post_names, council.post(PERFORMANCE_POST)]
    }
    papers = sorted(m.papers_due for m in meetings if m.committee == Committee.IMPROVEMENT_BOARD)
    started = {}
    for action in actions:
        latest = calendar.loaded_day + timedelta(days=rng.randint(0, 120))
        deadline = action.deadline
        started[action.pk] = min(latest, deadline - timedelta(days=30)) if deadline else latest
    updates, revisions = [], Counter()
    for round_day in calendar.rounds():
        due = next((p for p in papers if round_day <= p < round_day + timedelta(days=14)), None)
        chance = BOARD_UPDATE_CHANCE if due else UPDATE_CHANCE
        for action in actions:
            owners = [post.name for post in action.responsible_posts()]
            if action.status == ActionStatus.COMPLETE:
                continue
            if rng.random() >= min(0.95, chance * diligence[owners[0]]):
                continue
            day = _update_day(rng, round_day, due)
            moment = at(day, 8, 30) + timedelta(minutes=rng.randrange(0, 540))
            if moment > calendar.until:
                continue
            people = [person for name in owners for person in holders(name, moment)]
            if not people:
                continue
            status, revised, reason = next_status(
                action, day, rng, started=started[action.pk], revisions=revisions[action.pk]
            )
            overdue = action.is_overdue(day) and revised is None
            update = PlannedUpdate(
                action=action, moment=moment, by=people[0], status=status,
                commentary=_commentary(
                    rng, status, overdue=overdue and status != ActionStatus.COMPLETE, day=day
                ),
                revised_due_date=revised, revision_reason=reason,
                evidence_link=(
                    f"https://intranet.example.org/{council.reference}/evidence/"
                    f"{action.objective.reference}/{action.reference}"
                    if status == ActionStatus.COMPLETE and rng.random() < 0.5 else ""
                ),
            )  # fmt: skip
            problems = progress_problems(
                action=action, status=status, commentary=update.commentary,
                revised_due_date=revised, revision_reason=reason, today=day,
            )  # fmt: skip
            if problems:
                raise AssertionError(f"The story broke the app's rules for {action}: {problems}")
            _apply(action, update)
            revisions[action.pk] += bool(revised)
            updates.append(update)
    return updates


def _apply(action: Action, update: PlannedUpdate):
    """Move the action's current state to the update, as progress.services._record does."""
    action.version += 1
    action.status = update.status
    action.commentary = update.commentary.strip()
    if update.revised_due_date:
        action.revised_due_date = update.revised_due_date
        action.revision_reason = update.revision_reason.strip()
    action.last_updated_at = update.moment
    action.last_updated_by = update.by
    update.version = action.version
    # The history row of this moment: the action's whole state, as save() would copy it.
    update.state = {f.attname: getattr(action, f.attname) for f in _tracked_action_fields()}


@cache
def _tracked_action_fields():
    return tuple(Action.history.model.tracked_fields)


def write_progress(updates: list[PlannedUpdate], actions: list[Action]):
    """Write the updates in bulk, exactly as progress.services._record would one by one: each
    ProgressUpdate, the action's history row it implies (history_type "~", dated when the update
    was made, by its author) with a copy of the action's owners, and each action's latest
    state."""
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                action_id=u.action.pk,
                version=u.version,
                created_at=u.moment,
                created_by=u.by,
                status=u.status,
                commentary=u.commentary.strip(),
                revised_due_date=u.revised_due_date,
                revision_reason=u.revision_reason.strip() if u.revised_due_date else "",
                evidence_link=u.evidence_link,
            )
            for u in updates
        ],
        batch_size=2000,
    )
    history = Action.history.model
    rows = [
        history(
            history_date=u.moment,
            history_type="~",
            history_user=u.by,
            history_change_reason=None,
            **u.state,
        )
        for u in updates
    ]
    history.objects.bulk_create(rows, batch_size=2000)
    through = Action.owners.through
    owners = defaultdict(list)
    for link in through.objects.filter(action_id__in=[a.pk for a in actions]).values(
        "id", "action_id", "post_id"
    ):
        owners[link["action_id"]].append(link)
    m2m_history = history.owners.model  # simple-history's HistoricalAction_owners
    m2m_history.objects.bulk_create(
        [
            m2m_history(history=row, **link)
            for update, row in zip(updates, rows, strict=True)
            for link in owners[update.action.pk]
        ],
        batch_size=2000,
    )
    fields = [
        "status", "commentary", "revised_due_date", "revision_reason", "last_updated_at",
        "last_updated_by", "version",
    ]  # fmt: skip
    Action.objects.bulk_update([a for a in actions if a.version], fields, batch_size=500)
