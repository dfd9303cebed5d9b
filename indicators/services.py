"""Writes: a checked upload held for its uploader to confirm, the confirmed load (only what the
check showed), and the performance manager's moves in the board summary."""

from datetime import date

from django.db import IntegrityError, transaction

from indicators.importers import load_indicator_file
from indicators.models import IndicatorSummaryChoice, PendingIndicatorUpload, SummaryList
from indicators.selectors import proposed_list
from plans.bulk_writer import ImportSummary
from plans.workbook import WorkbookError
from plans.workbook_checks import ImportRejected


class FiguresChangedSinceCheck(Exception):
    """Someone loaded figures between the check and the confirmation: check the file again."""


def pending_upload_hold(*, filename: str, content: bytes, by, expected: str):
    """Hold a checked file for its uploader to confirm (one at a time per person)."""
    PendingIndicatorUpload.objects.filter(uploaded_by=by).delete()
    return PendingIndicatorUpload.objects.create(
        uploaded_by=by, filename=filename, content=content, expected=expected
    )


def pending_upload_load(pending: PendingIndicatorUpload, *, by) -> ImportSummary:
    """Load a held file, all or nothing, if it still does what its check said; the held file is
    gone either way. Raises FiguresChangedSinceCheck when it would not."""
    load = {"filename": pending.filename, "content": bytes(pending.content), "by": by}
    try:
        with transaction.atomic():
            if load_indicator_file(**load, dry_run=True).fingerprint() != pending.expected:
                raise FiguresChangedSinceCheck
            return load_indicator_file(**load)
    except (WorkbookError, ImportRejected, IntegrityError) as error:
        raise FiguresChangedSinceCheck from error
    finally:
        pending.delete()


def summary_choices_save(*, rows, month: date, choices: dict[str, str], by) -> None:
    """Keep only the performance manager's real moves (by indicator reference): an indicator
    left where its figures propose follows its data from month to month."""
    with transaction.atomic():
        for row in rows:
            choice = choices.get(row.indicator.reference)
            if choice not in SummaryList.values:
                continue
            saved = IndicatorSummaryChoice.objects.filter(month=month, indicator=row.indicator)
            if choice == proposed_list(row):
                for old in saved:
                    old._history_user = by
                    old.delete()
                continue
            moved = saved.first() or IndicatorSummaryChoice(month=month, indicator=row.indicator)
            if moved.summary_list != choice:
                moved.summary_list, moved.chosen_by = choice, by
                moved._history_user = by
                moved.save()
