"""Reminders through a real Celery worker (a separate process) on real Redis, to a real SMTP
server on loopback; and the same with the worker killed mid-batch and started again."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from plans.roles import Role
from reminders.models import Reminder, ReminderState
from tests.celery_redis import redis_producer
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PostFactory, UserFactory
from tests.smtp import Mailbox, free_port
from tests.smtp import mailbox as mailbox  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def redis_broker():
    """Real Redis, emptied; the test process sends its tasks there too."""
    yield from redis_producer(REDIS_URL)


def database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def start_worker(port: int, concurrency: int = 2) -> subprocess.Popen:
    environment = os.environ | {
        "DATABASE_URL": database_url(), "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}", "SITE_URL": "https://tracker.example.org",
        "REMINDER_LEASE_SECONDS": "3", "REMINDER_RETRY_SECONDS": "1,2",
        "EMAIL_TIMEOUT": "5", "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }  # fmt: skip
    return subprocess.Popen(  # noqa: S603 (our own worker, fixed arguments)
        [sys.executable, "-m", "celery", "--app", "tracker", "worker", "--pool", "prefork",
         "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
         "--loglevel", "WARNING"],
        cwd=ROOT, env=environment, start_new_session=True,
    )  # fmt: skip


def stop(worker: subprocess.Popen, sig=signal.SIGTERM):
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def overdue_actions_for(people: int):
    plan = PlanFactory()
    for number in range(people):
        post = PostFactory(name=f"HoS {number}")
        post.holders.add(UserFactory(role=Role.HEAD_OF_SERVICE, email=f"head{number}@example.org"))
        objective = ObjectiveFactory(priority_area__plan=plan, responsible_posts=[post])
        ActionFactory(objective=objective, due_date=timezone.localdate() - timedelta(days=3))
    return plan


def wait_until(condition, seconds: float, dispatch=None):
    """Poll `condition`; every 2 s ask for a dispatch, as beat does every minute."""
    deadline = time.monotonic() + seconds
    last_dispatch = 0.0
    while time.monotonic() < deadline:
        if condition():
            return True
        if dispatch and time.monotonic() - last_dispatch > 2:
            dispatch()
            last_dispatch = time.monotonic()
        time.sleep(0.2)
    return condition()


def tasks(producer):
    """Start the sweep, and a dispatch, as beat would."""
    return (
        lambda: producer.send_task("reminders.tasks.reminders_sweep_task"),
        lambda: producer.send_task("reminders.tasks.reminders_dispatch_task"),
    )


def test_the_worker_sends_exactly_the_expected_digests(redis_broker, mailbox):
    sweep, dispatch = tasks(redis_broker)
    plan = overdue_actions_for(3)
    worker = start_worker(mailbox.port)
    try:
        sweep()
        assert wait_until(lambda: len(mailbox.messages) >= 3, 60, dispatch)
        time.sleep(2)  # nothing more arrives
    finally:
        stop(worker)

    recipients = sorted(to[0] for to, _ in mailbox.messages)
    assert recipients == ["head0@example.org", "head1@example.org", "head2@example.org"]
    for _, message in mailbox.messages:
        assert message["Subject"] == f"Overdue: 1 action in {plan.title}"
        text = message.get_body(("plain",)).get_content()
        assert f"https://tracker.example.org/plans/{plan.reference}/actions/" in text
        assert "(3 days overdue)" in text
    assert set(Reminder.objects.values_list("state", flat=True)) == {ReminderState.SENT}


def test_a_worker_killed_mid_batch_loses_no_reminder_and_repeats_at_most_its_concurrency(
    redis_broker, mailbox
):
    sweep, dispatch = tasks(redis_broker)
    people = 220
    overdue_actions_for(people)
    mailbox.delay = 0.02  # a mail server that takes a moment, so the kill lands mid-batch
    worker = start_worker(mailbox.port)
    sweep()
    assert wait_until(lambda: len(mailbox.messages) >= 30, 90)
    stop(worker, signal.SIGKILL)  # the main process and its children, mid-batch
    delivered_before_kill = len(mailbox.messages)
    worker = start_worker(mailbox.port)
    try:
        all_sent = wait_until(
            lambda: Reminder.objects.filter(state=ReminderState.SENT).count() == people,
            120, dispatch,
        )  # fmt: skip
    finally:
        stop(worker)

    recipients = [to[0] for to, _ in mailbox.messages]
    delivered = set(recipients)
    missed = people - len(delivered)
    duplicates = len(recipients) - len(delivered)
    print(
        f"\nKilled after {delivered_before_kill} of {people}: delivered {len(delivered)}, "
        f"missed {missed}, duplicates {duplicates}"
    )
    assert all_sent and missed == 0
    assert duplicates <= 2  # at most one per worker process: sent, then killed before marking


def test_a_mail_server_down_then_up_delays_the_reminders_and_loses_none(redis_broker):
    sweep, dispatch = tasks(redis_broker)
    people = 20
    overdue_actions_for(people)
    port = free_port()  # nothing listens there yet: the mail server is down
    worker = start_worker(port)
    try:
        sweep()
        tried = wait_until(
            lambda: Reminder.objects.filter(attempts__gte=2, state=ReminderState.PENDING).count()
            == people,
            90, dispatch,
        )  # fmt: skip
        assert tried, "every reminder was tried twice and is still waiting"
        assert not Reminder.objects.exclude(state=ReminderState.PENDING).exists()
        assert all("Connection refused" in r.last_error for r in Reminder.objects.all())
        box = Mailbox()
        server = Controller(box, hostname="127.0.0.1", port=port)
        server.start()  # the mail server is back
        try:
            all_sent = wait_until(
                lambda: Reminder.objects.filter(state=ReminderState.SENT).count() == people,
                90, dispatch,
            )  # fmt: skip
            time.sleep(2)  # nothing more arrives
        finally:
            server.stop()
    finally:
        stop(worker)

    recipients = sorted(to[0] for to, _ in box.messages)
    assert all_sent
    assert recipients == sorted(f"head{number}@example.org" for number in range(people))


def test_the_worker_sends_a_queued_email_such_as_a_password_reset(redis_broker, mailbox):
    message = {
        "subject": "Password reset", "body": "Follow the link.",
        "from_email": "tracker@example.org", "to": ["head@example.org"],
        "html": "<p>Follow the link.</p>",
    }  # fmt: skip
    worker = start_worker(mailbox.port)
    try:
        redis_broker.send_task("plans.tasks.send_email_task", [message])
        assert wait_until(lambda: len(mailbox.messages) >= 1, 60)
    finally:
        stop(worker)

    ((to, sent),) = mailbox.messages
    assert to == ["head@example.org"] and sent["Subject"] == "Password reset"
    assert sent.get_body(("html",)).get_content().strip() == "<p>Follow the link.</p>"
