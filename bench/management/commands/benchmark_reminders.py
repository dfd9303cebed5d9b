"""Time the reminder sweep and the delivery of its overdue digests (issue 6), end to end: real
Redis, two real Celery worker processes, a real SMTP server on loopback (docs/benchmarks.md)."""

import os
import platform
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from email.parser import BytesHeaderParser
from json import dumps
from pathlib import Path

from celery import Celery
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from plans.models import Action, ActionStatus, Objective, Plan, Post, PriorityArea
from plans.roles import Role
from reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderState

REFERENCE = "benchmark-reminders"  # the plan, and the prefix of its people and posts
ROOT = Path(settings.BASE_DIR)
# Its own Redis database, because the benchmark empties it first.
REDIS_URL = "redis://127.0.0.1:6379/13"
START_REDIS = "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no"
# Rule settings saved with the plan, so that the environment's defaults cannot change what is due.
ESCALATION_DAYS = 28


class Mailbox:
    """An aiosmtpd handler that counts what it receives, by recipient and by subject."""

    def __init__(self):
        self.recipients = Counter()
        self.subjects = Counter()
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        headers = BytesHeaderParser().parsebytes(envelope.content)
        self.subjects[str(headers["Subject"])] += 1
        self.recipients.update(envelope.rcpt_tos)
        self.messages += 1
        return "250 Message accepted for delivery"


