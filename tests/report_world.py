"""A small plan with a history for report tests: loaded in July, boards in October and December."""

from datetime import date, datetime, time

import time_machine
from django.utils import timezone

from plans.models import BoardMeeting
from plans.roles import Role
from progress.services import action_record_progress
from tests.factories import (
    ActionFactory,
    ObjectiveFactory,
    PlanFactory,
    PostFactory,
    PriorityAreaFactory,
    UserFactory,
)

LOADED = date(2026, 7, 1)
PREVIOUS = date(2026, 10, 15)  # the previous board
MEETING = date(2026, 12, 15)
TODAY = date(2026, 11, 22)


def at(day: date, hour=9, minute=0, second=0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second)))


def make_plan_world():
    """A plan loaded in July with one objective owned by a held post, and two board meetings."""
    with time_machine.travel(at(LOADED), tick=False):
        plan = PlanFactory(reference="ip")
        area = PriorityAreaFactory(plan=plan, reference="1", title="Assessment")
        post = PostFactory(name="HoS Early Help")
        head = UserFactory(role=Role.HEAD_OF_SERVICE, first_name="Erin", last_name="Help")
        post.holders.add(head)
        objective = ObjectiveFactory(
            priority_area=area, reference="1.1", responsible_posts=[post],
            target_date=date(2027, 3, 31),
        )  # fmt: skip
        BoardMeeting.objects.create(plan=plan, date=PREVIOUS, papers_due=date(2026, 10, 8))
        meeting = BoardMeeting.objects.create(plan=plan, date=MEETING, papers_due=date(2026, 12, 8))
    return plan, objective, head, meeting


def new_action(objective, reference, **fields):
    with time_machine.travel(at(LOADED), tick=False):
        return ActionFactory(objective=objective, reference=reference, **fields)


def update(action, head, when: datetime, status="on_track", commentary="", **fields):
    with time_machine.travel(when, tick=False):
        action.refresh_from_db()
        return action_record_progress(
            action=action, by=head, version=action.version, status=status,
            commentary=commentary, today=timezone.localdate(), **fields,
        )  # fmt: skip
