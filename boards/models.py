"""What a meeting receives: the papers published to it, each priority area's judged risk
rating for it, and the record of its papers' exceptions that later reports compare with; and
the papers being made in the background (PaperBuild).

The tables kept the names they had in the plans app (db_table): the move wrote no SQL."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import BoardMeeting, FinalRecord, Plan, PriorityArea
from plans.rag import Rag


class RiskRating(models.TextChoices):
    RED = "red", "Red – high risk"
    AMBER = "amber", "Amber – medium risk"
    GREEN = "green", "Green – low risk"


class AreaAssessment(models.Model):
    """A priority area lead's judged risk rating for one meeting, beside the derived RAG."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="assessments")
    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="assessments"
    )
    risk_rating = models.CharField(max_length=10, choices=RiskRating.choices)
    analysis = models.TextField()
    next_steps = models.TextField("next steps")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(table_name="plans_historicalareaassessment")

    class Meta:
        db_table = "plans_areaassessment"  # the table it had in the plans app, kept
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "priority_area"], name="one_assessment_per_area_a_meeting"
            )
        ]

    def __str__(self):
        rating = self.get_risk_rating_display()
        return f"{self.priority_area.reference} for {self.meeting}: {rating}"

    @property
    def rag(self) -> Rag:
        return Rag(self.risk_rating)


def published_pack_upload_to(pack, filename: str) -> str:
    return f"board-packs/{uuid.uuid4().hex}.pdf"


class PackKind(models.TextChoices):
    EXCEPTION_REPORT = "exception_report", "Exception report"
    BOARD_PACK = "board_pack", "Board pack"


class PublishedPack(FinalRecord):
    """A PDF as issued to a meeting: kept with its hash, never changed (re-issuing adds one)."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.PROTECT, related_name="published")
    kind = models.CharField(max_length=20, choices=PackKind.choices)
    as_at = models.DateField()
    file = models.FileField(upload_to=published_pack_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    instead = "publish a new one"

    class Meta:
        db_table = "plans_publishedpack"
        ordering = ["meeting", "published_at"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.meeting} ({self.published_at:%d/%m/%Y %H:%M})"


class RecordedPapers(models.Model):
    """The exceptions in a plan's papers as at a moment that has passed: the papers as a meeting
    had them, recorded the first time they are built once their moment has settled
    (boards.papers.papers_entries) and read by every later report that compares with
    them, instead of being rebuilt from two years of history on every request.

    Never changed once written. `key` says whose papers (`papers_key`: plan, as-at date,
    meeting). Deleting rows loses nothing a report needs: they are built again from history."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255, unique=True)
    entries = models.JSONField()
    # Every item's rating in those papers ({"action:12": "red", ...}), exceptions or not: what
    # later reports show as its rating at that board. Added once to papers recorded before it.
    ratings = models.JSONField(null=True, blank=True)
    # How many actions were Red, Amber, Green and Complete in those papers, for the plan and
    # each priority area ({"plan": {"red": 3, ...}, "12": {...}}): the direction of travel.
    # Added once to papers recorded before it.
    tallies = models.JSONField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "plans_recordedpapers"

    def __str__(self):
        return self.key


class DecisionState(models.TextChoices):
    OPEN = "open", "Awaiting the board's decision"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DecisionRequest(models.Model):
    """A decision asked of the board on an exception, set out as a PRINCE2 exception report
    does (the problem, its consequence, the options, a recommendation), by the action's owner or
    the priority area's lead; the board's decision is recorded on it at the meeting. Its history
    keeps what the papers said as at any date."""

    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.PROTECT, related_name="decision_requests"
    )
    priority_area = models.ForeignKey(PriorityArea, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(
        "plans.Action", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # none when the request is about the area as a whole
    title = models.CharField("decision needed", max_length=200)
    problem = models.TextField()
    consequence = models.TextField()
    options = models.TextField()
    recommendation = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=DecisionState.choices, default="open")
    decision = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # who recorded the board's decision
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "asked_at", "pk"]

    def __str__(self):
        return f"{self.title} ({self.meeting})"

    @property
    def subject(self) -> str:
        """What the decision is about, in words."""
        if self.action_id:
            return f"Action {self.action.reference}"
        return f"Priority area {self.priority_area.reference}"