class Command(BaseCommand):
    help = (
        "Time the reminder sweep and the delivery of its overdue digests through two Celery "
        "workers to an SMTP server on loopback: 10,000 overdue actions held by 500 people. "
        "Needs Redis and a database holding no other plan (make benchmark-reminders)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=500)
        parser.add_argument("--actions-each", type=int, default=20)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--redis-url", default=REDIS_URL, help="emptied before the run")
        parser.add_argument("--timeout", type=float, default=300, help="seconds to wait in all")
        parser.add_argument("--json", help="also write the results to this JSON file")

    def handle(self, *args, people, actions_each, workers, redis_url, timeout, json, **options):
        # The sweep covers every plan: on a database with real plans it would send (and mark
        # sent) real reminders to the benchmark's mail server. So it runs only on its own data.
        others = Plan.objects.exclude(reference=REFERENCE).count()
        if others:
            raise CommandError(
                f"This database holds {others} other plan(s), and the sweep covers every plan. "
                "Run the benchmark on a database of its own: make benchmark-reminders, or set "
                "DATABASE_URL to an empty database and migrate it."
            )
        producer = self._redis(redis_url)
        from aiosmtpd.controller import Controller  # a dev dependency (uv sync installs it)

        started = time.perf_counter()
        plan = self._build(people, actions_each)
        built = time.perf_counter() - started
        self.stdout.write(
            f"Built {people} people, {people} posts, {people * actions_each} overdue actions in "
            f"{built:.1f} s. Database: {connection.vendor}. Python {platform.python_version()}, "
            f"{os.cpu_count()} CPUs, {platform.machine()}, {timezone.localdate():%d %B %Y}."
        )
        mailbox = Mailbox()
        smtp = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
        smtp.start()
        processes = []
        try:
            processes = [
                self._start_worker(number, smtp.port, redis_url) for number in range(workers)
            ]
            self._wait_for_workers(producer, processes)
            result = self._run(producer, plan, mailbox, people, timeout)
            time.sleep(2)  # anything sent twice arrives now, and is counted as a duplicate
        finally:
            for process in processes:
                _stop(process)
            smtp.stop()
            producer.close()
        self._report(plan, mailbox, people, actions_each, workers, *result)
        if json:
            sweep, total = result
            Path(json).write_text(
                dumps({
                    "kind": "reminders", "database": connection.vendor,
                    "date": timezone.localdate().isoformat(), "people": people,
                    "actions": people * actions_each, "workers": workers,
                    "sweep_seconds": round(sweep, 2), "sweep_and_delivery_seconds": round(total, 2),
                    "messages": mailbox.messages, "missed": people - len(mailbox.recipients),
                    "duplicates": mailbox.messages - len(mailbox.recipients),
                }, indent=2)
            )  # fmt: skip

    def _redis(self, redis_url: str) -> Celery:
        import redis

        client = redis.Redis.from_url(redis_url)
        try:
            client.ping()
        except redis.exceptions.ConnectionError:
            raise CommandError(
                f"Redis is not reachable at {redis_url}. Start it with: {START_REDIS}"
            ) from None
        client.flushdb()  # no task of an earlier run left to skew this one
        client.close()
        return Celery("benchmark", broker=redis_url)

    def _build(self, people: int, actions_each: int) -> Plan:
        """A plan of `people` posts, one holder each, each post owning one objective of
        `actions_each` unfinished actions due 1 to 27 days ago: overdue, not yet escalated."""
        # The previous run's data goes first; its history is not worth keeping.
        with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
            Plan.objects.filter(reference=REFERENCE).delete()  # and its actions and reminders
            Post.objects.filter(name__startswith=REFERENCE).delete()
            User.objects.filter(username__startswith=REFERENCE).delete()
        today = timezone.localdate()
        statuses = [status for status in ActionStatus if status != ActionStatus.COMPLETE]
        with transaction.atomic():
            plan = Plan.objects.create(
                reference=REFERENCE, title="Reminders benchmark", organisation="Benchmark",
                period="2026–27",
            )  # fmt: skip
            ReminderSettings.objects.create(
                plan=plan, due_soon_days=14, overdue_every_days=7,
                escalation_days=ESCALATION_DAYS, update_request_working_days=10,
            )  # fmt: skip
            unusable = make_password(None)  # nobody signs in as a benchmark person
            users = User.objects.bulk_create(
                User(username=f"{REFERENCE}-{n}", email=f"head{n}@benchmark.invalid",
                     password=unusable)
                for n in range(people)
            )  # fmt: skip
            group, _ = Group.objects.get_or_create(name=Role.HEAD_OF_SERVICE.value)
            User.groups.through.objects.bulk_create(
                User.groups.through(user=user, group=group) for user in users
            )
            posts = Post.objects.bulk_create(
                Post(name=f"{REFERENCE} post {n}") for n in range(people)
            )
            Post.holders.through.objects.bulk_create(
                Post.holders.through(post=post, user=user)
                for post, user in zip(posts, users, strict=True)
            )
            areas = PriorityArea.objects.bulk_create(
                PriorityArea(plan=plan, reference=str(n + 1), position=n, title=f"Area {n + 1}")
                for n in range(10)
            )
            objectives = Objective.objects.bulk_create(
                Objective(plan=plan, priority_area=areas[n % len(areas)], reference=str(n + 1),
                          position=n, differently_or_better=f"Objective {n + 1}")
                for n in range(people)
            )  # fmt: skip
            Objective.responsible_posts.through.objects.bulk_create(
                Objective.responsible_posts.through(objective=objective, post=post)
                for objective, post in zip(objectives, posts, strict=True)
            )
            Action.objects.bulk_create(
                Action(
                    objective=objective,
                    reference=f"{n + 1}.{k + 1}",
                    position=k,
                    description=f"Action {k + 1} of objective {n + 1}",
                    status=statuses[k % len(statuses)],
                    # 1 to 27 days ago: overdue digests only, no escalation (28 days).
                    due_date=today - timedelta(days=1 + (n + k) % (ESCALATION_DAYS - 1)),
                )
                for n, objective in enumerate(objectives)
                for k in range(actions_each)
            )
        return plan

    def _start_worker(self, number: int, port: int, redis_url: str) -> subprocess.Popen:
        # The same database (DATABASE_URL, or the default, comes with the environment).
        environment = os.environ | {
            "REDIS_URL": redis_url, "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
        }  # fmt: skip
        return subprocess.Popen(  # noqa: S603 (our own worker, fixed arguments)
            [sys.executable, "-m", "celery", "--app", "tracker", "worker", "--pool", "prefork",
             "--concurrency", "1", "--hostname", f"benchmark{number}@%h", "--without-gossip",
             "--without-mingle", "--loglevel", "WARNING"],
            # Its banner is noise here; warnings and errors still show (stderr).
            cwd=ROOT, env=environment, start_new_session=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def _wait_for_workers(self, producer: Celery, processes: list[subprocess.Popen]):
        """Every worker answers a ping before the clock starts: start-up is not timed."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in processes):
                raise CommandError("A Celery worker stopped while starting (its output is above).")
            replies = producer.control.ping(timeout=1.0)
            if len({name for reply in replies for name in reply}) >= len(processes):
                return
        raise CommandError("The Celery workers did not answer a ping within 60 s.")

    def _run(self, producer: Celery, plan: Plan, mailbox: Mailbox, people: int, timeout: float):
        """Start the sweep as beat does; the seconds until every row is queued, and until every
        digest has arrived and its row is marked sent."""
        rows = Reminder.objects.filter(plan=plan)
        started = time.perf_counter()
        producer.send_task("reminders.tasks.reminders_sweep_task")

        def wait():
            if time.perf_counter() - started > timeout:
                raise CommandError(
                    f"Gave up after {timeout:.0f} s: {rows.count()} rows queued, "
                    f"{rows.filter(state=ReminderState.SENT).count()} sent, "
                    f"{mailbox.messages} messages received."
                )
            time.sleep(0.05)

        while rows.count() < people:
            wait()
        sweep = time.perf_counter() - started
        # The mailbox is counted in memory; the database only once the mail is all in.
        while mailbox.messages < people or rows.filter(state=ReminderState.SENT).count() < people:
            wait()
        return sweep, time.perf_counter() - started

    def _report(self, plan, mailbox, people, actions_each, workers, sweep: float, total: float):
        rows = Reminder.objects.filter(plan=plan)
        kinds = Counter(rows.values_list("kind", flat=True))
        if kinds != {ReminderKind.OVERDUE: people}:
            raise CommandError(f"Expected {people} overdue digests and nothing else, got {kinds}.")
        missed = people - len(mailbox.recipients)
        duplicates = mailbox.messages - len(mailbox.recipients)
        # Each digest lists all of its person's actions.
        expected_subject = f"Overdue: {actions_each} actions in {plan.title}"
        wrong = mailbox.messages - mailbox.subjects[expected_subject]
        self.stdout.write(
            f"\n{people} overdue digests ({people * actions_each} actions), {workers} workers "
            "of 1 process each:\n"
        )
        self.stdout.write("| measure | result |")
        self.stdout.write("| --- | --- |")
        for name, value in [
            ("sweep (task sent to all rows queued)", f"{sweep:.2f} s"),
            ("sweep and delivery (to all sent)", f"{total:.2f} s"),
            ("delivery rate", f"{people / total:.1f} messages/s"),
            ("messages received", str(mailbox.messages)),
            ("missed", str(missed)),
            ("duplicates", str(duplicates)),
            ("digests without all their actions", str(wrong)),
        ]:
            self.stdout.write(f"| {name} | {value} |")
        if missed or duplicates or wrong:
            raise CommandError("Some digests were missed, duplicated or incomplete (see above).")


def _stop(process: subprocess.Popen):
    """A warm shutdown; killed if it takes too long."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
