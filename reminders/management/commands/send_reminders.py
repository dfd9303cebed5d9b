from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plans.models import Plan
from reminders.due import due_reminders
from reminders.selectors import reminders_to_send
from reminders.services import reminder_send, reminders_sweep


class Command(BaseCommand):
    help = (
        "Run the reminder sweep: queue the reminders due today (each at most once, ever) and send "
        "every reminder waiting to go. For operators and cron; the scheduler runs the same sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what is due; queue and send nothing"
        )
        parser.add_argument("--today", help="the day to run the sweep for, YYYY-MM-DD")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today {today!r} is not a date. Use YYYY-MM-DD.") from None
        if dry_run:
            for plan in Plan.objects.all():
                for due in due_reminders(plan, today=day):
                    references = ", ".join(action.reference for action in due.actions)
                    self.stdout.write(
                        f"{due.kind} to {due.recipient.email} ({due.period}): {references}"
                    )
            self.stdout.write("Dry run: nothing queued or sent (already sent ones are listed too).")
            return
        queued = reminders_sweep(today=day)
        outcomes = [reminder_send(pk) for pk in list(reminders_to_send(now=timezone.now()))]
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders for {day:%d/%m/%Y}: {len(queued)} queued; "
                f"{outcomes.count('sent')} sent, {outcomes.count('pending')} to retry, "
                f"{outcomes.count('failed')} failed."
            )
        )
