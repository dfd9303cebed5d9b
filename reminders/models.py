"""Reminders as rows: a plan's reminder settings, and each reminder before and after it is sent.

The tables kept the names they had when these models lived in the plans app (db_table), so the
move wrote no SQL (migration reminders 0001)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import Action, Plan


def _default(name: str):
    return getattr(settings, name)


def default_due_soon_days():
    return _default("REMINDER_DUE_SOON_DAYS")


def default_overdue_every_days():
    return _default("REMINDER_OVERDUE_EVERY_DAYS")


def default_escalation_days():
    return _default("REMINDER_ESCALATION_DAYS")


def default_update_request_working_days():
    return _default("REMINDER_UPDATE_REQUEST_WORKING_DAYS")


class ReminderSettings(models.Model):
    """A plan's reminder timings; the defaults come from the settings."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="reminder_settings")
    due_soon_days = models.PositiveSmallIntegerField(
        "days before the due date", default=default_due_soon_days
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        "days between overdue reminders", default=default_overdue_every_days
    )
    escalation_days = models.PositiveSmallIntegerField(
        "days overdue before escalation", default=default_escalation_days
    )
    update_request_working_days = models.PositiveSmallIntegerField(
        "working days before papers are due", default=default_update_request_working_days
    )
    paused = models.BooleanField("reminders paused", default=False)
    history = HistoricalRecords(table_name="plans_historicalremindersettings")

    class Meta:
        db_table = "plans_remindersettings"  # the table it had in the plans app, kept
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                name="overdue_reminders_repeat_after_a_day_or_more",
                condition=Q(overdue_every_days__gte=1),
            )
        ]

    def __str__(self):
        return f"Reminders for {self.plan}"

    @classmethod
    def for_plan(cls, plan: Plan) -> "ReminderSettings":
        """The plan's saved settings, else the defaults (unsaved)."""
        return cls.objects.filter(plan=plan).first() or cls(plan=plan)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalation"
    UPDATE_REQUEST = "update_request", "Update before the board"


class ReminderState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    CLAIMED = "claimed", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Not sent (held by a pause)"


class Reminder(models.Model):
    """A reminder is a row before it is an email: its unique key makes a second one impossible,
    and its state says whether it was sent (see reminders.services)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    # What the reminder is about ("action:12", "digest:2" for plan 2, "meeting:3") and for
    # which period (a due date, a day, a papers date): with kind and recipient, the unique key.
    subject_key = models.CharField(max_length=50)
    period = models.CharField(max_length=20)
    day = models.DateField(help_text="The day the sweep found it due; days overdue count to it.")
    actions = models.ManyToManyField(
        Action, related_name="reminders", db_table="plans_reminder_actions"
    )
    email = models.EmailField()
    cc = models.TextField(blank=True, help_text="Addresses copied in, one per line.")
    state = models.CharField(
        max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    # When a dispatch last handed it to the queue: not handed out again within a lease.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "plans_reminder"
        # Latest first: by day, then the last sent (those still to go above them).
        ordering = ["-day", models.F("sent_at").desc(nulls_first=True), "-pk"]
        constraints = [
            # A reminder cancelled by a pause does not stop the sweep queuing it again.
            models.UniqueConstraint(
                fields=["kind", "subject_key", "period", "recipient"],
                condition=~Q(state="cancelled"),
                name="one_reminder_per_subject_period_and_person",
            )
        ]
        indexes = [models.Index(fields=["state", "not_before"], name="reminder_due_to_send")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.email} ({self.period})"

    @property
    def copied_to(self) -> list[str]:
        return [address for address in self.cc.splitlines() if address]
