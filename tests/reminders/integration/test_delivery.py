"""Reminders sent through a real SMTP conversation: content, links, refusals, and a server
that is down and then up again."""

import io
import socket
import threading
import time
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from plans.models import BoardMeeting
from reminders.models import Reminder, ReminderSettings, ReminderState
from reminders.selectors import reminders_to_send
from reminders.services import (
    LEASE,
    RETRY_AFTER,
    reminder_claim,
    reminder_send,
    reminders_sweep,
    reminders_to_dispatch,
)
from tests.factories import PostFactory, UserFactory
from tests.reminders.integration.test_rules import TODAY, due_on
from tests.reminders.integration.test_rules import world as world  # noqa: F401 (a fixture)
from tests.smtp import Mailbox, free_port, use_smtp  # noqa: F401
from tests.smtp import mailbox as mailbox

pytestmark = pytest.mark.django_db


def test_the_sweep_sends_one_digest_per_person_with_links_and_why(world, mailbox, settings):
    settings.SITE_URL = "https://tracker.example.org"
    plan, first, second, erin, deputy = world
    due_on(first, TODAY - timedelta(days=30))
    due_on(second, TODAY - timedelta(days=2))
    out = io.StringIO()

    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=out)
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())

    assert "2 queued; 2 sent, 0 to retry, 0 failed." in out.getvalue()
    by_subject = {message["Subject"]: (to, message) for to, message in mailbox.messages}
    assert len(mailbox.messages) == 2  # the second run sent nothing again
    to, digest = by_subject[f"Overdue: 2 actions in {plan.title}"]
    assert to == ["erin@example.org"]
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    assert "Action 1.1.1:" in text and "(30 days overdue)" in text and "(2 days overdue)" in text
    update_url = f"https://tracker.example.org/plans/{plan.reference}/actions/1.1.1/update/"
    assert f"Update it: {update_url}" in text
    assert f'<a href="{update_url}">Update action 1.1.1</a>' in html
    assert "Why you are receiving this: you hold HoS Early Help, which owns these actions" in text
    to, escalation = by_subject[f"Escalation: 1 action overdue 28 days or more in {plan.title}"]
    assert to == ["deputy@example.org", "erin@example.org"] and escalation["Cc"] == (
        "erin@example.org"
    )
    assert set(Reminder.objects.values_list("state", flat=True)) == {ReminderState.SENT}


def test_a_refused_address_is_marked_failed_with_the_reason(world, mailbox):
    plan, first, _, erin, _ = world
    due_on(first, TODAY + timedelta(days=3))
    mailbox.refused.add("erin@example.org")

    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())

    reminder = Reminder.objects.get()
    assert reminder.state == ReminderState.FAILED
    assert reminder.last_error == (
        "The address erin@example.org was refused: 550 5.1.1 No such mailbox here"
    )
    assert mailbox.messages == []


def test_a_mail_server_down_then_up_delays_reminders_and_loses_none(world, settings):
    plan, first, second, erin, deputy = world
    due_on(first, TODAY + timedelta(days=3))
    due_on(second, TODAY - timedelta(days=1))
    port = free_port()
    use_smtp(settings, port)  # nothing listens there yet
    reminders_sweep(today=TODAY)
    now = timezone.now()

    outcomes = [reminder_send(pk, now=now) for pk in reminders_to_send(now=now)]

    assert outcomes == [ReminderState.PENDING, ReminderState.PENDING]
    waiting = Reminder.objects.all()
    assert all(r.last_error and r.not_before > now for r in waiting)
    assert list(reminders_to_send(now=now)) == []  # not before its retry time
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = now + timedelta(minutes=2)
        outcomes = [reminder_send(pk, now=later) for pk in reminders_to_send(now=later)]
    finally:
        controller.stop()

    assert outcomes == [ReminderState.SENT, ReminderState.SENT]
    assert sorted(message["Subject"].split(":")[0] for _, message in box.messages) == [
        "Due soon", "Overdue"
    ]  # fmt: skip


def test_a_mail_server_too_slow_to_answer_delays_the_reminder_for_a_retry(world, settings):
    plan, first, *_ = world
    due_on(first, TODAY + timedelta(days=3))
    (reminder,) = reminders_sweep(today=TODAY)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # connects, never says hello
        use_smtp(settings, silent.getsockname()[1])
        settings.EMAIL_TIMEOUT = 1
        now = timezone.now()

        assert reminder_send(reminder.pk, now=now) == ReminderState.PENDING

    reminder.refresh_from_db()
    assert "timed out" in reminder.last_error and reminder.not_before > now
    assert reminder.state == ReminderState.PENDING and reminder.attempts == 1


def test_a_claim_whose_lease_ran_out_is_sent_by_the_next_worker_once(world, mailbox):
    plan, first, _, _, _ = world
    due_on(first, TODAY + timedelta(days=3))
    (reminder,) = reminders_sweep(today=TODAY)
    now = timezone.now()
    Reminder.objects.filter(pk=reminder.pk).update(
        state=ReminderState.CLAIMED, lease_until=now - timedelta(seconds=1)
    )  # a worker claimed it and died

    assert reminder_send(reminder.pk, now=now) == ReminderState.SENT
    assert reminder_send(reminder.pk, now=now) == ""  # nobody can claim a sent one
    assert len(mailbox.messages) == 1


