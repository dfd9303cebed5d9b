"""Reads: the actions a person updates, and My actions grouped by what to do next."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils import timezone

from plans.dates import long_date
from plans.models import Action, ActionStatus, BoardMeeting
from plans.updates_due import (
    meeting_gathering_updates,
    missing_update,
    previous_meeting,
    updates_count_from,
)


def actions_to_update(user):
    """Actions of the posts the user holds that they may also update (not a board member's)."""
    return Action.objects.held_by(user).filter(pk__in=Action.objects.editable_by(user).values("pk"))


class Group(models.TextChoices):
    """My actions' groups, live work first."""

    OVERDUE = "overdue", "Overdue"
    BEFORE_BOARD = "before_board", "Due before the next board"
    LATER = "later", "Due later"
    NO_DATE = "no_date", "No due date"
    COMPLETE = "complete", "Complete"


@dataclass(frozen=True)
class MyActionRow:
    action: Action
    group: Group
    needs_update: bool
    next_step: str  # what to do next, in words


@dataclass
class MyActions:
    groups: list[tuple[Group, list[MyActionRow]]]  # live work, groups with rows only
    completed: list[MyActionRow]
    meeting: BoardMeeting | None  # the next board, when all the actions share one
    needing_update: int = field(default=0)


def _next_step(action: Action, *, today: date, meeting, missing: str) -> str:
    board = f"the board on {long_date(meeting.date)}" if meeting and meeting.date >= today else ""
    if action.status == ActionStatus.COMPLETE:
        return "Nothing to do: complete"
    if action.is_overdue(today):
        return "Overdue: complete it, or revise its date with a reason"
    if missing:
        return f"Update before {board}" if board else missing
    return f"Up to date (updated {long_date(timezone.localdate(action.last_updated_at))})"


def _group(action: Action, *, today: date, meeting) -> Group:
    if action.status == ActionStatus.COMPLETE:
        return Group.COMPLETE
    if action.is_overdue(today):
        return Group.OVERDUE
    if action.deadline is None:
        return Group.NO_DATE
    if meeting and meeting.date >= today and action.deadline <= meeting.date:
        return Group.BEFORE_BOARD
    return Group.LATER


def actions_by_next_step(user, *, today: date) -> MyActions:
    """The user's actions grouped by what to do next (overdue, due before the next board, later,
    no date; complete last), each by due date, each saying what to do next."""
    actions = list(
        actions_to_update(user)
        .select_related("objective__priority_area", "objective__plan")
        .order_by("objective__position", "position", "pk")
    )
    plans = {action.objective.plan_id: action.objective.plan for action in actions}
    meetings, since = {}, {}
    for plan_id, plan in plans.items():
        meetings[plan_id] = meeting_gathering_updates(plan, today=today)
        # As the report for that meeting reads it, so the two agree on every action.
        as_at = meetings[plan_id].as_at(today) if meetings[plan_id] else today
        previous = previous_meeting(plan, as_at=as_at, meeting=meetings[plan_id])
        since[plan_id] = updates_count_from(previous)
    by_group = {group: [] for group in Group}
    for action in sorted(actions, key=lambda a: (a.deadline is None, a.deadline or today)):
        plan_id = action.objective.plan_id
        meeting = meetings[plan_id]
        missing = missing_update(action, since=since[plan_id])
        group = _group(action, today=today, meeting=meeting)
        step = _next_step(action, today=today, meeting=meeting, missing=missing)
        by_group[group].append(MyActionRow(action, group, bool(missing), step))
    for rows in by_group.values():
        rows.sort(key=lambda row: not row.needs_update)  # stable: by due date within
    completed = by_group.pop(Group.COMPLETE)
    shared = set(meetings.values())
    return MyActions(
        groups=[(group, rows) for group, rows in by_group.items() if rows],
        completed=completed,
        meeting=shared.pop() if len(shared) == 1 else None,
        needing_update=sum(row.needs_update for rows in by_group.values() for row in rows),
    )
