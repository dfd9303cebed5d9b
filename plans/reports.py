"""The exception report and board pack as the chair reads them: filtered, sorted, and written
out as spreadsheet rows or a PDF."""

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from plans.exception_report import (
    AreaSection,
    Change,
    ExceptionItem,
    ExceptionReport,
    plan_indicator_rows,
)
from plans.indicator_selectors import (
    BENCHMARK_COLUMNS,
    TRENDS,
    benchmark_heading,
    board_summary,
    latest_month,
)
from plans.models import BenchmarkKind, Recommendation, SummaryList
from plans.rag import Rag
from plans.recommendations import MonitoringReport, recommendations_as_at
from plans.workbook import write_csv, write_xlsx

COLUMNS = [
    "Priority area",
    "Kind",
    "Reference",
    "Item",
    "Responsible posts",
    "Post holders",
    "Due date",
    "Revised due date",
    "RAG",
    "Why it is an exception",
    "Latest commentary",
    "Commentary date",
    "Change since the previous meeting",
]


def item_row(item: ExceptionItem) -> list:
    """One item as a spreadsheet row: dates stay dates, RAG is written as a word."""
    return [
        str(item.area) if item.area else "Not linked to a priority area",
        item.get_kind_display(),
        item.reference,
        item.title,
        "; ".join(item.posts),
        "; ".join(item.holders),
        item.due,
        item.revised_due,
        Rag(item.rag).label,
        "; ".join(item.reasons),
        item.commentary,
        item.commentary_date,
        item.get_change_display(),
    ]


def report_grid(items: list[ExceptionItem]) -> list[list]:
    return [COLUMNS, *[item_row(item) for item in items]]


def report_spreadsheet(report: ExceptionReport, items: list[ExceptionItem], file_format: str):
    """The exception rows as CSV, or as XLSX with a sheet saying what the report is."""
    if file_format == "csv":
        return write_csv(report_grid(items))
    about = [
        ["Report", "Exception report"],
        ["Plan", report.plan.title],
        ["As at", report.as_at],
        ["Meeting", str(report.meeting) if report.meeting else ""],
        ["Previous meeting", str(report.previous) if report.previous else ""],
        ["Exceptions", len(items)],
    ]
    return write_xlsx({"Exceptions": report_grid(items), "About": [["Field", "Value"], *about]})


@dataclass
class AreaOverview:
    section: AreaSection
    objectives_red: int
    overdue: int


@dataclass
class BoardPack:
    report: ExceptionReport
    overview: list[AreaOverview]
    indicator_rows: list
    month: date | None
    summary_lists: list[tuple[str, list]]
    # The open recommendations at the same moment, by the committee that tracks them.
    recommendations: list[tuple[str, list[Recommendation]]]


def board_pack(report: ExceptionReport) -> BoardPack:
    """The rest of the pack, from the same moment's history as the report."""
    rows = plan_indicator_rows(report.snapshot, report.indicators)
    month = latest_month(rows)
    saved = {
        indicator_id: summary_list
        for (choice_month, indicator_id), summary_list in report.indicators.summary_choices.items()
        if choice_month == month
    }
    lists = board_summary(rows, month, saved)
    shown = [choice for choice in SummaryList if choice != SummaryList.LEFT_OUT]
    overview = []
    for section in report.sections():
        if section.area is None:
            continue
        objectives = report.snapshot.objectives_of(section.area)
        actions = [action for objective in objectives for action in objective.actions.all()]
        overview.append(
            AreaOverview(
                section=section,
                objectives_red=sum(o.rag(report.as_at) == Rag.RED for o in objectives),
                overdue=sum(action.is_overdue(report.as_at) for action in actions),
            )
        )
    open_recommendations = [
        r for r in recommendations_as_at(report.plan, report.as_at) if r.progress().is_open
    ]
    by_committee = {}
    for recommendation in sorted(
        open_recommendations, key=lambda r: (r.date or date.max, r.number)
    ):
        by_committee.setdefault(recommendation.committee, []).append(recommendation)
    return BoardPack(
        report=report,
        overview=overview,
        indicator_rows=rows,
        month=month,
        summary_lists=[(choice.label, lists[choice]) for choice in shown],
        recommendations=sorted(by_committee.items()),
    )


