"""The improvement plan: priority areas, objectives, actions, and the posts responsible for them."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.rag import Direction, Rag, band_rag, worst
from plans.roles import Role, user_can_update_any_action, user_has_role


class Post(models.Model):
    """A responsible role ("HoS Early Help"). People come and go; the post and its history stay."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    holders = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="posts")
    escalation_contact = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The post told when this post's actions stay overdue (e.g. Deputy Director).",
    )
    history = HistoricalRecords(m2m_fields=[holders])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Partner(models.Model):
    name = models.CharField(max_length=300, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Plan(models.Model):
    reference = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=300)
    organisation = models.CharField(max_length=300)
    period = models.CharField(max_length=50)
    vision = models.TextField(blank=True)
    governance = models.TextField(blank=True)
    board_membership = models.TextField(blank=True, help_text="One member per line.")
    published = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", kwargs={"plan": self.reference})

    @property
    def board_members(self) -> list[str]:
        return [line.strip() for line in self.board_membership.splitlines() if line.strip()]


class PriorityArea(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priority_areas")
    reference = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    assurance = models.TextField("how we will provide assurance", blank=True)
    linked_service_plans = models.TextField(
        "linked service delivery plans", blank=True, help_text="Separated by semicolons."
    )
    lead = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_priority_areas",
        help_text="The post that records the area's judged risk rating for each meeting.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"], name="priority_area_reference_unique_in_plan"
            )
        ]

    def __str__(self):
        return f"{self.reference}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "plans:priority_area_detail",
            kwargs={"plan": self.plan.reference, "reference": self.reference},
        )

    @property
    def linked_service_plan_list(self) -> list[str]:
        return [name.strip() for name in self.linked_service_plans.split(";") if name.strip()]


class Objective(models.Model):
    """A row of the plan: what should change, the outcome wanted, and by when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="objectives"
    )
    reference = models.CharField(max_length=20)
    position = models.PositiveIntegerField(default=0)
    responsible_posts = models.ManyToManyField(Post, related_name="objectives")
    responsible_officers_as_written = models.TextField(blank=True)
    differently_or_better = models.TextField("what we want to do differently or better")
    outcome = models.TextField("the outcome we want to achieve", blank=True)
    target_date = models.DateField(null=True, blank=True)
    second_target_date = models.DateField(null=True, blank=True)
    target_date_note = models.TextField(blank=True)
    partners = models.ManyToManyField(Partner, blank=True, related_name="objectives")
    history = HistoricalRecords(m2m_fields=[responsible_posts, partners])

    class Meta:
        ordering = ["plan", "position", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"], name="objective_reference_unique_in_plan"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.differently_or_better[:80]}"

    def get_absolute_url(self):
        return reverse(
            "plans:objective_detail",
            kwargs={"plan": self.plan.reference, "reference": self.reference},
        )

    @property
    def target_dates(self) -> list[date]:
        return [d for d in (self.target_date, self.second_target_date) if d]

    @property
    def deadline(self) -> date | None:
        """The later of the target dates: the objective is not due until its last date."""
        return max(self.target_dates, default=None)

    def rag_parts(self, today: date) -> list[tuple[str, Rag]]:
        """The ratings the objective's RAG is derived from, each with what it rates."""
        parts = [(f"Action {a.reference}", a.rag(today)) for a in self.actions.all()]
        parts += [(f"Success criterion {c.reference}", c.rag) for c in self.success_criteria.all()]
        return parts

    def rag(self, today: date) -> Rag:
        return worst(rating for _, rating in self.rag_parts(today))


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


# Product rule 3: the RAG an action's status implies, before the overdue rule.
STATUS_RAG = {
    ActionStatus.NOT_STARTED: Rag.NOT_RATED,
    ActionStatus.ON_TRACK: Rag.GREEN,
    ActionStatus.AT_RISK: Rag.AMBER,
    ActionStatus.OFF_TRACK: Rag.RED,
    ActionStatus.COMPLETE: Rag.COMPLETE,
}


class ActionQuerySet(models.QuerySet):
    def with_deadline(self):
        """Annotate `due_by`, the `deadline` property as a column, for filtering and sorting."""
        first = "objective__target_date"
        second = "objective__second_target_date"
        # Greatest() is NULL on SQLite when either date is missing; Coalesce makes both sides real.
        objective_deadline = Greatest(Coalesce(first, second), Coalesce(second, first))
        return self.annotate(due_by=Coalesce("revised_due_date", "due_date", objective_deadline))

    def overdue(self, today: date):
        return self.with_deadline().filter(due_by__lt=today).exclude(status=ActionStatus.COMPLETE)

    def editable_by(self, user):
        """Actions `user` may update: any for performance managers and administrators, else the
        actions of the posts they hold; none for anyone else (board members read only)."""
        if not user.is_authenticated:
            return self.none()
        if user_can_update_any_action(user):
            return self.all()
        if user_has_role(user, Role.HEAD_OF_SERVICE):
            return self.filter(pk__in=Action.objects.held_by(user).values("pk"))
        return self.none()

    def visible_to(self, user):
        """Every signed-in user reads the whole plan."""
        return self.all() if user.is_authenticated else self.none()

    def held_by(self, user):
        """Actions owned by any post `user` holds."""
        posts = Post.objects.filter(holders=user)
        return self.filter(
            Q(owners__in=posts) | Q(owners__isnull=True, objective__responsible_posts__in=posts)
        ).distinct()

    def owned_by(self, post: Post):
        """Actions a post owns: as named owner, or via the objective when no owner is named."""
        return self.filter(
            Q(owners=post) | Q(owners__isnull=True, objective__responsible_posts=post)
        ).distinct()


