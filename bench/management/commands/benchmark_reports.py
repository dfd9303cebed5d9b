import gc
import os
import platform
import statistics
import time
from datetime import date

import weasyprint
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.management.commands.bench import percentile
from boards.pack import board_pack_html, exception_report_html
from boards.report import build_exception_report
from plans.documents import pdf_from_html
from plans.models import BoardMeeting
from plans.pdf import PRINT_STYLESHEET, STATIC_BASE, StaticFilesOnly
from plans.roles import Role


def _timed(function, runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return samples, result


class Command(BaseCommand):
    help = (
        "Time the exception report page, its PDF and the board pack PDF for the next meeting "
        "of the loaded plan, and WeasyPrint's own time on the same HTML. Load the demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--page-runs", type=int, default=40)
        parser.add_argument("--pdf-runs", type=int, default=5)

    def handle(self, *args, page_runs: int, pdf_runs: int, **options):
        today = timezone.localdate()
        meeting = (
            BoardMeeting.objects.filter(date__gte=today).order_by("date").first()
            or BoardMeeting.objects.order_by("-date").first()
        )
        chair = User.objects.filter(groups__name=Role.BOARD_MEMBER.value).first()
        if meeting is None or chair is None:
            raise CommandError(
                "No board meeting or board member to measure with. Load the demo first: "
                "DEMO_MODE=true python manage.py load_demo (make benchmark does this)."
            )
        plan = meeting.plan
        as_at = meeting.as_at(today)
        client = Client()
        client.force_login(chair)
        url = f"/plans/{plan.reference}/report/?meeting={meeting.pk}"
        client.get(url, HTTP_HOST="127.0.0.1")  # warm up: templates, fonts, first queries
        gc.freeze()  # as gunicorn.conf.py does once a worker has loaded the app
        page_samples, response = _timed(lambda: client.get(url, HTTP_HOST="127.0.0.1"), page_runs)
        if response.status_code != 200:
            raise CommandError(f"The report page answered {response.status_code}.")
        with CaptureQueriesContext(connection) as queries:
            client.get(url, HTTP_HOST="127.0.0.1")
        report = build_exception_report(plan, as_at=as_at, meeting=meeting)

        def report_pdf():
            built = build_exception_report(plan, as_at=as_at, meeting=meeting)
            return pdf_from_html(exception_report_html(built, built.items))

        def pack_pdf():
            built = build_exception_report(plan, as_at=as_at, meeting=meeting)
            return pdf_from_html(board_pack_html(built))

        def weasyprint_only(html: str):
            def render():
                fetcher = StaticFilesOnly()
                document = weasyprint.HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
                return document.write_pdf(
                    stylesheets=[weasyprint.CSS(filename=str(PRINT_STYLESHEET))],
                    pdf_variant="pdf/ua-1",
                )

            return render

        report_pdf()  # warm up
        measured = {
            "exception report PDF": _timed(report_pdf, pdf_runs)[0],
            "WeasyPrint alone, same report HTML": _timed(
                weasyprint_only(exception_report_html(report, report.items)), pdf_runs
            )[0],
            "board pack PDF": _timed(pack_pdf, pdf_runs)[0],
            "WeasyPrint alone, same pack HTML": _timed(
                weasyprint_only(board_pack_html(report)), pdf_runs
            )[0],
        }
        self._print_header(plan, meeting, report, as_at)
        self.stdout.write("| measure | runs | median | p95 | max |")
        self.stdout.write("| --- | --- | --- | --- | --- |")
        self._row("exception report page", page_samples, milliseconds=True)
        for name, samples in measured.items():
            self._row(name, samples)
        for name, own in (("report", "exception report PDF"), ("pack", "board pack PDF")):
            tracker = statistics.median(measured[own])
            alone = statistics.median(measured[f"WeasyPrint alone, same {name} HTML"])
            self.stdout.write(
                f"\nTracker overhead on the {name} PDF (queries, charts, templates): "
                f"{(tracker - alone) / alone:.0%} of WeasyPrint's own time (medians)."
            )
        self.stdout.write(f"Queries for one report page: {len(queries.captured_queries)}.")

    def _print_header(self, plan, meeting, report, as_at: date):
        self.stdout.write(
            f"{plan.title}: {meeting}, as at {as_at:%d/%m/%Y}; {len(report.items)} exceptions, "
            f"{len(report.snapshot.actions)} actions, {len(report.indicators.indicators)} "
            f"indicators. Database: {connection.vendor}. Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}, {os.cpu_count()} CPUs, {platform.machine()}.\n"
        )

    def _row(self, name: str, samples: list[float], milliseconds: bool = False):
        scale, unit = (1000, " ms") if milliseconds else (1, " s")
        figures = [statistics.median(samples), percentile(samples, 0.95), max(samples)]
        text = " | ".join(
            f"{figure * scale:.{0 if milliseconds else 2}f}{unit}" for figure in figures
        )
        self.stdout.write(f"| {name} | {len(samples)} | {text} |")
