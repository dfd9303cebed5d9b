"""The reminders in the app: the performance manager's settings and pause, the log, the action
page's reminders, and sending a failed reminder again."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from plans.roles import Role
from reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderState
from reminders.selectors import reminders_to_send
from reminders.services import reminder_send, reminders_sweep
from tests.factories import ActionFactory, UserFactory
from tests.reminders.integration.test_rules import TODAY, due_on
from tests.reminders.integration.test_rules import world as world  # noqa: F401 (a fixture)
from tests.smtp import mailbox as mailbox  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(role=Role.PERFORMANCE_MANAGER, first_name="Pat", last_name="Manager")


def settings_url(plan):
    return f"/plans/{plan.reference}/reminders/settings/"


def log_url(plan):
    return f"/plans/{plan.reference}/reminders/"


def count(log_page: str) -> int:
    """The number of reminders the log's status line gives."""
    status = re.search(r'role="status">(\d+) reminders?\b', log_page)
    return int(status.group(1))


SETTINGS = {
    "due_soon_days": "10",
    "overdue_every_days": "3",
    "escalation_days": "21",
    "update_request_working_days": "5",
}


def test_the_performance_manager_changes_the_timings_and_the_change_is_kept(client, world, manager):
    plan = world[0]
    client.force_login(manager)

    page = client.get(settings_url(plan))
    assert page.status_code == 200
    assert 'value="14"' in page.text and "None yet: the plan uses the defaults." in page.text
    response = client.post(settings_url(plan), SETTINGS)
    assert response.status_code == 302
    client.post(settings_url(plan), SETTINGS | {"escalation_days": "35"})

    rules = ReminderSettings.for_plan(plan)
    assert (rules.due_soon_days, rules.overdue_every_days) == (10, 3)
    assert (rules.escalation_days, rules.update_request_working_days, rules.paused) == (
        35,
        5,
        False,
    )
    history = list(rules.history.order_by("history_date"))
    assert [entry.escalation_days for entry in history] == [21, 35]
    assert {entry.history_user for entry in history} == {manager}
    page = client.get(settings_url(plan)).text
    assert "Pat Manager" in page and "21 days" in page and "35 days" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "due_soon_days",
            "",
            "Enter the days before the due date as a whole number from 1 to 365.",
        ),
        ("overdue_every_days", "0", "Enter the days between overdue reminders as a whole number"),
        ("escalation_days", "two", "Enter the days overdue before escalation as a whole number"),
        (
            "update_request_working_days",
            "61",
            "before papers are due as a whole number from 1 to 60.",
        ),
    ],
)
def test_a_timing_that_makes_no_sense_is_refused_with_what_to_enter(
    client, world, manager, field, value, message
):
    plan = world[0]
    client.force_login(manager)

    response = client.post(settings_url(plan), SETTINGS | {field: value})

    assert response.status_code == 400
    assert message in response.text and "There is a problem" in response.text
    assert not ReminderSettings.objects.filter(plan=plan).exists()


def test_new_timings_change_what_the_sweep_finds(client, world, manager):
    plan, first, *_ = world
    due_on(first, TODAY + timedelta(days=12))
    client.force_login(manager)
    client.post(settings_url(plan), SETTINGS)  # due soon 10 days before
    reminders_sweep(today=TODAY)
    assert not Reminder.objects.exists()

    client.post(settings_url(plan), SETTINGS | {"due_soon_days": "12"})
    reminders_sweep(today=TODAY)

    assert list(Reminder.objects.values_list("kind", flat=True)) == [ReminderKind.DUE_SOON]


