"""Progress updates: each update of an action by its owner, kept for good, with its evidence.

The table kept the name it had in the plans app (db_table): the move wrote no SQL."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from plans.models import Action, ActionStatus, FinalRecord


def evidence_upload_to(update, filename: str) -> str:
    # A generated name: the uploaded name is kept only as data, never as a path.
    return f"evidence/{uuid.uuid4().hex}"


class ProgressUpdate(FinalRecord):
    """One update of an action by its owner: append-only, numbered by the version it created."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    commentary = models.TextField(blank=True)
    revised_due_date = models.DateField(null=True, blank=True)
    revision_reason = models.TextField(blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=200)
    evidence_filename = models.CharField(max_length=255, blank=True)

    class Meta:
        db_table = "plans_progressupdate"  # the table it had in the plans app, kept
        ordering = ["action", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "version"], name="one_update_per_action_version"
            )
        ]
        indexes = [
            # Each action's newest update without commentary, for the reports (progress.as_at):
            # few updates have none, so the unique index above would scan all an action's rows.
            models.Index(
                fields=["action", "version"],
                condition=models.Q(commentary=""),
                name="update_without_commentary",
            )
        ]

    def __str__(self):
        return f"{self.action.reference} v{self.version} {self.get_status_display()}"
