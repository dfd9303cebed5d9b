import argparse
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from boards.pack import board_pack, board_pack_html, pack_spreadsheet, report_spreadsheet
from boards.report import build_exception_report
from boards.word import pack_docx
from plans.documents import pdf_from_html
from plans.models import BoardMeeting, Plan


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date. Use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Write the board pack as the report page downloads it: PDF, DOCX (Word), XLSX (its "
        "tables) or CSV "
        "(the exception report's rows), for a meeting or as at a date."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--meeting", type=int, help="the meeting's id (see the meeting page)")
        which.add_argument("--as-at", type=_day, help="a date, YYYY-MM-DD, with no meeting")
        parser.add_argument("--plan", help="the plan's reference (needed with --as-at when there "
                            "are several plans)")  # fmt: skip
        parser.add_argument("--format", choices=["pdf", "docx", "xlsx", "csv"], default="pdf")
        parser.add_argument("--out", type=Path, required=True, help="the file to write")

    def handle(self, *args, meeting=None, as_at=None, plan=None, format="pdf", out, **options):
        today = timezone.localdate()
        if meeting is not None:
            found = BoardMeeting.objects.select_related("plan").filter(pk=meeting).first()
            if found is None:
                raise CommandError(f"No meeting has id {meeting}. The meeting page's address "
                                   "ends with its id.")  # fmt: skip
            report = build_exception_report(found.plan, as_at=found.as_at(today), meeting=found)
        else:
            if as_at > today:
                raise CommandError("--as-at is in the future. Choose today or an earlier date.")
            report = build_exception_report(self._plan(plan), as_at=as_at)
        if format == "pdf":
            content = pdf_from_html(board_pack_html(report))
        elif format == "docx":
            content = pack_docx(board_pack(report))
        elif format == "xlsx":
            content = pack_spreadsheet(board_pack(report))
        else:
            content = report_spreadsheet(report, report.items, "csv")
        out.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out}: the board pack as at {report.as_at:%d/%m/%Y}, "
                f"{len(report.items)} exceptions."
            )  # fmt: skip
        )

    def _plan(self, reference: str | None) -> Plan:
        plans = Plan.objects.filter(reference=reference) if reference else Plan.objects.all()
        found = list(plans[:2])
        if not found:
            raise CommandError("No such plan. Import one first, or check --plan.")
        if len(found) > 1:
            references = ", ".join(Plan.objects.values_list("reference", flat=True))
            raise CommandError(f"There are several plans: choose one with --plan ({references}).")
        return found[0]
