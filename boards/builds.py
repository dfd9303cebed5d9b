"""Board papers made in the background. A PDF or Word paper is a PaperBuild row before it is a
file: a request finds or starts the build of its papers (`paper_build_request`), a Celery
worker makes it step by step (`paper_build_run`, every step's progress written to the row for
the page that waits), and the file is kept a day (`paper_builds_remove_old`).
docs/decisions.md, "Board papers made in the background".
"""

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from boards.filters import ItemFilter
from boards.models import (
    ATTEMPTS_ALLOWED,
    IN_PROGRESS,
    BuildState,
    PackKind,
    PaperBuild,
    PaperFormat,
    PublishedPack,
    WordTemplate,
    paper_build_upload_to,
)
from boards.pack import BoardPack, board_pack, board_pack_html, exception_report_html
from boards.papers import has_settled
from boards.report import ExceptionReport, build_exception_report
from boards.services import papers_publish
from boards.word import pack_docx, report_docx
from plans.documents import pdf_from_html
from plans.models import BoardMeeting, Plan

logger = logging.getLogger(__name__)

# A build's row and file are removed this long after it last changed.
BUILDS_KEPT = timedelta(days=1)
BUILDS_FOLDER = "paper-builds"


@dataclass
class Work:
    """What each step hands on to the next."""

    report: ExceptionReport | None = None
    items: list = field(default_factory=list)
    pack: BoardPack | None = None
    html: str = ""
    content: bytes = b""


def _read_papers(build: PaperBuild, work: Work) -> None:
    work.report = build_exception_report(build.plan, as_at=build.as_at, meeting=build.meeting)
    work.items = ItemFilter.from_query(build.query).apply(work.report.items)


def _pack_tables(build: PaperBuild, work: Work) -> None:
    work.pack = board_pack(work.report)


def _lay_out_pack(build: PaperBuild, work: Work) -> None:
    work.html = board_pack_html(work.report)  # the pack's tables, laid out with them


def _lay_out_report(build: PaperBuild, work: Work) -> None:
    filtered = ItemFilter.from_query(build.query).is_active
    work.html = exception_report_html(work.report, work.items, filtered=filtered)


def _make_pdf(build: PaperBuild, work: Work) -> None:
    work.content = pdf_from_html(work.html)


def _make_pack_docx(build: PaperBuild, work: Work) -> None:
    work.content = pack_docx(work.pack)


def _make_report_docx(build: PaperBuild, work: Work) -> None:
    work.content = report_docx(work.report, work.items)


# Every build's steps, in one place: what the page names while each runs, and what it does.
# The file is then stored (or published), which the page counts as the last step.
READ_PAPERS = ("reading the papers from history", _read_papers)
STEPS = {
    (PackKind.BOARD_PACK, PaperFormat.PDF): [
        READ_PAPERS,
        ("laying out the pack, with its tables and charts", _lay_out_pack),
        ("making the PDF", _make_pdf),
    ],
    (PackKind.BOARD_PACK, PaperFormat.DOCX): [
        READ_PAPERS,
        ("putting together the pack's tables", _pack_tables),
        ("making the Word document", _make_pack_docx),
    ],
    (PackKind.EXCEPTION_REPORT, PaperFormat.PDF): [
        READ_PAPERS,
        ("laying out the report", _lay_out_report),
        ("making the PDF", _make_pdf),
    ],
    (PackKind.EXCEPTION_REPORT, PaperFormat.DOCX): [
        READ_PAPERS,
        ("making the Word document", _make_report_docx),
    ],
}
STORING, PUBLISHING = "storing the file", "publishing it to the meeting"


def paper_build_key(
    *, plan: Plan, meeting: BoardMeeting | None, as_at: date, kind: str, file_format: str,
    query: str, publish: bool,
) -> str:  # fmt: skip
    """Which paper: the plan's, as at a date, for a meeting (its committee and date choose the
    meeting before it), which paper in which format, the filters (and, for Word, the council's
    template in use), and whether to publish it. Nothing in it depends on who asks: readers of
    the plan share the build."""
    about = f"{meeting.pk}:{meeting.committee}:{meeting.date.isoformat()}" if meeting else "-"
    filters = hashlib.sha256(query.encode()).hexdigest()[:16] if query else "all"
    if file_format == PaperFormat.DOCX:  # written in the council's Word template in use, if any
        template = WordTemplate.objects.filter(in_use=True).values_list("pk", flat=True).first()
        filters += f":template-{template or 'plain'}"
    purpose = "publish" if publish else "download"
    return f"{purpose}:{kind}:{file_format}:{plan.pk}:{as_at.isoformat()}:{about}:{filters}"


