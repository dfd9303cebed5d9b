"""Actions: the "we will" steps of an objective, their status and RAG (product rule 3)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.models.plan import Objective, Post
from plans.rag import Rag
from plans.roles import Role, reads_every_plan, user_can_update_any_action, user_has_role


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
        """The actions of the plans `user` reads (plans.roles.reads_every_plan)."""
        if not user.is_authenticated:
            return self.none()
        if reads_every_plan(user):
            return self.all()
        return self.filter(objective__plan__members=user.pk)

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
    # The unfinished action of last year's plan this one carries on (plans.rollover).
    carried_over_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_over_to",
    )
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
        return STATUS_RAG[self.status]  # a status's members hash and compare as their values
