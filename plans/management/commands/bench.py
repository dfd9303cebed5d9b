"""Measure the pages people wait for, on whatever plan data the database holds, and write JSON.

For each page: p50/p95 over --runs requests through the whole stack (middleware, session,
templates) with Django's test client, the SQL queries of one request, the peak Python memory of
one request (tracemalloc), and the same for its floor view (plans.bench_floors). `make bench`
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
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans.models import Action, BoardMeeting, Committee, Objective, Plan, ProgressUpdate
from plans.roles import Role


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, url: str, runs: int) -> dict:
    """Latency, queries and peak memory of GET `url` (which must answer 200)."""
    for _ in range(2):  # warm up: templates, fonts, connections
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}.")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # now: the next request clears the connection's query log
    gc.collect()
    tracemalloc.start()
    client.get(url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 1),
        "queries": queries,
        "peak_memory_kib": round(peak / 1024),
    }


def timed_once(function) -> dict:
    """Seconds and peak Python memory of one call (for the slow, one-off measures)."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    function()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": round(seconds, 2), "peak_memory_kib": round(peak / 1024)}


class Command(BaseCommand):
    help = "Time the main pages and their floor views on the loaded data; write a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", required=True, help="a name for the data, e.g. demo")
        parser.add_argument("--out", required=True, help="the JSON file to write")
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, dataset, out, runs, **options):
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
        results = {}
        with override_settings(ROOT_URLCONF="plans.bench_floors", ALLOWED_HOSTS=["testserver"]):
            for name, (user, url, floor_url, page_runs) in pages.items():
                client = Client()
                client.force_login(user)
                started = time.perf_counter()
                results[name] = measure(client, url, page_runs)
                results[name]["floor"] = measure(client, floor_url, page_runs)
                self.stdout.write(
                    f"{name}: p50 {results[name]['p50_ms']} ms, p95 {results[name]['p95_ms']} ms,"
                    f" {results[name]['queries']} queries; floor p50 "
                    f"{results[name]['floor']['p50_ms']} ms ({time.perf_counter() - started:.0f} s)"
                )
                results[name]["url"] = url
                floor = results[name]["floor"]["p50_ms"]
                results[name]["ratio_to_floor"] = round(results[name]["p50_ms"] / floor, 2)
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
        }
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(summary, indent=2))
        self.stdout.write(f"Written: {out}")

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
        objective = (
            Objective.objects.filter(plan=plan)
            .annotate(n=Count("actions"))
            .order_by("-n", "reference")
            .first()
        )
        meetings = BoardMeeting.objects.filter(plan=plan, committee=Committee.IMPROVEMENT_BOARD)
        meeting = (
            meetings.filter(date__gte=today).order_by("date").first()
            or meetings.order_by("-date").first()
        )
        on = f"?meeting={meeting.pk}" if meeting else ""
        year_ago = today - timedelta(days=365)
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
            "Indicators page": (board, "/indicators/", "/floor/indicators/", runs),
            "Exception report page": (
                board, f"/plans/{ref}/report/{on}", f"/floor/{ref}/report/", runs,
            ),
            "Exception report PDF": (
                board, f"/plans/{ref}/report.pdf{on}", f"/floor/{ref}/report.pdf", runs,
            ),
            "Exception report XLSX": (
                board, f"/plans/{ref}/report.xlsx{on}", f"/floor/{ref}/report.xlsx", runs,
            ),
            "Exception report as at a year back": (
                board, f"/plans/{ref}/report/?meeting=&as_at={year_ago:%d/%m/%Y}",
                f"/floor/{ref}/report-as-at/{year_ago.isoformat()}/", runs,
            ),
        }  # fmt: skip
