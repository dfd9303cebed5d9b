from django import forms

from reminders.models import ReminderSettings


def _days_field(label: str, hint: str, lowest: int, highest: int, what: str):
    message = f"Enter the {what} as a whole number from {lowest} to {highest}."
    return forms.IntegerField(
        label=label, help_text=hint, min_value=lowest, max_value=highest,
        error_messages={
            "required": message, "invalid": message, "min_value": message, "max_value": message,
        },
    )  # fmt: skip


class ReminderSettingsForm(forms.ModelForm):
    """The performance manager's reminder timings for a plan (the rules: reminders.due)."""

    due_soon_days = _days_field(
        "Due soon: days before the due date",
        "Owners are reminded once, this many days before an action is due.", 1, 365,
        "days before the due date",
    )  # fmt: skip
    overdue_every_days = _days_field(
        "Overdue: days between reminders",
        "Each owner gets one email listing all their overdue actions, again after this many days "
        "while any is still overdue.", 1, 365, "days between overdue reminders",
    )  # fmt: skip
    escalation_days = _days_field(
        "Escalation: days overdue",
        "Once an action has been overdue this long, the post's escalation contact is told, with "
        "the owners copied in.", 1, 365, "days overdue before escalation",
    )  # fmt: skip
    update_request_working_days = _days_field(
        "Update before the board: working days before papers are due",
        "Owners with no update since the previous meeting are asked this many working days "
        "(Monday to Friday) before the papers are due.", 1, 60,
        "working days before papers are due",
    )  # fmt: skip

    class Meta:
        model = ReminderSettings
        fields = [
            "due_soon_days", "overdue_every_days", "escalation_days",
            "update_request_working_days", "paused",
        ]  # fmt: skip
        labels = {"paused": "Pause all reminders for this plan"}
