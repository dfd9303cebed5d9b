"""One rule decides whether an action needs an update for a board (plans.updates_due): My actions,
the exception report, its count and the reminders' update requests agree on every demo action."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from boards.exceptions import ItemKind
from boards.report import build_exception_report
from demo.loading import DEMO_PLAN_REFERENCE
from demo.send_plan import SEND_PLAN_REFERENCE
from plans.models import Action, ActionStatus, Plan
from plans.updates_due import meeting_gathering_updates, next_meeting
from progress.selectors import actions_by_next_step
from reminders.due import due_reminders, working_days_before
from reminders.models import ReminderKind, ReminderSettings

pytestmark = pytest.mark.django_db


# Both demo plans: the rule is one, whichever plan and board.
DEMO_PLANS = pytest.mark.parametrize("reference", [DEMO_PLAN_REFERENCE, SEND_PLAN_REFERENCE])


def load_the_demo(settings, reference):
    settings.DEMO_MODE = True
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=UTC), tick=False):
        call_command("load_demo", stdout=io.StringIO())
    return Plan.objects.get(reference=reference)


def my_actions_needing_update(day, plan) -> dict[int, bool]:
    """Whether My actions asks for an update, for every action of the plan someone holds, on
    `day`."""
    in_plan = set(Action.objects.filter(objective__plan=plan).values_list("pk", flat=True))
    mine = {}
    for user in get_user_model().objects.filter(posts__isnull=False).distinct():
        listed = actions_by_next_step(user, today=day)
        for row in [row for part in listed for row in part.rows]:
            assert mine.setdefault(row.action.pk, row.needs_update) == row.needs_update
    return {pk: needs for pk, needs in mine.items() if pk in in_plan}


def lacking_an_update_in(report) -> set[int]:
    return {
        item.pk
        for item in report.items
        if item.kind == ItemKind.ACTION and item.lacks_update
        and any(reason.startswith("No progress update") for reason in item.reasons)
    }  # fmt: skip


@DEMO_PLANS
def test_my_actions_the_report_its_count_and_the_reminders_agree_on_every_demo_action(
    settings, reference
):
    plan = load_the_demo(settings, reference)
    meeting = next_meeting(plan, today=date(2026, 12, 7))
    rules = ReminderSettings.for_plan(plan)
    # The first day the update requests for the next board go out: every reader, that day.
    day = working_days_before(meeting.papers_due, rules.update_request_working_days)
    with time_machine.travel(datetime.combine(day, datetime.min.time(), UTC), tick=False):
        assert meeting_gathering_updates(plan, today=day) == meeting
        report = build_exception_report(plan, as_at=meeting.as_at(day), meeting=meeting)
        mine = my_actions_needing_update(day, plan)
        requested = {
            action.pk
            for reminder in due_reminders(plan, today=day)
            if reminder.kind == ReminderKind.UPDATE_REQUEST
            for action in reminder.actions
        }
    in_report = lacking_an_update_in(report)
    actions = Action.objects.filter(objective__plan=plan)
    held = {a.pk for a in actions if any(p.holders.exists() for p in a.responsible_posts())}
    needing = {pk for pk, needs in mine.items() if needs}

    assert set(mine) == held  # My actions covers every action someone holds
    assert in_report & held == needing
    assert requested == needing
    assert report.not_updated == len(in_report)
    # The demo has both kinds, and no complete action is ever asked for an update.
    assert needing and held - needing
    complete = set(actions.filter(status=ActionStatus.COMPLETE).values_list("pk", flat=True))
    assert complete and not complete & (in_report | requested | needing)


@DEMO_PLANS
def test_once_a_boards_papers_are_due_my_actions_asks_for_the_next_boards(settings, reference):
    """Between the papers' day and the meeting, an update goes into the next board's papers:
    My actions and that board's report agree, and neither counts the closed papers."""
    plan = load_the_demo(settings, reference)
    closed = next_meeting(plan, today=date(2026, 12, 7))
    day = closed.papers_due + timedelta(days=1)
    with time_machine.travel(datetime.combine(day, datetime.min.time(), UTC), tick=False):
        gathering = meeting_gathering_updates(plan, today=day)
        report = build_exception_report(plan, as_at=gathering.as_at(day), meeting=gathering)
        mine = my_actions_needing_update(day, plan)

    assert gathering != closed and gathering.date > closed.date
    needing = {pk for pk, needs in mine.items() if needs}
    assert lacking_an_update_in(report) & set(mine) == needing
