"""My actions: the live work first, grouped by what to do next, complete work folded away."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from plans.models import ActionStatus, BoardMeeting
from plans.roles import Role
from progress.selectors import Group, actions_by_next_step
from progress.services import action_record_progress
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2027, 1, 11)


@pytest.fixture
def head():
    """A head of service with one action in each group, before the board on 28 January 2027."""
    post = PostFactory(name="HoS Early Help")
    user = UserFactory(role=Role.HEAD_OF_SERVICE)
    post.holders.add(user)
    plan = PlanFactory(reference="ip")
    for day in (date(2026, 11, 26), date(2027, 1, 28)):
        BoardMeeting.objects.create(plan=plan, date=day, papers_due=day.replace(day=day.day - 7))
    objective = ObjectiveFactory(priority_area__plan=plan, responsible_posts=[post])
    due = {
        "overdue": date(2027, 1, 4),
        "soon": date(2027, 1, 20),
        "later": date(2027, 3, 31),
        "undated": None,
        "done": date(2026, 12, 1),
        "updated": date(2027, 2, 28),
    }
    actions = {
        name: ActionFactory(objective=objective, reference=name, due_date=day)
        for name, day in due.items()
    }
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=UTC), tick=False):
        action_record_progress(
            action=actions["done"], by=user, version=0, status=ActionStatus.COMPLETE,
            commentary="Done and signed off.", today=date(2026, 12, 1),
        )  # fmt: skip
    # On the last board's day: an update made that day counts for the next board.
    with time_machine.travel(datetime(2026, 11, 26, 9, tzinfo=UTC), tick=False):
        action_record_progress(
            action=actions["updated"], by=user, version=0, status=ActionStatus.ON_TRACK,
            commentary="Recruitment under way.", today=date(2026, 11, 26),
        )  # fmt: skip
    return user


def test_live_work_comes_first_in_groups_and_complete_work_is_apart(head):
    [mine] = actions_by_next_step(head, today=TODAY)

    groups = {group: [row.action.reference for row in rows] for group, rows in mine.groups}
    assert list(groups) == [Group.OVERDUE, Group.BEFORE_BOARD, Group.LATER, Group.NO_DATE]
    assert groups[Group.OVERDUE] == ["overdue"]
    assert groups[Group.BEFORE_BOARD] == ["soon"]
    assert groups[Group.LATER] == ["later", "updated"]  # needing an update first
    assert [row.action.reference for row in mine.completed] == ["done"]
    assert mine.meeting.date == date(2027, 1, 28)


def test_each_row_says_what_to_do_next_and_complete_work_needs_no_update(head):
    rows = {
        row.action.reference: row for row in actions_by_next_step(head, today=TODAY)[0].groups[2][1]
    }
    done = actions_by_next_step(head, today=TODAY)[0].completed[0]

    assert rows["later"].next_step == "Update before the board on 28 January 2027"
    assert rows["later"].needs_update
    assert rows["updated"].next_step == "Up to date (updated 26 November 2026)"
    assert not rows["updated"].needs_update
    assert not done.needs_update and done.next_step == "Nothing to do: complete"


def test_the_page_folds_complete_work_away_with_its_count(client, head):
    with time_machine.travel(datetime(2027, 1, 11, 10, tzinfo=UTC), tick=False):
        client.force_login(head)
        page = client.get("/my-actions/").content.decode()

    live, folded = page.split('<details class="govuk-details">', 1)
    assert "Complete: 1 action" in folded and "/actions/done/" in folded
    assert "/actions/done/" not in live
    assert live.index("Overdue (1)") < live.index("Due before the next board on 28 January 2027")
    assert "To update before the board on 28 January 2027" in live
