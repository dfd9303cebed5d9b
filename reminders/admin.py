from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.admin import ReadOnlyAdmin
from reminders.models import Reminder, ReminderSettings


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "due_soon_days", "overdue_every_days", "escalation_days", "paused"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Read only: what was sent, and when, is the outbox's record (a failed one is sent again
    from the Reminders page)."""

    list_display = ["kind", "email", "period", "day", "state", "attempts", "sent_at"]
    list_filter = ["kind", "state"]
