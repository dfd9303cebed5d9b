"""Reads: the actions a person updates, and My actions' rows."""

from datetime import date
from typing import NamedTuple

from django.utils import timezone

from plans.models import Action, BoardMeeting


def actions_to_update(user):
    """Actions of the posts the user holds that they may also update (not a board member's)."""
    return Action.objects.held_by(user).filter(pk__in=Action.objects.editable_by(user).values("pk"))


class MyActionRow(NamedTuple):
    action: Action
    previous_meeting: BoardMeeting | None
    not_updated_since: bool  # no update since the previous meeting of its plan's board


def my_action_rows(user, *, today: date) -> list[MyActionRow]:
    """The user's actions, overdue first, then by due date, each marked when it has had no
    update since its plan's previous meeting."""
    actions = list(
        actions_to_update(user)
        .select_related("objective__priority_area", "objective__plan")
        .prefetch_related("owners", "objective__responsible_posts")
    )
    actions.sort(
        key=lambda a: (not a.is_overdue(today), a.deadline is None, a.deadline or today, a.pk)
    )
    previous_meetings = {
        plan_id: BoardMeeting.objects.filter(plan_id=plan_id, date__lt=today).first()
        for plan_id in {a.objective.plan_id for a in actions}
    }
    rows = []
    for action in actions:
        meeting = previous_meetings[action.objective.plan_id]
        stale = bool(meeting) and (
            action.last_updated_at is None
            or timezone.localdate(action.last_updated_at) <= meeting.date
        )
        rows.append(MyActionRow(action, meeting, stale))
    return rows
