"""Measure the pages people wait for, on whatever plan data the database holds, and write JSON.

For each page: p50/p95 over --runs requests through the whole stack (middleware, session,
templates) with Django's test client, the SQL queries of one request, the peak Python memory of
one request (tracemalloc), and the same for its floor view (bench.floors). `make bench`
runs it for the demo and for generated data on SQLite and PostgreSQL; `bench_report` compares.
"""

import gc
import json
import os
import platform
import statistics
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.builds import forget_paper_builds
from boards.papers import forget_recorded_papers
from indicators.importers import INDICATOR_SHEETS, load_indicator_file
from plans.accounts import system_account
from plans.models import (
    Action,
    ActionStatus,
    BoardMeeting,
    Committee,
    Objective,
    Plan,
    SuccessCriterion,
)
from plans.roles import Role
from plans.workbook import write_xlsx
from progress.models import ProgressUpdate
from progress.services import action_record_progress
from recommendations.models import Recommendation
from tracker.celery import app


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def fetch(client: Client, url: str):
    """GET `url`. A PDF or Word paper is made by a Celery worker (here in this process, as the
    command runs Celery eager): followed from the 303 to its build's file, so that its time is
    the whole of making it, as before papers were made in the background."""
    response = client.get(url)
    if response.status_code == 303 and "/papers/" in response["Location"]:
        return client.get(f"{response['Location']}file/")
    return response


def measure(client: Client, url: str, runs: int, before_each=None) -> dict:
    """Latency, queries and peak memory of GET `url` (which must answer 200, or lead to a
    paper's build); `before_each` runs, untimed, before every request."""
    before_each = before_each or (lambda: None)
    for _ in range(2):  # warm up: templates, fonts, connections
        before_each()
        response = fetch(client, url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}.")
    before_each()
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    queries = len(captured)  # now: the next request clears the connection's query log
    before_each()
    gc.collect()
    tracemalloc.start()
    client.get(url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    samples = []
    for _ in range(runs):
        before_each()
        started = time.perf_counter()
        fetch(client, url)
        samples.append(time.perf_counter() - started)
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 1),
        "queries": queries,
        "peak_memory_kib": round(peak / 1024),
    }