def test_a_dry_run_lists_what_is_due_and_queues_nothing(world):
    plan, first, _, _, _ = world
    due_on(first, date(2026, 11, 30))
    out = io.StringIO()

    call_command("send_reminders", "--dry-run", "--today", TODAY.isoformat(), stdout=out)

    assert "due_soon to erin@example.org (2026-11-30): 1.1.1" in out.getvalue()
    assert not Reminder.objects.exists()


def test_a_dispatch_hands_each_reminder_out_once_per_lease(world, settings):
    plan, first, second, _, _ = world
    due_on(first, TODAY + timedelta(days=3))
    due_on(second, TODAY - timedelta(days=1))
    queued = {row.pk for row in reminders_sweep(today=TODAY)}
    now = timezone.now()

    assert set(reminders_to_dispatch(now=now)) == queued
    assert reminders_to_dispatch(now=now + timedelta(seconds=59)) == []  # next minute's dispatch
    # Not sent within a lease (its task was lost with a worker): handed out again.
    assert set(reminders_to_dispatch(now=now + LEASE + timedelta(seconds=1))) == queued


def test_a_reminder_put_back_for_a_retry_is_handed_out_when_its_wait_is_over(world, settings):
    plan, first, *_ = world
    due_on(first, TODAY + timedelta(days=3))
    (reminder,) = reminders_sweep(today=TODAY)
    use_smtp(settings, free_port())  # the mail server is down
    now = timezone.now()
    assert reminders_to_dispatch(now=now) == [reminder.pk]

    assert reminder_send(reminder.pk, now=now) == ReminderState.PENDING

    wait_over = now + RETRY_AFTER[0] + timedelta(seconds=1)
    assert wait_over < now + LEASE  # sooner than a lease: the retry does not wait for one
    assert reminders_to_dispatch(now=wait_over) == [reminder.pk]


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_one_reminder_at_once_only_one_wins(world):
    plan, first, *_ = world
    due_on(first, TODAY + timedelta(days=3))
    (reminder,) = reminders_sweep(today=TODAY)
    now = timezone.now()
    claims = {}

    def second_worker():
        try:
            claims["second"] = reminder_claim(reminder.pk, now=now)  # waits for the first
        finally:
            connections.close_all()

    with transaction.atomic():
        claims["first"] = reminder_claim(reminder.pk, now=now)
        other = threading.Thread(target=second_worker)
        other.start()
        time.sleep(1)  # the second claim is now waiting on the first one's row lock
    other.join(timeout=30)

    assert claims == {"first": True, "second": False}
    assert Reminder.objects.get(pk=reminder.pk).attempts == 1


def test_an_escalation_whose_contact_is_refused_fails_though_the_copy_went(world, mailbox):
    plan, first, _, erin, deputy = world
    due_on(first, TODAY - timedelta(days=28))
    mailbox.refused.add("deputy@example.org")

    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())

    escalation = Reminder.objects.get(kind="escalation")
    assert escalation.state == ReminderState.FAILED
    assert "The address deputy@example.org was refused: 550" in escalation.last_error
    assert Reminder.objects.get(kind="overdue").state == ReminderState.SENT


def test_a_refused_copy_is_noted_beside_a_sent_escalation(world, mailbox):
    plan, first, _, erin, deputy = world
    due_on(first, TODAY - timedelta(days=28))
    mailbox.refused.add("erin@example.org")  # the owner, copied in

    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())

    escalation = Reminder.objects.get(kind="escalation")
    assert escalation.state == ReminderState.SENT
    assert escalation.last_error.startswith("The address erin@example.org was refused: 550")


def test_each_email_says_why_in_words_with_dates_and_plurals(world, mailbox):
    plan, first, second, erin, deputy = world
    ReminderSettings.objects.create(plan=plan, escalation_days=1)
    due_on(first, TODAY - timedelta(days=1))
    BoardMeeting.objects.create(
        plan=plan, date=TODAY + timedelta(days=10), papers_due=TODAY + timedelta(days=3)
    )

    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())

    texts = {m["Subject"]: m.get_body(("plain",)).get_content() for _, m in mailbox.messages}
    escalation = texts[f"Escalation: 1 action overdue 1 day or more in {plan.title}"]
    assert "This action has been overdue for 1 day or more." in escalation
    assert (
        "Why you are receiving this: you hold the escalation contact post for HoS Early Help, "
        "which owns this action. The people who hold those posts are copied in."
    ) in escalation
    request = texts["Please update 2 actions before the board papers are due"]
    assert "The papers for the board are due on 26 November 2026." in request
    assert "you hold HoS Early Help, which owns these actions in" in request


def test_the_why_names_only_the_posts_the_recipient_holds(world, mailbox):
    plan, first, _, erin, deputy = world
    other_post = PostFactory(name="Performance Manager")
    other_post.holders.add(UserFactory(email="priya@example.org"))
    first.owners.set([*first.objective.responsible_posts.all(), other_post])
    due_on(first, TODAY + timedelta(days=3))

    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())

    why = {
        to[0]: m.get_body(("plain",)).get_content().split("Why you are receiving this: ")[1]
        for to, m in mailbox.messages
    }
    assert why["erin@example.org"].startswith("you hold HoS Early Help, which owns this action")
    assert why["priya@example.org"].startswith("you hold Performance Manager, which owns this")
