"""Reads: the reminders waiting to go, and the ones a person may see in the log."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q

from plans.models import Action, Plan
from reminders.models import Reminder, ReminderSettings, ReminderState

# Pausing a plan holds what is already queued too: nothing of it is claimed until it resumes.
# An EXISTS on the settings, not a join: a join turns the claim's UPDATE into "id IN (subquery)",
# which PostgreSQL does not re-check against a row another worker has just claimed.
SENDABLE = Q(state__in=[ReminderState.PENDING, ReminderState.CLAIMED]) & ~Exists(
    ReminderSettings.objects.filter(plan=OuterRef("plan"), paused=True)
)


def reminders_to_send(*, now: datetime):
    """Rows due to go: pending and not waiting for a retry, or claimed by a worker that died."""
    return Reminder.objects.filter(
        SENDABLE,
        Q(state=ReminderState.PENDING, not_before__lte=now)
        | Q(state=ReminderState.CLAIMED, lease_until__lt=now),
    ).values_list("pk", flat=True)


def reminders_seen_by(user, plan: Plan):
    """The plan's reminders a user may see in the log: all of them for those who manage
    reminders, otherwise the ones sent to them or copying them in."""
    reminders = Reminder.objects.filter(plan=plan)
    if not user.has_perm("reminders.manage_reminders"):
        reminders = reminders.filter(Q(recipient=user) | _copies(user.email))
    return reminders.select_related("recipient").prefetch_related(
        Prefetch("actions", Action.objects.select_related("objective__plan"))
    )


def _copies(address: str) -> Q:
    """Reminders copying in `address`: one whole line of `cc`, not part of a longer address."""
    if not address:
        return Q(pk__in=[])
    # Ignoring case, as mail servers do (and the same on SQLite and PostgreSQL).
    return (
        Q(cc__iexact=address) | Q(cc__istartswith=f"{address}\n")
        | Q(cc__iendswith=f"\n{address}") | Q(cc__icontains=f"\n{address}\n")
    )  # fmt: skip
