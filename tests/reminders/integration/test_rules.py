"""Which reminders are due on a day: the rules at their boundaries, digests, and no repeats."""

from datetime import date, timedelta

import pytest

from plans.models import BoardMeeting
from plans.roles import Role
from reminders.due import working_days_before
from reminders.models import Reminder, ReminderKind, ReminderSettings
from reminders.services import reminders_sweep
from tests.factories import ActionFactory, ObjectiveFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture
def world():
    """Two actions owned by 'HoS Early Help' (held by Erin), escalating to the Deputy Director."""
    deputy_post = PostFactory(name="Deputy Director")
    deputy = UserFactory(role=Role.HEAD_OF_SERVICE, email="deputy@example.org")
    deputy_post.holders.add(deputy)
    post = PostFactory(name="HoS Early Help", escalation_contact=deputy_post)
    erin = UserFactory(role=Role.HEAD_OF_SERVICE, email="erin@example.org")
    post.holders.add(erin)
    objective = ObjectiveFactory(reference="1.1", responsible_posts=[post])
    first = ActionFactory(objective=objective, reference="1.1.1")
    second = ActionFactory(objective=objective, reference="1.1.2")
    return objective.plan, first, second, erin, deputy


def due_on(action, day: date):
    action.due_date = day
    action.save()


def sent(kind=None):
    rows = Reminder.objects.order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    return [(r.kind, r.email, r.period, sorted(a.reference for a in r.actions.all())) for r in rows]


def test_due_soon_from_fourteen_days_before_and_only_once(world):
    plan, first, second, erin, _ = world
    due_on(first, TODAY + timedelta(days=14))
    due_on(second, TODAY + timedelta(days=15))

    reminders_sweep(today=TODAY)
    reminders_sweep(today=TODAY)
    reminders_sweep(today=TODAY + timedelta(days=1))

    assert sent() == [("due_soon", "erin@example.org", "2026-12-07", ["1.1.1"]),
                      ("due_soon", "erin@example.org", "2026-12-08", ["1.1.2"])]  # fmt: skip


def test_a_revised_due_date_brings_a_new_due_soon_reminder(world):
    plan, first, _, _, _ = world
    due_on(first, TODAY + timedelta(days=3))
    reminders_sweep(today=TODAY)
    first.revised_due_date = TODAY + timedelta(days=10)
    first.save()

    reminders_sweep(today=TODAY + timedelta(days=1))

    assert [period for _, _, period, _ in sent()] == ["2026-11-26", "2026-12-03"]


def test_overdue_digest_lists_all_a_persons_actions_then_repeats_every_seven_days(world):
    plan, first, second, erin, _ = world
    due_on(first, TODAY - timedelta(days=1))  # overdue by 1 day today
    due_on(second, TODAY - timedelta(days=3))

    for offset in range(0, 8):
        reminders_sweep(today=TODAY + timedelta(days=offset))

    assert sent(ReminderKind.OVERDUE) == [
        ("overdue", "erin@example.org", "2026-11-23", ["1.1.1", "1.1.2"]),
        ("overdue", "erin@example.org", "2026-11-30", ["1.1.1", "1.1.2"]),
    ]


def test_a_newly_overdue_action_brings_the_next_digest_forward(world):
    plan, first, second, erin, _ = world
    due_on(first, TODAY - timedelta(days=1))
    due_on(second, TODAY + timedelta(days=1))  # overdue from the day after tomorrow
    reminders_sweep(today=TODAY)

    reminders_sweep(today=TODAY + timedelta(days=1))
    reminders_sweep(today=TODAY + timedelta(days=2))

    assert sent(ReminderKind.OVERDUE) == [
        ("overdue", "erin@example.org", "2026-11-23", ["1.1.1"]),
        ("overdue", "erin@example.org", "2026-11-25", ["1.1.1", "1.1.2"]),
    ]


def test_escalation_once_at_twenty_eight_days_overdue_copied_to_the_owner(world):
    plan, first, _, erin, deputy = world
    due_on(first, TODAY - timedelta(days=27))
    reminders_sweep(today=TODAY)
    assert sent(ReminderKind.ESCALATION) == []

    reminders_sweep(today=TODAY + timedelta(days=1))  # 28 days overdue
    assert len(sent(ReminderKind.ESCALATION)) == 1
    reminders_sweep(today=TODAY + timedelta(days=2))

    assert sent(ReminderKind.ESCALATION) == [
        ("escalation", "deputy@example.org", "2026-10-27", ["1.1.1"])
    ]
    assert Reminder.objects.get(kind=ReminderKind.ESCALATION).cc == "erin@example.org"


def test_working_days_skip_weekends_but_not_bank_holidays():
    assert working_days_before(date(2026, 12, 7), 1) == date(2026, 12, 4)  # Monday -> Friday
    assert working_days_before(date(2026, 12, 7), 10) == date(2026, 11, 23)
    assert working_days_before(date(2026, 12, 28), 1) == date(2026, 12, 25)  # Christmas counts


def test_update_request_ten_working_days_before_papers_to_owners_not_updated(world):
    plan, first, second, erin, _ = world
    BoardMeeting.objects.create(plan=plan, date=date(2026, 10, 15), papers_due=date(2026, 10, 8))
    BoardMeeting.objects.create(plan=plan, date=date(2026, 12, 14), papers_due=date(2026, 12, 7))

    reminders_sweep(today=date(2026, 11, 20))  # the Friday before: too early
    assert sent(ReminderKind.UPDATE_REQUEST) == []
    reminders_sweep(today=TODAY)  # Monday 23 November: ten working days before 7 December
    reminders_sweep(today=TODAY + timedelta(days=1))

    assert sent(ReminderKind.UPDATE_REQUEST) == [
        ("update_request", "erin@example.org", "2026-12-07", ["1.1.1", "1.1.2"])
    ]


def test_paused_reminders_send_nothing_and_settings_change_the_timings(world):
    plan, first, _, _, _ = world
    due_on(first, TODAY + timedelta(days=20))
    settings_row = ReminderSettings.objects.create(plan=plan, due_soon_days=20, paused=True)
    reminders_sweep(today=TODAY)
    assert sent() == []

    settings_row.paused = False
    settings_row.save()
    reminders_sweep(today=TODAY)

    assert sent() == [("due_soon", "erin@example.org", "2026-12-13", ["1.1.1"])]
