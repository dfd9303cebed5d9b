"""Reads: the actions a person updates, and My actions grouped by what to do next."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils import timezone

from plans.dates import long_date
from plans.models import Action, ActionStatus, BoardMeeting, Plan
from plans.updates_due import (
    meeting_gathering_updates,
    missing_update,
    previous_meeting,
    updates_count_from,
)


def actions_to_update(user):
    """Actions of the posts the user holds that they may also update (not a board member's),
    in live plans: an archived plan's unfinished actions carry on in the plan after it."""
    return Action.objects.held_by(user).filter(
        pk__in=Action.objects.editable_by(user).values("pk"), objective__plan__archived=None
    )


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
    """One plan's part of My actions."""

    plan: Plan
    groups: list[tuple[Group, list[MyActionRow]]]  # live work, groups with rows only
    completed: list[MyActionRow]
    meeting: BoardMeeting | None  # the plan's next board
    needing_update: int = field(default=0)

    @property
    def rows(self) -> list[MyActionRow]:
        return [row for _, rows in self.groups for row in rows] + self.completed


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


def actions_by_next_step(user, *, today: date) -> list[MyActions]:
    """The user's actions by plan (in the plans' order), and in each grouped by what to do next
    (overdue, due before the plan's next board, later, no date; complete last), each by due
    date, each saying what to do next."""
    actions = list(
        actions_to_update(user)
        .select_related("objective__priority_area", "objective__plan")
        .order_by("objective__position", "position", "pk")
    )
    by_plan: dict[Plan, list[Action]] = {}
    for action in actions:
        by_plan.setdefault(action.objective.plan, []).append(action)
    # In Plan's own order (newest period first, then by reference), without asking again.
    plans = sorted(sorted(by_plan, key=lambda plan: plan.reference),
                   key=lambda plan: plan.period, reverse=True)  # fmt: skip
    return [_plan_actions(plan, by_plan[plan], today=today) for plan in plans]


def _plan_actions(plan: Plan, actions: list[Action], *, today: date) -> MyActions:
    meeting = meeting_gathering_updates(plan, today=today)
    # As the report for that meeting reads it, so the two agree on every action.
    as_at = meeting.as_at(today) if meeting else today
    since = updates_count_from(previous_meeting(plan, as_at=as_at, meeting=meeting))
    by_group = {group: [] for group in Group}
    for action in sorted(actions, key=lambda a: (a.deadline is None, a.deadline or today)):
        missing = missing_update(action, since=since)
        group = _group(action, today=today, meeting=meeting)
        step = _next_step(action, today=today, meeting=meeting, missing=missing)
        by_group[group].append(MyActionRow(action, group, bool(missing), step))
    for rows in by_group.values():
        rows.sort(key=lambda row: not row.needs_update)  # stable: by due date within
    completed = by_group.pop(Group.COMPLETE)
    return MyActions(
        plan=plan,
        groups=[(group, rows) for group, rows in by_group.items() if rows],
        completed=completed,
        meeting=meeting,
        needing_update=sum(row.needs_update for rows in by_group.values() for row in rows),
    )