def test_pausing_stops_the_sweep_and_holds_what_is_queued_and_resuming_drops_it(
    client, world, manager, mailbox
):
    plan, first, *_ = world
    due_on(first, TODAY - timedelta(days=2))
    queued = reminders_sweep(today=TODAY)
    assert len(queued) == 1
    client.force_login(manager)

    client.post(settings_url(plan), SETTINGS | {"paused": "true"})
    assert reminders_sweep(today=TODAY + timedelta(days=7)) == []
    assert list(reminders_to_send(now=timezone.now())) == []
    assert reminder_send(queued[0].pk) == ""  # a send task already on its way does nothing
    assert "Reminders are paused for this plan." in client.get(log_url(plan)).text
    assert mailbox.messages == []

    client.post(settings_url(plan), SETTINGS)  # resumed a week later
    held = Reminder.objects.get(pk=queued[0].pk)
    assert held.state == ReminderState.CANCELLED
    assert list(reminders_to_send(now=timezone.now())) == []
    assert "Not sent: Reminders were paused; resumed on" in client.get(log_url(plan)).text
    # The next sweep sends what is due then: a fresh digest, as the action is still overdue.
    (fresh,) = reminders_sweep(today=TODAY + timedelta(days=8))
    assert (fresh.kind, fresh.period) == (ReminderKind.OVERDUE, str(TODAY + timedelta(days=8)))
    assert reminder_send(fresh.pk) == ReminderState.SENT
    assert len(mailbox.messages) == 1


def test_a_pause_resumed_the_same_day_lets_that_day_be_swept_again(client, world, manager):
    plan, first, *_ = world
    due_on(first, TODAY - timedelta(days=2))
    (held,) = reminders_sweep(today=TODAY)
    client.force_login(manager)
    client.post(settings_url(plan), SETTINGS | {"paused": "true"})
    client.post(settings_url(plan), SETTINGS)

    (again,) = reminders_sweep(today=TODAY)  # the cancelled row does not block its key

    assert again.pk != held.pk and again.state == ReminderState.PENDING


def test_pausing_one_plan_leaves_another_alone(client, world, manager):
    plan, first, *_ = world
    other = ActionFactory(objective__responsible_posts=list(first.responsible_posts()))
    due_on(first, TODAY - timedelta(days=2))
    due_on(other, TODAY - timedelta(days=2))
    client.force_login(manager)
    client.post(settings_url(plan), SETTINGS | {"paused": "true"})

    queued = reminders_sweep(today=TODAY)

    assert [row.plan for row in queued] == [other.objective.plan]
    assert list(reminders_to_send(now=timezone.now())) == [queued[0].pk]


def test_the_log_shows_the_manager_everything_and_others_their_own(client, world, manager):
    plan, first, second, erin, deputy = world
    due_on(first, TODAY - timedelta(days=30))  # an overdue digest to Erin; escalation to deputy
    reminders_sweep(today=TODAY)
    # Someone whose address ends like Erin's is not copied in on her escalation.
    lookalike = UserFactory(role=Role.HEAD_OF_SERVICE, email="rin@example.org")
    board_member = UserFactory(role=Role.BOARD_MEMBER)

    def log_for(user):
        client.force_login(user)
        return client.get(log_url(plan)).text

    everything = log_for(manager)
    assert count(everything) == 2 and "every reminder for this plan" in everything
    assert "erin@example.org" in everything and "deputy@example.org" in everything
    assert "Copied to erin@example.org" in everything
    assert "Waiting to be sent" in everything
    assert count(log_for(erin)) == 2  # her digest, and the escalation copying her in
    assert count(log_for(deputy)) == 1 and "Escalation" in log_for(deputy)
    assert count(log_for(lookalike)) == count(log_for(board_member)) == 0


def test_the_log_filters_by_state_and_kind(client, world, manager):
    plan, first, *_ = world
    due_on(first, TODAY - timedelta(days=30))
    reminders_sweep(today=TODAY)
    Reminder.objects.filter(kind=ReminderKind.OVERDUE).update(state=ReminderState.SENT)
    client.force_login(manager)

    assert count(client.get(log_url(plan), {"state": "sent"}).text) == 1
    by_kind = client.get(log_url(plan), {"kind": "escalation"}).text
    assert count(by_kind) == 1 and "deputy@example.org" in by_kind
    assert count(client.get(log_url(plan), {"kind": "due_soon"}).text) == 0
    assert client.get(log_url(plan), {"kind": "nonsense"}).status_code == 200