def _in_progress(key: str) -> PaperBuild | None:
    return PaperBuild.objects.filter(key=key, state__in=IN_PROGRESS).first()


def paper_build_request(
    *, plan: Plan, meeting: BoardMeeting | None, as_at: date, kind: str, file_format: str,
    by, query: str = "", publish: bool = False, now: datetime | None = None,
) -> tuple[PaperBuild, bool]:  # fmt: skip
    """The build a request for these papers waits for, and whether it is new (then queue
    `paper_build_task` for it). A build in progress is joined, unless lost (`is_lost`): then
    it is given up and another started. A finished build's file serves a later request only
    when the papers' moment had settled before it read them, and never to publish."""
    now = now or timezone.now()
    key = paper_build_key(
        plan=plan, meeting=meeting, as_at=as_at, kind=kind, file_format=file_format,
        query=query, publish=publish,
    )  # fmt: skip
    current = _in_progress(key)
    if current is not None and not current.is_lost(now):
        return current, False
    if current is not None:
        PaperBuild.objects.filter(
            pk=current.pk, state__in=IN_PROGRESS, updated_at=current.updated_at
        ).update(state=BuildState.FAILED, worker_pid=None, updated_at=now, error=LOST)
    if not publish and has_settled(as_at):
        made = (
            PaperBuild.objects.filter(key=key, state=BuildState.READY, settled=True)
            .exclude(file="")
            .order_by("-updated_at")
            .first()
        )
        if made is not None:
            return made, False
    try:
        with transaction.atomic():
            build = PaperBuild.objects.create(
                key=key, plan=plan, meeting=meeting, as_at=as_at, kind=kind,
                file_format=file_format, query=query, publish=publish, asked_by=by,
                steps=len(STEPS[kind, file_format]) + 1, created_at=now, updated_at=now,
            )  # fmt: skip
    except IntegrityError:
        # Another request started the same papers between the look and the insert (the
        # constraint allows one in progress per key): wait for that one instead.
        joined = _in_progress(key)
        if joined is None:
            raise
        return joined, False
    return build, True


LOST = (
    "No worker made progress on it for longer than a paper may take to make: its worker "
    "stopped. Try again."
)


TOO_MANY_ATTEMPTS = (
    f"Its worker stopped {ATTEMPTS_ALLOWED} times while making it, perhaps for want of memory. "
    "Try again later, or ask the administrator to look at the worker's log."
)


class BuildTakenOver(Exception):
    """Another attempt has the build, or it was given up as lost: this attempt stops."""


def paper_build_run(build_id: int) -> str:
    """Claim the build, make its paper step by step and store it (or publish it); returns the
    state it reached ("" when there was nothing to do). A message delivered again (its worker
    was killed) claims the build again and starts over; the attempt that claimed it last is the
    only one that can finish it, so a paper is stored, and published, once."""
    build = _claim(build_id)
    if build is None:
        return ""
    steps = STEPS[build.kind, build.file_format]
    work = Work()
    try:
        for number, (name, make) in enumerate(steps, start=1):
            _progress(build, number, name)
            make(build, work)
        _progress(build, len(steps) + 1, PUBLISHING if build.publish else STORING)
        if build.publish:
            _publish(build, work.content)
        else:
            _store(build, work.content)
    except BuildTakenOver:
        return ""
    except Exception as error:
        logger.exception("Paper build %s failed while %s", build.pk, build.step_name)
        try:
            _finish(build, state=BuildState.FAILED, error=_what_went_wrong(build, error))
        except BuildTakenOver:
            return ""
        return BuildState.FAILED
    return BuildState.READY


def _claim(build_id: int) -> PaperBuild | None:
    build = (
        PaperBuild.objects.filter(pk=build_id, state__in=IN_PROGRESS)
        .select_related("plan", "meeting", "asked_by")
        .first()
    )
    if build is None:  # made, failed, given up as lost, or removed: nothing to do
        return None
    if build.attempts >= ATTEMPTS_ALLOWED:  # its worker died each time: do not try forever
        PaperBuild.objects.filter(
            pk=build.pk, state__in=IN_PROGRESS, attempts=build.attempts
        ).update(state=BuildState.FAILED, worker_pid=None, updated_at=timezone.now(),
                 error=TOO_MANY_ATTEMPTS)  # fmt: skip
        return None
    build.attempts += 1
    build.settled = has_settled(build.as_at)  # before any of history is read
    build.updated_at = timezone.now()
    # Conditional on the attempts seen: of two claims at once, one wins.
    claimed = PaperBuild.objects.filter(
        pk=build.pk, state__in=IN_PROGRESS, attempts=build.attempts - 1
    ).update(
        state=BuildState.BUILDING, attempts=build.attempts, settled=build.settled, step=0,
        step_name="", worker_pid=os.getpid(), updated_at=build.updated_at,
    )  # fmt: skip
    return build if claimed else None


