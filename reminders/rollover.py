"""At the yearly rollover (plans.rollover) the new plan keeps the old one's reminder timings."""

from django.dispatch import receiver

from plans.rollover import plan_rolled_over
from reminders.models import ReminderSettings


@receiver(plan_rolled_over)
def _keep_reminder_settings(sender, source, plan, by, **kwargs):
    kept = ReminderSettings.objects.filter(plan=source).first()
    if kept is not None:
        kept.pk, kept.plan = None, plan
        kept._state.adding = True
        kept._history_user = by
        kept.save()