def test_a_refused_reminder_is_shown_and_can_be_sent_again_to_the_corrected_address(
    client, world, manager, mailbox
):
    plan, first, _, erin, _ = world
    due_on(first, TODAY + timedelta(days=3))
    erin.email = "erin@old.example.org"
    erin.save()
    mailbox.refused.add("erin@old.example.org")
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())
    reminder = Reminder.objects.get()
    client.force_login(manager)

    log = client.get(log_url(plan)).text
    assert "The address erin@old.example.org was refused: 550" in log and "Send again" in log
    action_page = client.get(f"/plans/{plan.reference}/actions/1.1.1/").text
    assert "Due soon" in action_page and "erin@old.example.org was refused" in action_page

    erin.email = "erin@example.org"
    erin.save()
    response = client.post(f"/plans/{plan.reference}/reminders/{reminder.pk}/send-again/")
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert (reminder.state, reminder.email, reminder.attempts) == (
        ReminderState.PENDING, "erin@example.org", 0,
    )  # fmt: skip
    assert reminder_send(reminder.pk) == ReminderState.SENT
    assert [to for to, _ in mailbox.messages] == [["erin@example.org"]]

    again = client.post(f"/plans/{plan.reference}/reminders/{reminder.pk}/send-again/")
    assert "Only a reminder that failed can be sent again." in client.get(again.url).text


def test_the_action_page_says_when_no_reminder_was_sent(client, world, manager):
    plan = world[0]
    client.force_login(manager)

    page = client.get(f"/plans/{plan.reference}/actions/1.1.1/").text

    assert "No reminders have been sent about this action." in page


def test_others_see_on_the_action_page_who_was_reminded_but_not_addresses_or_errors(client, world):
    plan, first, *_ = world
    due_on(first, TODAY + timedelta(days=3))
    reminders_sweep(today=TODAY)
    Reminder.objects.update(state=ReminderState.FAILED, last_error="550 No such mailbox")
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))

    page = client.get(f"/plans/{plan.reference}/actions/1.1.1/").text

    assert "Due soon" in page and "Failed" in page
    assert "erin@example.org" not in page and "550 No such mailbox" not in page


def test_a_reminder_to_someone_without_an_address_fails_and_is_not_sent_again_blindly(
    client, world, manager, mailbox
):
    plan, first, _, erin, _ = world
    due_on(first, TODAY + timedelta(days=3))
    (reminder,) = reminders_sweep(today=TODAY)
    Reminder.objects.filter(pk=reminder.pk).update(email="")
    erin.email = ""
    erin.save()

    assert reminder_send(reminder.pk) == ReminderState.FAILED
    client.force_login(manager)
    response = client.post(f"/plans/{plan.reference}/reminders/{reminder.pk}/send-again/")

    assert "has no email address. Add one in the admin" in client.get(response.url).text
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.FAILED and mailbox.messages == []


def test_the_log_reads_its_rows_in_a_fixed_number_of_queries(
    client, world, manager, django_assert_max_num_queries
):
    plan, first, second, *_ = world
    for days in range(30):  # thirty days of digests and escalations
        due_on(first, TODAY - timedelta(days=40 + days))
        due_on(second, TODAY - timedelta(days=2))
        reminders_sweep(today=TODAY + timedelta(days=7 * days))
    assert Reminder.objects.count() > 40
    client.force_login(manager)

    with django_assert_max_num_queries(15):
        client.get(log_url(plan))


def test_someone_overdue_in_two_plans_gets_each_plan_s_digest(world):
    plan, first, *_ = world
    other = ActionFactory(objective__responsible_posts=list(first.responsible_posts()))
    due_on(first, TODAY - timedelta(days=2))
    due_on(other, TODAY - timedelta(days=2))

    queued = reminders_sweep(today=TODAY)

    assert sorted((row.plan_id, row.kind) for row in queued) == sorted(
        [(plan.pk, ReminderKind.OVERDUE), (other.objective.plan_id, ReminderKind.OVERDUE)]
    )