def _ours(build: PaperBuild):
    """The build, while this attempt has it."""
    attempt = {"state": BuildState.BUILDING, "attempts": build.attempts}
    return PaperBuild.objects.filter(pk=build.pk, **attempt)


def _progress(build: PaperBuild, number: int, name: str) -> None:
    """Show the step begun on the build's page (one short write), or stop if taken over."""
    if not _ours(build).update(
        step=number, step_name=name, worker_pid=os.getpid(), updated_at=timezone.now()
    ):
        raise BuildTakenOver
    build.step, build.step_name = number, name
    if settings.PAPER_BUILD_TEST_PAUSE:
        # Tests only: so that a worker can be killed mid-build (tests/boards/integration).
        time.sleep(settings.PAPER_BUILD_TEST_PAUSE)


def _finish(build: PaperBuild, **fields) -> None:
    if not _ours(build).update(worker_pid=None, updated_at=timezone.now(), **fields):
        raise BuildTakenOver


def _store(build: PaperBuild, content: bytes) -> None:
    name = default_storage.save(paper_build_upload_to(build, ""), ContentFile(content))
    try:
        with transaction.atomic():
            _finish(build, state=BuildState.READY, file=name, error="")
    except BaseException:
        default_storage.delete(name)  # this attempt's file, which no row names
        raise


def _publish(build: PaperBuild, content: bytes) -> PublishedPack:
    return papers_publish(
        meeting=build.meeting, kind=build.kind, as_at=build.as_at, content=content,
        by=build.asked_by,
        then=lambda pack: _finish(build, state=BuildState.READY, published=pack, error=""),
    )  # fmt: skip


def _what_went_wrong(build: PaperBuild, error: Exception) -> str:
    where = f"Step {build.step} of {build.steps} ({build.step_name})"
    if isinstance(error, SoftTimeLimitExceeded):
        minutes = settings.CELERY_TASK_SOFT_TIME_LIMIT / 60
        return f"{where} took longer than {minutes:g} minutes, and was stopped. Try again."
    return (
        f"{where} stopped with an error. Try again; if it fails again, tell your "
        f"administrator (the worker's log has the details of build {build.pk})."
    )


def build_page_url(build: PaperBuild) -> str:
    return reverse("boards:paper_build", kwargs={"plan": build.plan.reference, "pk": build.pk})


def again_url(build: PaperBuild) -> str | None:
    """The address that asks for the same papers again (a download's; publishing is a POST)."""
    if build.publish:
        return None
    name = "board_pack" if build.kind == PackKind.BOARD_PACK else "exception_report"
    url = reverse(
        f"boards:{name}_download",
        kwargs={"plan": build.plan.reference, "file_format": build.file_format},
    )
    query = QueryDict(build.query, mutable=True)
    query["meeting"] = str(build.meeting_id or "")
    query["as_at"] = f"{build.as_at:%d/%m/%Y}"
    return f"{url}?{query.urlencode()}"


def forget_paper_builds() -> None:
    """For code that rewrites history's dates (a data loader): papers made from the history as
    it was would no longer be the papers of that moment."""
    for build in PaperBuild.objects.exclude(file=""):
        build.file.delete(save=False)
    PaperBuild.objects.all().delete()


def paper_builds_remove_old(*, now: datetime) -> int:
    """Remove builds that have not changed for a day, with their files, and any file in the
    builds' folder that no build names a day after it was written (an attempt killed while
    storing it); returns how many builds."""
    removed = 0
    for build in PaperBuild.objects.filter(updated_at__lt=now - BUILDS_KEPT).iterator():
        if build.file:
            build.file.delete(save=False)
        build.delete()
        removed += 1
    named = set(PaperBuild.objects.exclude(file="").values_list("file", flat=True))
    try:
        _, files = default_storage.listdir(BUILDS_FOLDER)
    except FileNotFoundError:
        return removed
    for filename in files:
        name = f"{BUILDS_FOLDER}/{filename}"
        if name not in named and default_storage.get_modified_time(name) < now - BUILDS_KEPT:
            default_storage.delete(name)
    return removed
