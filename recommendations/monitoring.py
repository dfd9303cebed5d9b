"""A committee's monitoring report of its open recommendations for a meeting, as the papers
stood when they were due: as rows, a spreadsheet and HTML, in the papers' layout."""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from plans.models import BoardMeeting, Plan
from plans.workbook import write_csv, write_xlsx
from recommendations.models import Recommendation
from recommendations.selectors import recommendations_as_at


@dataclass
class MonitoringReport:
    """A committee's monitoring report for one of its meetings: the open recommendations it
    tracks, as the papers stood when they were due."""

    plan: Plan
    meeting: BoardMeeting
    as_at: date
    recommendations: list[Recommendation]

    @property
    def title(self) -> str:
        return f"{self.meeting.committee} monitoring – {self.meeting.date.day} " + (
            f"{self.meeting.date:%B %Y}"
        )

    @property
    def awaiting_decision(self) -> int:
        return sum(r.progress().awaiting_decision for r in self.recommendations)


def monitoring_report(plan: Plan, meeting: BoardMeeting, today: date) -> MonitoringReport:
    as_at = meeting.as_at(today)
    tracked = [
        recommendation
        for recommendation in recommendations_as_at(plan, as_at)
        if recommendation.committee == meeting.committee and recommendation.progress().is_open
    ]
    tracked.sort(key=lambda r: (r.date or date.max, r.number))
    return MonitoringReport(plan=plan, meeting=meeting, as_at=as_at, recommendations=tracked)


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
    return render_to_string("recommendations/print/monitoring_report.html", {"report": report})