class Action(models.Model):
    """One "we will ..." step of an objective."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    reference = models.CharField(max_length=30)
    position = models.PositiveIntegerField(default=0)
    description = models.TextField()
    owners = models.ManyToManyField(
        Post,
        blank=True,
        related_name="owned_actions",
        help_text="Leave empty when the objective's responsible posts own the action.",
    )
    due_date = models.DateField(
        null=True,
        blank=True,
        help_text="Leave empty when the action is due by the objective's date.",
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    # The current state below is kept in step with the latest ProgressUpdate, in one transaction.
    revised_due_date = models.DateField(null=True, blank=True)
    revision_reason = models.TextField(blank=True)
    commentary = models.TextField(blank=True)
    last_updated_at = models.DateTimeField(null=True, blank=True)
    last_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: an update names the version it was made from.
    version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[owners])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["objective__position", "position", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "reference"], name="action_reference_unique_in_objective"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.description[:80]}"

    def get_absolute_url(self):
        return reverse(
            "plans:action_detail",
            kwargs={"plan": self.objective.plan.reference, "reference": self.reference},
        )

    @property
    def original_due_date(self) -> date | None:
        """The date the plan set: the action's own, else its objective's deadline."""
        return self.due_date or self.objective.deadline

    @property
    def deadline(self) -> date | None:
        """The date the action is judged against: a revised date wins over the plan's."""
        return self.revised_due_date or self.original_due_date

    def responsible_posts(self) -> list[Post]:
        """Named owners, else the objective's responsible posts (prefetch both for lists)."""
        return list(self.owners.all()) or list(self.objective.responsible_posts.all())

    def is_overdue(self, today: date) -> bool:
        return (
            self.status != ActionStatus.COMPLETE
            and self.deadline is not None
            and self.deadline < today
        )

    def rag(self, today: date) -> Rag:
        """The status's RAG, except that an overdue action is Red whatever its owner says."""
        if self.is_overdue(today):
            return Rag.RED
        return STATUS_RAG[ActionStatus(self.status)]


class SuccessCriterion(models.Model):
    """How an objective is judged; banded criteria carry red/amber/green levels as data."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="success_criteria"
    )
    reference = models.CharField(max_length=30)
    position = models.PositiveIntegerField(default=0)
    criterion = models.TextField()
    unit = models.CharField(max_length=30, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    red = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amber = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    green = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__position", "position", "reference"]
        verbose_name_plural = "success criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "reference"], name="criterion_reference_unique_in_objective"
            ),
            # Either a plain statement (no levels) or a full band in order for its direction.
            models.CheckConstraint(
                name="criterion_levels_all_or_none_and_in_order",
                condition=(
                    Q(direction="", red__isnull=True, amber__isnull=True, green__isnull=True)
                    | Q(
                        direction=Direction.HIGHER_IS_BETTER,
                        # Spelled out: SQL lets a CHECK pass when a comparison meets a NULL.
                        red__isnull=False,
                        amber__isnull=False,
                        green__isnull=False,
                        red__lt=models.F("amber"),
                        amber__lt=models.F("green"),
                    )
                    | Q(
                        direction=Direction.LOWER_IS_BETTER,
                        red__isnull=False,
                        amber__isnull=False,
                        green__isnull=False,
                        red__gt=models.F("amber"),
                        amber__gt=models.F("green"),
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.criterion[:80]}"

    @property
    def is_banded(self) -> bool:
        return bool(self.direction)

    def rag_for(self, value: Decimal | None) -> Rag:
        if value is None or not self.is_banded:
            return Rag.NOT_RATED
        return band_rag(value, direction=self.direction, amber=self.amber, green=self.green)

    @property
    def latest_result(self):
        """The latest audit result (prefetch audit_results for lists)."""
        results = list(self.audit_results.all())
        return max(results, key=lambda result: result.month, default=None)

    @property
    def rag(self) -> Rag:
        """Rated by the latest audit result's percentage; not rated until there is one."""
        latest = self.latest_result
        return self.rag_for(latest.exact_percentage if latest else None)

    def band_description(self) -> str:
        """The band in words, e.g. 'Green: 70% or more. Amber: 60% up to 70%. Red: below 60%.'"""
        if not self.is_banded:
            return ""
        unit = self.unit
        amber, green = f"{self.amber.normalize():f}{unit}", f"{self.green.normalize():f}{unit}"
        if self.direction == Direction.HIGHER_IS_BETTER:
            return f"Green: {green} or more. Amber: {amber} up to {green}. Red: below {amber}."
        return f"Green: {green} or less. Amber: above {green} up to {amber}. Red: above {amber}."