def paper_build_upload_to(build, filename: str) -> str:
    return f"paper-builds/{uuid.uuid4().hex}.{build.file_format}"


class PaperFormat(models.TextChoices):
    """The papers made in the background (WeasyPrint and python-docx take seconds)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"


class BuildState(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


IN_PROGRESS = [BuildState.QUEUED, BuildState.BUILDING]
# As long as Redis keeps a message nobody acknowledged before giving it to another worker.
QUEUED_LOST_AFTER = timedelta(hours=1)
# A paper whose worker died this many times (e.g. out of memory) is not tried again.
ATTEMPTS_ALLOWED = 3


class PaperBuild(models.Model):
    """A PDF or Word paper being made by a Celery worker (boards.builds), or made: its progress
    for the page that waits for it, then its file. The row, not a result backend, is what the
    page reads; `key` says which papers, so that a second request joins the build in progress.
    Removed with its file a day after it last changed (`paper_builds_remove_old`)."""

    key = models.CharField(max_length=255)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        BoardMeeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    as_at = models.DateField()
    kind = models.CharField(max_length=20, choices=PackKind.choices)
    file_format = models.CharField(max_length=10, choices=PaperFormat.choices)
    # The report's filters as a query string (ItemFilter.query); empty for everything.
    query = models.TextField(blank=True)  # any length: the filters are what the address says
    publish = models.BooleanField(default=False)  # stored as a PublishedPack when made
    state = models.CharField(max_length=10, choices=BuildState.choices, default=BuildState.QUEUED)
    step = models.PositiveSmallIntegerField(default=0)
    steps = models.PositiveSmallIntegerField()
    step_name = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The process making it (a worker's pool child), while it is being made.
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    # Whether the papers' moment had settled when the last attempt began to read them: then
    # history can no longer change what they say, and the file may serve a later request.
    settled = models.BooleanField(default=False)
    file = models.FileField(upload_to=paper_build_upload_to, max_length=200, blank=True)
    published = models.OneToOneField(
        PublishedPack, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)  # what went wrong, in words for the page

    class Meta:
        constraints = [
            # One build at a time for the same papers: a second request joins it.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(state__in=IN_PROGRESS),
                name="one_paper_build_in_progress_per_key",
            )
        ]
        indexes = [models.Index(fields=["key", "state"], name="paper_build_key_state")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_file_format_display()}), {self.key}"

    def is_lost(self, now: datetime) -> bool:
        """Being made, but with no progress for longer than any task may run (its worker is
        gone); or waiting longer than a queue is ever behind (its message is gone). The next
        request for the papers starts again."""
        if self.state == BuildState.BUILDING:
            limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        elif self.state == BuildState.QUEUED:
            # A busy board morning may keep a paper waiting for minutes: that is not lost.
            limit = QUEUED_LOST_AFTER
        else:
            return False
        return self.updated_at < now - limit

    @property
    def download_name(self) -> str:
        name = "board-pack" if self.kind == PackKind.BOARD_PACK else "exception-report"
        return f"{self.plan.reference}-{name}-{self.as_at:%Y-%m-%d}.{self.file_format}"


def word_template_upload_to(template, filename: str) -> str:
    return f"word-templates/{uuid.uuid4().hex}.docx"


class WordTemplate(models.Model):
    """A council's own Word template (letterhead, styles) that the Word papers are written
    into (boards.word). Every upload is kept; the one `in_use`, if any, is used."""

    file = models.FileField(upload_to=word_template_upload_to, max_length=200)
    name = models.CharField(max_length=255)  # as uploaded
    in_use = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"], condition=models.Q(in_use=True), name="one_word_template_in_use"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.uploaded_at:%d/%m/%Y})"