def indicator_file(*, values: int, today: date) -> dict:
    """Indicator template sheets with `values` monthly figures: new indicators, 36 months each
    up to last month, with a target, a benchmark and now and then a missing figure or a note."""
    months = [today.replace(day=1)]
    while len(months) < 37:
        previous = months[0] - timedelta(days=1)
        months.insert(0, previous.replace(day=1))
    months = months[:-1]
    sheets = {name: [list(columns)] for name, columns in INDICATOR_SHEETS.items()}
    count = -(-values // len(months))
    for number in range(count):
        reference = f"BENCH-{number:04d}"
        sheets["Indicators"].append([
            reference, "Benchmark area", f"Measure {number}", "Percentage", "Snapshot",
            "Higher is better", None, 80, None, "", "80%", "",
        ])  # fmt: skip
        sheets["Benchmarks"].append([reference, "England", "2024-25", 75])
        for index, month in enumerate(months[: values - number * len(months)]):
            figure = "TBC" if (number + index) % 50 == 0 else 60 + (number * 7 + index * 3) % 40
            note = "Provisional" if index % 30 == 0 else ""
            sheets["Values"].append([reference, month, figure, None, None, note])
    return sheets


def timed_once(function) -> dict:
    """Seconds of one call, and the peak Python memory of a second call (tracing memory slows
    Python down, so it is never on while timing). `function` must leave the data as it was."""
    gc.collect()
    started = time.perf_counter()
    function()
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": round(seconds, 2), "peak_memory_kib": round(peak / 1024)}


class Command(BaseCommand):
    help = "Time the main pages and their floor views on the loaded data; write a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", required=True, help="a name for the data, e.g. demo")
        parser.add_argument("--out", required=True, help="the JSON file to write")
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument(
            "--only", nargs="+", metavar="TEXT",
            help="a quick check: only the pages whose names contain one of these, no import",
        )  # fmt: skip

    def handle(self, *args, dataset, out, runs, only, **options):
        if runs < 30:
            raise CommandError("Measure at least 30 requests per page (--runs 30 or more).")
        today = timezone.localdate()
        plan = (
            Plan.objects.annotate(actions=Count("objectives__actions"))
            .order_by("-actions", "reference")
            .first()
        )
        if plan is None:
            raise CommandError("No plan to measure: load the demo or generate_scale_data first.")
        if settings.DEBUG:
            raise CommandError("Run with DEBUG=false: DEBUG adds Django's own query log costs.")
        pages = self._pages(plan, today, runs)
        if only:
            pages = {name: page for name, page in pages.items() if any(t in name for t in only)}
        # As gunicorn.conf.py does once a worker has loaded the app: otherwise the first pages
        # measured pay for full collections walking every object Django and the data loaded.
        gc.freeze()
        app.conf.task_always_eager = app.conf.task_eager_propagates = True  # papers: fetch()
        results = {}
        with override_settings(ROOT_URLCONF="bench.floors", ALLOWED_HOSTS=["testserver"]):
            for name, (user, url, floor_url, page_runs, *before_each) in pages.items():
                client = Client()
                client.force_login(user)
                started = time.perf_counter()
                results[name] = measure(client, url, page_runs, *before_each)
                results[name]["floor"] = measure(client, floor_url, page_runs)
                self.stdout.write(
                    f"{name}: p50 {results[name]['p50_ms']} ms, p95 {results[name]['p95_ms']} ms,"
                    f" {results[name]['queries']} queries; floor p50 "
                    f"{results[name]['floor']['p50_ms']} ms ({time.perf_counter() - started:.0f} s)"
                )
                results[name]["url"] = url
                floor = results[name]["floor"]["p50_ms"]
                results[name]["ratio_to_floor"] = round(results[name]["p50_ms"] / floor, 2)
            layout = measure(client, "/floor/layout/", runs)  # signed in, as the last page's user
            self.stdout.write(f"Empty page in the layout: p50 {layout['p50_ms']} ms")
        summary = {
            "dataset": dataset,
            "database": connection.vendor,
            "date": today.isoformat(),
            "machine": {
                "cpus": os.cpu_count(),
                "machine": platform.machine(),
                "python": platform.python_version(),
                "system": platform.platform(terse=True),
            },
            "data": {
                "plans": Plan.objects.count(),
                "actions": Action.objects.count(),
                "progress_updates": ProgressUpdate.objects.count(),
                "measured_plan": plan.reference,
                "measured_plan_actions": plan.actions,
            },
            "pages": results,
            "layout": layout,
            "one_off": (
                {} if only else {"Indicator import, 10,000 values": self._indicator_import(plan)}
            ),
        }
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(summary, indent=2))
        self.stdout.write(f"Written: {out}")

    def _indicator_import(self, plan: Plan) -> dict:
        """Seconds and peak memory to check and load a file of 10,000 monthly figures (new
        indicators, 36 months each), rolled back so the data stays as it was."""
        workbook = write_xlsx(indicator_file(values=10_000, today=timezone.localdate()))

        def load():
            with transaction.atomic():
                load_indicator_file(
                    filename="bench.xlsx", content=workbook, plan=plan, by=system_account()
                )
                transaction.set_rollback(True)

        measured = timed_once(load)
        self.stdout.write(f"Indicator import, 10,000 values: {measured['seconds']} s")
        return measured

    def _progress_updater(self, plan: Plan, head: User, today: date):
        """A function that records a progress update on one of `head`'s unfinished actions, as
        the update page does (so the bench adds a few updates to that action each run)."""
        action = (
            Action.objects.held_by(head)
            .filter(objective__plan=plan)
            .exclude(status=ActionStatus.COMPLETE)
            .order_by("pk")
            .first()
        )
        if action is None:
            raise CommandError("The measured head of service holds no unfinished action.")

        def record_update():
            action.refresh_from_db()
            # New words each time, as people write.
            action_record_progress(
                action=action, by=head, version=action.version, status=action.status,
                commentary=f"Progress recorded by the benchmark (version {action.version + 1}).",
                today=today,
            )  # fmt: skip

        return record_update

    def _pages(self, plan: Plan, today: date, runs: int) -> dict:
        """name -> (user, page URL, floor URL, runs): the people and pages the issue names."""
        head = (
            User.objects.filter(
                groups__name=Role.HEAD_OF_SERVICE.value, posts__objectives__plan=plan
            )
            .annotate(objectives=Count("posts__objectives", distinct=True))
            .order_by("-objectives", "username")
            .first()
        )
        board = User.objects.filter(groups__name=Role.BOARD_MEMBER.value).order_by("pk").first()
        if head is None or board is None:
            raise CommandError("The data needs a head of service and a board member.")
        # The objective with most actions among those answering a recommendation and measured
        # by success criteria (as in both datasets), so its page shows every part and its
        # queries compare like with like (Django skips the audit results' query when an
        # objective has no criteria).
        answers = Exists(Recommendation.objects.filter(objectives=OuterRef("pk")))
        measured = Exists(SuccessCriterion.objects.filter(objective=OuterRef("pk")))
        objective = (
            Objective.objects.filter(plan=plan)
            .annotate(n=Count("actions"), answers=answers, measured=measured)
            .order_by("-answers", "-measured", "-n", "reference")
            .first()
        )
        meetings = BoardMeeting.objects.filter(plan=plan, committee=Committee.IMPROVEMENT_BOARD)
        meeting = (
            meetings.filter(date__gte=today).order_by("date").first()
            or meetings.order_by("-date").first()
        )
        on = f"?meeting={meeting.pk}" if meeting else ""
        # A year back, or the plan's first day in the tracker if later (the demo's plan is newer):
        # a report of a plan not yet loaded would be a different, smaller page.
        loaded = Plan.history.filter(id=plan.pk).order_by("history_date").first().history_date
        year_ago = max(today - timedelta(days=365), timezone.localdate(loaded) + timedelta(days=1))
        ref = plan.reference
        return {
            "My actions": (head, "/my-actions/", "/floor/my-actions/", runs),
            "Action list (filtered, sorted)": (
                board, f"/plans/{ref}/actions/?status=on_track&sort=due_by",
                f"/floor/{ref}/actions/?status=on_track", runs,
            ),
            "Objective page": (
                board, f"/plans/{ref}/objectives/{objective.reference}/",
                f"/floor/{ref}/objectives/{objective.reference}/", runs,
            ),
            "Indicators page": (
                board, f"/plans/{ref}/indicators/", "/floor/indicators/", runs,
            ),
            "Exception report page": (
                board, f"/plans/{ref}/report/{on}", f"/floor/{ref}/report/", runs,
            ),
            # Next to the current report: the two are compared (the machine's speed drifts).
            "Exception report as at a year back": (
                board, f"/plans/{ref}/report/?meeting=&as_at={year_ago:%d/%m/%Y}",
                f"/floor/{ref}/report-as-at/{year_ago.isoformat()}/", runs,
            ),
            # Every report is built from history on each request; the previous meeting's papers
            # are read as recorded. Here they are not yet recorded (beat records them hourly):
            # the report built cold, with nothing kept anywhere.
            "Exception report page, built cold": (
                board, f"/plans/{ref}/report/{on}", f"/floor/{ref}/report/", runs,
                forget_recorded_papers,
            ),
            "Exception report as at today": (
                board, f"/plans/{ref}/report/?meeting=&as_at={today:%d/%m/%Y}",
                f"/floor/{ref}/report/", runs,
            ),
            # The same, after a head of service records progress (the commonest change before
            # a board): the update shows at once.
            "Exception report as at today, after a progress update": (
                board, f"/plans/{ref}/report/?meeting=&as_at={today:%d/%m/%Y}",
                f"/floor/{ref}/report/", runs, self._progress_updater(plan, head, today),
            ),
            # The PDF, made afresh for each download: settled papers would otherwise be served
            # from the file an earlier build made.
            "Exception report PDF": (
                board, f"/plans/{ref}/report.pdf{on}", f"/floor/{ref}/report.pdf", runs,
                forget_paper_builds,
            ),
            "Exception report XLSX": (
                board, f"/plans/{ref}/report.xlsx{on}", f"/floor/{ref}/report.xlsx", runs,
            ),
        }  # fmt: skip
