"""Recording progress on an action: the rules an update must meet, and the update itself."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from plans.models import Action, ActionStatus
from progress.models import ProgressUpdate, evidence_upload_to

NEEDS_COMMENTARY = {ActionStatus.AT_RISK, ActionStatus.OFF_TRACK}


class StaleVersion(Exception):
    """Someone else updated the action since the form was opened."""

    def __init__(self, action: Action):
        self.action = action
        super().__init__(f"Action {action.reference} is now at version {action.version}.")


def progress_problems(
    *, action: Action, status: str, commentary: str, revised_due_date, revision_reason: str,
    today: date,
) -> dict[str, str]:  # fmt: skip
    """What is missing from an update, by form field; empty when the update may be recorded."""
    problems = {}
    if not commentary.strip():
        if status in NEEDS_COMMENTARY:
            label = ActionStatus(status).label
            problems["commentary"] = f"Say why the action is {label.lower()} and what will be done."
        elif action.is_overdue(today):
            problems["commentary"] = "The action is overdue: say where it stands."
        elif revised_due_date:
            problems["commentary"] = "Say what has happened, since the due date is being revised."
    if revision_reason.strip() and not revised_due_date:
        problems["revised_due_date"] = "Give the revised due date, or clear the reason."
    if revised_due_date:
        if not revision_reason.strip():
            problems["revision_reason"] = "Give the reason the due date is being revised."
        if revised_due_date < today:
            problems["revised_due_date"] = "A revised due date must be today or later."
    return problems


def action_record_progress(
    *,
    action: Action,
    by,
    version: int,
    status: str,
    commentary: str = "",
    revised_due_date: date | None = None,
    revision_reason: str = "",
    evidence_link: str = "",
    evidence_file=None,
    today: date,
    now: datetime | None = None,
) -> ProgressUpdate:
    """Append an update and move the action's current state to it, all or nothing.

    `now` is when the update is made (the clock by default); its history carries that time.
    Raises PermissionDenied if `by` may not update the action, StaleVersion if `version` is not
    the action's current version, and ValidationError if the update breaks a rule.
    """
    if not by.has_perm("plans.update_action", action):
        raise PermissionDenied("You can only update actions your posts hold.")
    problems = progress_problems(
        action=action, status=status, commentary=commentary, revised_due_date=revised_due_date,
        revision_reason=revision_reason, today=today,
    )  # fmt: skip
    if problems:
        raise ValidationError(problems)
    # The file is stored first under a generated name, and removed again if the update fails,
    # so that no file outlives a rolled-back update.
    stored = (
        default_storage.save(evidence_upload_to(None, ""), evidence_file) if evidence_file else ""
    )
    try:
        update = _record(
            action=action, by=by, version=version, status=status, commentary=commentary,
            revised_due_date=revised_due_date, revision_reason=revision_reason,
            evidence_link=evidence_link, evidence_file=stored,
            evidence_filename=evidence_file.name if evidence_file else "",
            now=now or timezone.now(),
        )  # fmt: skip
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return update


def _record(
    *, action, by, version, status, commentary, revised_due_date, revision_reason,
    evidence_link, evidence_file: str, evidence_filename: str, now: datetime,
) -> ProgressUpdate:  # fmt: skip
    with transaction.atomic():
        # Claim the next version in one conditional UPDATE: of two updates made from the same
        # version, exactly one succeeds, on any database.
        claimed = Action.objects.filter(pk=action.pk, version=version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleVersion(Action.objects.get(pk=action.pk))
        update = ProgressUpdate.objects.create(
            action=action,
            version=version + 1,
            created_at=now,
            created_by=by,
            status=status,
            commentary=commentary.strip(),
            revised_due_date=revised_due_date,
            revision_reason=revision_reason.strip() if revised_due_date else "",
            evidence_link=evidence_link,
            evidence_file=evidence_file,
            evidence_filename=evidence_filename,
        )
        current = Action.objects.select_for_update().get(pk=action.pk)
        current.status = status
        current.commentary = update.commentary
        if revised_due_date:
            current.revised_due_date = revised_due_date
            current.revision_reason = update.revision_reason
        current.last_updated_at = now
        current.last_updated_by = by
        current._history_user = by
        current._history_date = now
        current.save()  # save(), not update(): the action's history records the new state
    return update
