"""The plan: its priority areas and objectives, and the posts and partners behind them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.rag import Rag, worst


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
    # Board members and panel clerks read the plans they are given (plans.access); everyone else
    # with a role reads every plan.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="member_of_plans",
        help_text="The board members and panel clerks who read this plan.",
    )
    rolled_over_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rolled_over_to",
        help_text="The plan this one carried on from at the yearly rollover.",
    )
    archived = models.DateField(
        null=True,
        blank=True,
        help_text="When the plan was archived (rolled over): read-only from then on.",
    )
    # Who was given or denied the plan, by whom and when, is in the audit log (access).
    history = HistoricalRecords()

    class Meta:
        # Live plans first, then archived ones, newest first.
        ordering = [models.F("archived").asc(nulls_first=True), "-period", "reference"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", kwargs={"plan": self.reference})

    @property
    def is_archived(self) -> bool:
        return self.archived is not None

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
        # The parts' ratings without rag_parts' words: a report rates every objective thrice.
        actions = [action.rag(today) for action in self.actions.all()]
        return worst(actions + [criterion.rag for criterion in self.success_criteria.all()])
