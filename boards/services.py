"""Writes: a meeting saved, a paper published to it, an area's judged risk rating for it, and
the council's Word template."""

from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from boards.models import (
    AreaAssessment,
    DecisionRequest,
    DecisionState,
    PublishedPack,
    WordTemplate,
)
from plans.documents import sha256_hex
from plans.models import BoardMeeting, PriorityArea


def meeting_save(meeting: BoardMeeting, *, by) -> BoardMeeting:
    """Save a new or changed meeting; its history says who."""
    meeting._history_user = by
    meeting.save()
    return meeting


def papers_publish(
    *, meeting: BoardMeeting, kind: str, as_at: date, content: bytes, by, then=None
) -> PublishedPack:
    """Store the PDF as issued, with its hash, so the meeting page lists what the board had.
    The file is stored first, and removed again if its record cannot be saved. `then(pack)`
    runs in the record's transaction: the build that made the PDF marks itself done there, so
    that the pack is recorded with it, or not at all (boards.builds)."""
    pack = PublishedPack(
        meeting=meeting, kind=kind, as_at=as_at, sha256=sha256_hex(content), size=len(content),
        published_by=by,
    )  # fmt: skip
    pack.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            pack.save()
            if then is not None:
                then(pack)
    except BaseException:
        pack.file.storage.delete(pack.file.name)
        raise
    return pack


def area_assessment_record(
    assessment: AreaAssessment, *, meeting: BoardMeeting, area: PriorityArea, by
) -> AreaAssessment:
    """Record (or change) an area's judged risk rating for a meeting: who and when, in history."""
    assessment.meeting, assessment.priority_area = meeting, area
    assessment.recorded_by, assessment.recorded_at = by, timezone.now()
    assessment._history_user = by
    assessment.save()
    return assessment


def decision_request_ask(
    asked: DecisionRequest, *, area: PriorityArea, action, by, now: datetime | None = None
) -> DecisionRequest:
    """Put a decision before the board for a meeting, on an action or a whole priority area."""
    asked.priority_area, asked.action = area, action
    asked.asked_by, asked.asked_at = by, now or timezone.now()
    asked.state = DecisionState.OPEN
    asked._history_user, asked._history_date = by, asked.asked_at
    asked.save()
    return asked


def decision_record(
    asked: DecisionRequest, *, outcome: str, decision: str, by, now: datetime | None = None
) -> DecisionRequest:
    """Record what the board decided (or that the request was withdrawn), with who and when."""
    asked.state, asked.decision = outcome, decision.strip()
    asked.decided_by, asked.decided_at = by, now or timezone.now()
    asked._history_user, asked._history_date = by, asked.decided_at
    asked.save()
    return asked


def word_template_use(*, content: bytes, name: str, by) -> WordTemplate:
    """Use this Word template for the Word papers from now on; earlier ones are kept."""
    template = WordTemplate(name=name[:255], uploaded_by=by)
    template.file.save("template.docx", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            WordTemplate.objects.filter(in_use=True).update(in_use=False)
            template.save()
    except BaseException:
        template.file.storage.delete(template.file.name)
        raise
    return template


def word_template_stop() -> None:
    """Write the Word papers in the tracker's plain layout again (the templates are kept)."""
    WordTemplate.objects.filter(in_use=True).update(in_use=False)
