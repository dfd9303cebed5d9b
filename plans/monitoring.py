"""A committee's monitoring report of its open recommendations, as rows, a spreadsheet and HTML
in the papers' layout."""

from django.template.loader import render_to_string

from plans.models import Recommendation
from plans.recommendations import MonitoringReport
from plans.workbook import write_csv, write_xlsx

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
