"""Writes: a checked upload held for its uploader to confirm, the confirmed load (only what the
check showed), the performance manager's moves in the board summary, and which of the council's
indicators a plan shows."""

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from indicators.importers import load_indicator_file
from indicators.models import (
    Indicator,
    IndicatorSummaryChoice,
    PendingIndicatorUpload,
    SummaryList,
)
from indicators.selectors import proposed_list
from plans.bulk_writer import BulkWriter, ImportSummary, WriteRow
from plans.documents import sha256_hex
from plans.spreadsheets import WorkbookError
from plans.workbook_checks import ImportRejected


class FiguresChangedSinceCheck(Exception):
    """Someone loaded figures between the check and the confirmation: check the file again."""


# A checked upload nobody confirmed within this long is abandoned, and removed.
PENDING_UPLOAD_KEPT = timedelta(days=1)


def pending_upload_hold(*, filename: str, content: bytes, by, plan, expected: str):
    """Hold a checked file, in storage with its checksum, for its uploader to confirm (one at a
    time per person: a new upload replaces the last)."""
    for earlier in PendingIndicatorUpload.objects.filter(uploaded_by=by):
        pending_upload_discard(earlier)
    pending = PendingIndicatorUpload(
        uploaded_by=by, plan=plan, filename=filename, expected=expected, sha256=sha256_hex(content),
        size=len(content),
    )  # fmt: skip
    pending.file.save(filename, ContentFile(content), save=False)
    try:
        pending.save()
    except BaseException:
        pending.file.delete(save=False)
        raise
    return pending


def pending_upload_load(pending: PendingIndicatorUpload, *, by) -> ImportSummary:
    """Load a held file, all or nothing, if it is the file checked and still does what its check
    said; the held file is gone either way. Raises FiguresChangedSinceCheck when it would not."""
    try:
        with pending.file.open("rb") as held:
            content = held.read()
        if sha256_hex(content) != pending.sha256:
            raise FiguresChangedSinceCheck  # the stored file is not the one that was checked
        load = {"filename": pending.filename, "content": content, "by": by, "plan": pending.plan}
        with transaction.atomic():
            if load_indicator_file(**load, dry_run=True).fingerprint() != pending.expected:
                raise FiguresChangedSinceCheck
            return load_indicator_file(**load)
    except (OSError, WorkbookError, ImportRejected, IntegrityError) as error:
        raise FiguresChangedSinceCheck from error
    finally:
        pending_upload_discard(pending)


def pending_upload_discard(pending: PendingIndicatorUpload) -> None:
    """Remove a held upload and its file."""
    pending.file.delete(save=False)
    pending.delete()


def abandoned_uploads_remove(*, now: datetime) -> int:
    """Remove the uploads held longer than PENDING_UPLOAD_KEPT; returns how many."""
    abandoned = PendingIndicatorUpload.objects.filter(created_at__lt=now - PENDING_UPLOAD_KEPT)
    count = 0
    for pending in abandoned:
        pending_upload_discard(pending)
        count += 1
    return count


def summary_choices_save(*, plan, rows, month: date, choices: dict[str, str], by) -> None:
    """Keep only the performance manager's real moves in the plan's summary (by indicator
    reference): an indicator left where its figures propose follows its data month to month."""
    with transaction.atomic():
        for row in rows:
            choice = choices.get(row.indicator.reference)
            if choice not in SummaryList.values:
                continue
            saved = IndicatorSummaryChoice.objects.filter(
                plan=plan, month=month, indicator=row.indicator
            )
            if choice == proposed_list(row):
                for old in saved:
                    old._history_user = by
                    old.delete()
                continue
            moved = saved.first() or IndicatorSummaryChoice(
                plan=plan, month=month, indicator=row.indicator
            )
            if moved.summary_list != choice:
                moved.summary_list, moved.chosen_by = choice, by
                moved._history_user = by
                moved.save()


def plan_indicators_set(*, plan, chosen: set[int], by) -> tuple[list, list]:
    """Make the plan show exactly the `chosen` indicators of the council's library, all or
    nothing; an indicator taken out loses its links to the plan's areas too. Written in bulk
    with one history row per indicator changed (plans.bulk_writer), a few queries however many
    change. Returns (added, removed)."""
    added, removed, rows = [], [], []
    library = Indicator.objects.prefetch_related("plans", "priority_areas")
    for indicator in library:
        plans = list(indicator.plans.all())
        shown = plan in plans
        if shown == (indicator.pk in chosen):
            continue
        areas = list(indicator.priority_areas.all())
        if shown:
            plans.remove(plan)
            areas = [area for area in areas if area.plan_id != plan.pk]
            removed.append(indicator)
        else:
            plans.append(plan)
            added.append(indicator)
        rows.append(WriteRow(indicator, {}, many={"plans": plans, "priority_areas": areas}))
    _links_write(plan, rows, by)
    return added, removed


def plan_indicators_link(*, plan, areas_of: dict, by) -> None:
    """Add each indicator of `areas_of` (indicator -> its areas in `plan`) to the plan, linked to
    those areas, keeping every link it has: the rollover's and the demo's. The indicators are
    to come with their plans and areas prefetched."""
    rows = [
        WriteRow(
            indicator,
            {},
            many={
                "plans": [*indicator.plans.all(), plan],
                "priority_areas": [*indicator.priority_areas.all(), *areas],
            },
        )  # fmt: skip
        for indicator, areas in areas_of.items()
    ]
    _links_write(plan, rows, by)


def _links_write(plan, rows: list[WriteRow], by) -> None:
    """The links in bulk, only where they differ, one history row per indicator changed."""
    with transaction.atomic():
        BulkWriter(ImportSummary(plan=plan), by).save("indicators", Indicator, rows)
