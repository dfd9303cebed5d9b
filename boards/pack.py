"""The exception report and board pack as files: spreadsheet rows, the pack's tables, and the
HTML a PDF is made of."""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from boards.exceptions import Change, ExceptionItem, indicator_rows_at
from boards.reading import Part, reading_order
from boards.report import AreaSection, ExceptionReport
from boards.travel import ChangesSinceLastBoard, Travel, changes_since_last_board, report_travel
from indicators.models import BenchmarkKind, SummaryList
from indicators.quality import flag_rows, legend
from indicators.selectors import (
    BENCHMARK_COLUMNS,
    TRENDS,
    benchmark_heading,
    board_summary,
    latest_month,
)
from plans.rag import Rag
from plans.workbook import write_csv, write_xlsx
from recommendations.models import Recommendation
from recommendations.monitoring import MONITORING_COLUMNS, monitoring_row
from recommendations.selectors import recommendations_as_at

COLUMNS = [
    "Section",
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
    "Ratings at earlier boards",
]


def item_row(part: Part, item: ExceptionItem) -> list:
    """One item as a spreadsheet row: dates stay dates, RAG is written as a word."""
    return [
        part.label,
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
        "; ".join(
            f"{day.day} {day:%B %Y}: {rating.label if rating else 'not in the plan then'}"
            for day, rating in item.board_history
        ),
    ]


def report_grid(report: ExceptionReport, items: list[ExceptionItem]) -> list[list]:
    """The exceptions in the report's reading order, each with its part and its reasons."""
    rows = reading_order(report, items).items()
    return [COLUMNS, *[item_row(part, item) for part, item in rows]]


DECISION_COLUMNS = [
    "Decision needed", "About", "Asked by", "The problem", "Its consequence", "The options",
    "Recommendation", "State", "Decision",
]  # fmt: skip


def decisions_grid(report: ExceptionReport) -> list[list]:
    return [DECISION_COLUMNS] + [
        [
            paper.asked.title,
            paper.subject,
            paper.asker,
            paper.asked.problem,
            paper.asked.consequence,
            paper.asked.options,
            paper.asked.recommendation,
            paper.asked.get_state_display(),
            paper.asked.decision,
        ]  # fmt: skip
        for paper in report.decisions
    ]


def revisions_grid(report: ExceptionReport) -> list[list]:
    """The figures restated since the previous meeting's papers: then, and now."""
    then = f"In the {report.previous.date:%d/%m/%Y} papers" if report.previous else "Before"
    return [["Reference", "Indicator", "Month", then, "Now"]] + [
        [r.indicator.reference, r.indicator.title, r.month, r.before, r.after]
        for r in report.revisions
    ]


def report_spreadsheet(report: ExceptionReport, items: list[ExceptionItem], file_format: str):
    """The exception rows as CSV, or as XLSX with a sheet saying what the report is."""
    if file_format == "csv":
        return write_csv(report_grid(report, items))
    about = [
        ["Report", "Exception report"],
        ["Plan", report.plan.title],
        ["As at", report.as_at],
        ["Meeting", str(report.meeting) if report.meeting else ""],
        ["Previous meeting", str(report.previous) if report.previous else ""],
        ["Exceptions", len(items)],
    ]
    return write_xlsx({
        "Exceptions": report_grid(report, items),
        "Decisions asked": decisions_grid(report),
        "Revised figures": revisions_grid(report),
        "About": [["Field", "Value"], *about],
    })  # fmt: skip


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
    travel: list[Travel]  # the whole plan's, then each priority area's
    changes: ChangesSinceLastBoard

    @property
    def any_assessment(self) -> bool:
        return any(row.section.assessment for row in self.overview)


def board_pack(report: ExceptionReport) -> BoardPack:
    """The rest of the pack, from the same moment's history as the report."""
    rows = flag_rows(
        indicator_rows_at(report.indicators),
        today=report.as_at, before=report.snapshot.moment,
    )  # fmt: skip
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
        travel=report_travel(report),
        changes=changes_since_last_board(report),
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
        "Decisions asked": decisions_grid(pack.report),
        "Exceptions": report_grid(pack.report, pack.report.items),
        "Indicators": indicators,
        "Revised figures": revisions_grid(pack.report),
        "Recommendations": recommendations,
    })  # fmt: skip


def exception_report_html(
    report: ExceptionReport, items: list[ExceptionItem], *, filtered: bool = False
) -> str:
    """The printed report of `items`: all of them, or those a filter kept (`filtered`)."""
    context = {
        "report": report,
        "items": items,
        "order": reading_order(report, items),
        "new_count": sum(item.change == Change.NEW for item in items),
        "filtered": filtered,
    }
    return render_to_string("boards/print/exception_report.html", context)


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
        "order": reading_order(report, report.items),
        "decisions_apart": True,  # they lead the pack, before the RAG overview
        "new_count": report.new_count,
        "pack": board_pack(report),
        "benchmark_kinds": [
            (kind, benchmark_heading(kind), BENCHMARK_SHORT[kind]) for kind in BENCHMARK_COLUMNS
        ],
        "flag_legend": legend(),
    }
    return render_to_string("boards/print/board_pack.html", context)
