"""The recommendations register: inspection findings and meetings' recommendations, what has
been done about each (an append-only log), and the tracking committee's decisions.

The tables kept the names they had in the plans app (db_table): the move wrote no SQL."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from plans.models import (
    ActionStatus,
    BoardMeeting,
    Committee,
    FinalRecord,
    InspectionKind,
    Objective,
    Plan,
    Post,
)
from plans.moved_models import KeptHistoricalRecords


class RecommendationSource(models.TextChoices):
    INSPECTION = "inspection", "Inspection"
    MEETING = "meeting", "Board or panel meeting"


class RecommendationStatus(models.TextChoices):
    """The progress status reported to the panel; closing is the panel's (PanelDecision)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    PARTIALLY_COMPLETE = "partially_complete", "Partially complete"
    COMPLETE_PROPOSED = "complete_proposed", "Complete (proposed)"
    # A meeting's own recommendation the council will not carry out: it stays on the list
    # until the rejection has been reported to a meeting.
    REJECTED = "rejected", "Rejected"


class PanelDecisionKind(models.TextChoices):
    ACCEPTED = "accepted", "Accepted as complete"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    REJECTION_REPORTED = "rejection_reported", "Rejection reported"


# What each decision may answer, and which decisions take a recommendation off the live list.
DECISIONS_FOR_STATUS = {
    RecommendationStatus.COMPLETE_PROPOSED: [
        PanelDecisionKind.ACCEPTED,
        PanelDecisionKind.NOT_ACCEPTED,
    ],
    RecommendationStatus.REJECTED: [
        PanelDecisionKind.REJECTION_REPORTED,
        PanelDecisionKind.NOT_ACCEPTED,
    ],
}
CLOSING_DECISIONS = {PanelDecisionKind.ACCEPTED, PanelDecisionKind.REJECTION_REPORTED}


class Recommendation(models.Model):
    """An inspection finding or a meeting's recommendation, on the live list until the committee
    that tracks it accepts it as done (or notes its rejection)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField(help_text="R1, R2 ... within the plan.")
    source = models.CharField(max_length=20, choices=RecommendationSource.choices)
    committee = models.CharField(
        "tracked by",
        max_length=200,
        choices=Committee.choices,
        help_text="The board or panel that follows it and decides when it is complete.",
    )
    made_at = models.ForeignKey(
        BoardMeeting,
        verbose_name="meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations_made",
    )
    inspectorate = models.CharField(max_length=100, blank=True)
    inspection_year = models.PositiveSmallIntegerField(null=True, blank=True)
    inspection_kind = models.CharField(max_length=30, choices=InspectionKind.choices, blank=True)
    inspection_date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300)
    action_proposed = models.TextField("action proposed")
    objectives = models.ManyToManyField(
        Objective,
        blank=True,
        related_name="recommendations",
        db_table="plans_recommendation_objectives",
    )
    responsible_posts = models.ManyToManyField(
        Post,
        blank=True,
        related_name="recommendations",
        db_table="plans_recommendation_responsible_posts",
        help_text="Leave empty when the linked objectives' responsible posts answer for it.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = KeptHistoricalRecords(
        m2m_fields=[objectives, responsible_posts], table_name="plans_historicalrecommendation"
    )

    class Meta:
        db_table = "plans_recommendation"  # the table it had in the plans app, kept
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="recommendation_number_unique_in_plan"
            ),
            models.CheckConstraint(
                name="recommendation_source_has_its_details",
                condition=(
                    Q(source="meeting", made_at__isnull=False)
                    | Q(source="inspection", inspection_year__isnull=False)
                    & ~Q(inspectorate="")
                    & ~Q(inspection_kind="")
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title[:80]}"

    def get_absolute_url(self):
        return reverse(
            "recommendations:detail",
            kwargs={"plan": self.plan.reference, "number": self.number},
        )

    @property
    def reference(self) -> str:
        return f"R{self.number}"

    @property
    def proposed_text(self) -> str:
        """The words to show: a finding the plan cites without its words says so."""
        return self.action_proposed or "The plan cites this finding without its words."

    @property
    def date(self) -> date | None:
        """The date in the papers' first column: the meeting's, or the inspection's if known."""
        return self.made_at.date if self.made_at_id else self.inspection_date

    @property
    def source_label(self) -> str:
        if self.source == RecommendationSource.MEETING:
            return str(self.made_at)
        kind = InspectionKind(self.inspection_kind).label.lower()
        return f"{self.inspectorate} {kind} ({self.inspection_year})"

    def answering_posts(self) -> list[Post]:
        """Named responsible posts, else the linked objectives' (prefetch both for lists)."""
        named = list(self.responsible_posts.all())
        if named:
            return named
        posts = {p.pk: p for o in self.objectives.all() for p in o.responsible_posts.all()}
        return sorted(posts.values(), key=lambda post: post.name)

    def progress(self) -> "RecommendationProgress":
        """Where it stands, from its updates and decisions (prefetched, or as at a moment)."""
        return RecommendationProgress(list(self.updates.all()), list(self.decisions.all()))

    def linked_actions(self, today: date) -> "LinkedActions":
        """How far the actions of the objectives that answer it have got (prefetch
        objectives__actions for lists): beside the status the committee recorded."""
        actions = {a.pk: a for o in self.objectives.all() for a in o.actions.all()}.values()
        return LinkedActions(
            total=len(actions),
            complete=sum(a.status == ActionStatus.COMPLETE for a in actions),
            overdue=sum(a.is_overdue(today) for a in actions),
        )