class InspectionKind(models.TextChoices):
    CORE_RECOMMENDATION = "core_recommendation", "Core recommendation"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    PRIORITY_ACTION = "priority_action", "Priority action"


class InspectionReference(models.Model):
    """An inspection finding an objective answers, e.g. an Ofsted core recommendation (2019)."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="inspection_references"
    )
    reference = models.CharField(max_length=50)
    source = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=InspectionKind.choices)
    text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__position", "year", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "reference"],
                name="inspection_reference_unique_in_objective",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.source} {self.get_kind_display().lower()} ({self.year})"


class RecordIsFinal(Exception):
    """Progress updates and published packs are never changed or deleted: a correction is new."""


class FinalQuerySet(models.QuerySet):
    """For records that are only ever added to: no bulk change or deletion either."""

    def update(self, **kwargs):
        raise RecordIsFinal(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self):
        raise RecordIsFinal(f"{self.model._meta.verbose_name_plural} cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise RecordIsFinal(f"{self.model._meta.verbose_name_plural} cannot be changed.")


class FinalRecord(models.Model):
    """A record only ever added to: saving it again or deleting it raises RecordIsFinal."""

    # What to do instead, for the message: "add a new one", "publish a new one".
    instead = "add a new one"

    objects = FinalQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RecordIsFinal(f"A {self._meta.verbose_name} cannot be changed; {self.instead}.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsFinal(f"A {self._meta.verbose_name} cannot be deleted; {self.instead}.")


class Committee(models.TextChoices):
    IMPROVEMENT_BOARD = "Improvement Board", "Improvement Board"
    SCRUTINY_PANEL = "Scrutiny Panel", "Scrutiny Panel"


class BoardMeeting(models.Model):
    """A meeting of the board or panel; its papers are "as at" the day they are due."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_meetings")
    committee = models.CharField(
        max_length=200, choices=Committee.choices, default=Committee.IMPROVEMENT_BOARD
    )
    date = models.DateField()
    papers_due = models.DateField(
        "papers due",
        help_text="Updates made by the end of this day are in the board's papers.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "committee", "date"], name="one_meeting_per_committee_a_day"
            ),
            models.CheckConstraint(
                name="papers_due_by_the_meeting", condition=Q(papers_due__lte=models.F("date"))
            ),
        ]

    def __str__(self):
        return f"{self.committee}, {self.date.day} {self.date:%B %Y}"

    def get_absolute_url(self):
        # The meeting's page is in the boards app (by URL name only: plans imports no app).
        return reverse("boards:meeting_detail", kwargs={"plan": self.plan.reference, "pk": self.pk})

    def as_at(self, today: date) -> date:
        """The date the papers describe: the papers due date once it has come, else today."""
        return min(self.papers_due, today)

    def previous(self):
        """The committee's meeting before this one, if any."""
        return (
            BoardMeeting.objects.filter(
                plan=self.plan, committee=self.committee, date__lt=self.date
            )
            .order_by("-date")
            .first()
        )


class AuditResult(models.Model):
    """A period's case audits for a banded success criterion: how many, and how many good."""

    criterion = models.ForeignKey(
        SuccessCriterion, on_delete=models.CASCADE, related_name="audit_results"
    )
    month = models.DateField(help_text="The first day of the month the audits are for.")
    audited = models.PositiveIntegerField("cases audited")
    good_or_outstanding = models.PositiveIntegerField("graded good or outstanding")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion", "month"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "month"], name="one_audit_result_a_month"),
            models.CheckConstraint(
                name="audit_counts_make_sense",
                condition=Q(audited__gt=0, good_or_outstanding__lte=models.F("audited")),
            ),
            models.CheckConstraint(name="audit_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.criterion.reference} {self.month:%B %Y}: {self.percentage}%"

    @property
    def exact_percentage(self) -> Decimal:
        return Decimal(100) * self.good_or_outstanding / self.audited

    @property
    def percentage(self) -> Decimal:
        """For display only: 163 of 233 shows as 70.0% but is rated as the 69.96% it is."""
        return self.exact_percentage.quantize(Decimal("0.1"))

    @property
    def rag(self) -> Rag:
        return self.criterion.rag_for(self.exact_percentage)