def pack_spreadsheet(pack: BoardPack) -> bytes:
    """The pack's tables as sheets: the RAG overview, every exception, the indicators."""
    overview = [[
        "Priority area", "Derived RAG", "Judged risk rating", "Objectives Red",
        "Actions overdue", "Exceptions",
    ]]  # fmt: skip
    for row in pack.overview:
        assessment = row.section.assessment
        overview.append([
            str(row.section.area), row.section.rag.label,
            assessment.get_risk_rating_display() if assessment else "Not recorded",
            row.objectives_red, row.overdue, len(row.section.items),
        ])  # fmt: skip
    indicators = [["Reference", "Indicator", "Month", "Value", "RAG", "Trend", "Summary list"]]
    for row in pack.indicator_rows:
        indicators.append([
            row.indicator.reference, row.indicator.title,
            row.latest.month if row.latest else None, row.latest.value if row.latest else None,
            row.rag.label, TRENDS.get(row.trend, ""), SummaryList(row.chosen).label,
        ])  # fmt: skip
    recommendations = [MONITORING_COLUMNS + ["Tracked by"]] + [
        monitoring_row(recommendation, committee) + [committee]
        for committee, tracked in pack.recommendations
        for recommendation in tracked
    ]
    return write_xlsx({
        "RAG overview": overview,
        "Exceptions": report_grid(pack.report.items),
        "Indicators": indicators,
        "Recommendations": recommendations,
    })  # fmt: skip


# The PDF renderer may read the app's own static files and nothing else: user text that names
# an http(s) or file:// address prints as text and never makes WeasyPrint fetch anything.
STATIC_BASE = "https://tracker.invalid" + settings.STATIC_URL


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_BASE):
            raise ValueError(f"The PDF may only use the tracker's own files, not {url[:80]}")
        relative = unquote(urlsplit(url).path)[len(urlsplit(STATIC_BASE).path) :]
        found = finders.find(relative) if ".." not in Path(relative).parts else None
        if not found:
            raise ValueError(f"No such static file: {relative[:80]}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": content_type})


PRINT_STYLESHEET = Path(__file__).resolve().parent.parent / "templates" / "reports" / "print.css"


def pdf_from_html(html: str) -> bytes:
    """A tagged A4 PDF (PDF/UA-1) of the report's HTML, with the print stylesheet."""
    fetcher = StaticFilesOnly(timeout=1, allow_redirects=False)
    stylesheet = CSS(filename=str(PRINT_STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")


def exception_report_html(
    report: ExceptionReport, items: list[ExceptionItem], *, filtered: bool = False
) -> str:
    """The printed report of `items`: all of them, or those a filter kept (`filtered`)."""
    context = {
        "report": report,
        "items": items,
        "sections": report.sections(items),
        "new_count": sum(item.change == Change.NEW for item in items),
        "filtered": filtered,
    }
    return render_to_string("reports/exception_report.html", context)


# Short names keep the pack's benchmark column narrow; the page above the table gives the key.
BENCHMARK_SHORT = {
    BenchmarkKind.OUTTURN: "Ours",
    BenchmarkKind.STATISTICAL_NEIGHBOURS: "SN",
    BenchmarkKind.SOUTH_EAST: "SE",
    BenchmarkKind.ENGLAND: "Eng",
}


def board_pack_html(report: ExceptionReport) -> str:
    """The whole pack: every exception, whatever the page's filters."""
    context = {
        "report": report,
        "items": report.items,
        "sections": report.sections(),
        "new_count": report.new_count,
        "pack": board_pack(report),
        "benchmark_kinds": [
            (kind, benchmark_heading(kind), BENCHMARK_SHORT[kind]) for kind in BENCHMARK_COLUMNS
        ],
    }
    return render_to_string("reports/board_pack.html", context)


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# The papers' layout, with the reference and the committee's part added.
MONITORING_COLUMNS = [
    "Reference", "Date", "Title", "Action proposed", "Action taken", "Progress status",
    "Committee's decision", "Source",
]  # fmt: skip


def action_taken_text(recommendation: Recommendation) -> str:
    """Every entry of the log, oldest first, each with its date, as the papers print them."""
    return "\n\n".join(
        f"{update.taken_on:%d/%m/%Y}: {update.action_taken}"
        for update in recommendation.progress().updates
    )


def monitoring_row(recommendation: Recommendation, committee: str) -> list:
    progress = recommendation.progress()
    return [
        recommendation.reference,
        recommendation.date,
        recommendation.title,
        recommendation.action_proposed,
        action_taken_text(recommendation),
        progress.label,
        progress.decision_note(committee),
        recommendation.source_label,
    ]


def monitoring_grid(report: MonitoringReport) -> list[list]:
    committee = report.meeting.committee
    return [MONITORING_COLUMNS] + [monitoring_row(r, committee) for r in report.recommendations]


def monitoring_spreadsheet(report: MonitoringReport, file_format: str) -> bytes:
    if file_format == "csv":
        return write_csv(monitoring_grid(report))
    about = [
        ["Report", report.title],
        ["Plan", report.plan.title],
        ["Meeting", str(report.meeting)],
        ["As at", report.as_at],
        ["Open recommendations", len(report.recommendations)],
        ["Awaiting a decision", report.awaiting_decision],
    ]
    return write_xlsx(
        {"Recommendations": monitoring_grid(report), "About": [["Field", "Value"], *about]}
    )


def monitoring_report_html(report: MonitoringReport) -> str:
    return render_to_string("reports/monitoring_report.html", {"report": report})