@dataclass(frozen=True)
class LinkedActions:
    total: int
    complete: int
    overdue: int

    def __str__(self) -> str:
        if not self.total:
            return "No linked actions"
        words = f"{self.complete} of {self.total} action{'s' if self.total != 1 else ''} complete"
        return f"{words}, {self.overdue} overdue" if self.overdue else words


@dataclass(frozen=True)
class RecommendationProgress:
    """The one place the status and the live-list rule are worked out: the latest update says
    the status; a committee's decision after it either closes the recommendation or sends it
    back to the officers, who must propose again before it awaits a decision again."""

    updates: list  # RecommendationUpdate, oldest first
    decisions: list  # PanelDecision, oldest first

    @property
    def status(self) -> str:
        return self.updates[-1].status if self.updates else RecommendationStatus.NOT_STARTED

    def get_status_display(self) -> str:
        return RecommendationStatus(self.status).label

    @property
    def label(self) -> str:
        """The status as the register shows it, with the committee's answer when it has one."""
        decision = self.last_decision
        if decision is None:
            return self.get_status_display()
        if decision.decision == PanelDecisionKind.ACCEPTED:
            return "Complete – accepted"
        if decision.decision == PanelDecisionKind.REJECTION_REPORTED:
            return "Rejected – reported"
        return f"{self.get_status_display()} – not accepted"

    @property
    def last_decision(self):
        """The decision on the latest update, if one has been made since it."""
        if not self.decisions:
            return None
        decision = self.decisions[-1]
        if self.updates and self.updates[-1].created_at > decision.recorded_at:
            return None
        return decision

    @property
    def closed_by(self):
        decision = self.last_decision
        return decision if decision and decision.decision in CLOSING_DECISIONS else None

    @property
    def is_open(self) -> bool:
        return self.closed_by is None

    @property
    def awaiting_decision(self) -> bool:
        return self.status in DECISIONS_FOR_STATUS and self.last_decision is None

    def decision_choices(self) -> list:
        return DECISIONS_FOR_STATUS.get(self.status, []) if self.awaiting_decision else []

    def decision_note(self, committee: str) -> str:
        """The committee's part in words, beside the status: awaited, given, or sent back."""
        if self.awaiting_decision:
            return f"Awaiting the {committee}'s decision"
        decision = self.last_decision
        if decision is None:
            return ""
        when = f"{decision.meeting.date.day} {decision.meeting.date:%B %Y}"
        if decision.decision == PanelDecisionKind.NOT_ACCEPTED:
            return f"Not accepted by the {decision.meeting.committee} on {when}: {decision.reason}"
        return f"{decision.get_decision_display()} by the {decision.meeting.committee} on {when}"


class RecommendationUpdate(FinalRecord):
    """What has been done, dated and signed, with the status it leaves: append-only."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="updates"
    )
    taken_on = models.DateField("date")
    action_taken = models.TextField("action taken")
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "plans_recommendationupdate"
        ordering = ["recommendation", "created_at", "pk"]

    def __str__(self):
        return f"{self.recommendation.reference} {self.taken_on}: {self.get_status_display()}"


class PanelDecision(FinalRecord):
    """A board's or panel's decision on a recommendation at one of its meetings: append-only."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.PROTECT, related_name="recommendation_decisions"
    )
    decision = models.CharField(max_length=20, choices=PanelDecisionKind.choices)
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "plans_paneldecision"
        ordering = ["recommendation", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="panel_decision_not_accepted_has_reason",
                condition=~Q(decision="not_accepted") | ~Q(reason=""),
            )
        ]

    def __str__(self):
        return f"{self.recommendation.reference}: {self.get_decision_display()} at {self.meeting}"
