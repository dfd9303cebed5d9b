from django.core.management.base import BaseCommand
from django.utils import timezone

from boards.papers import record_previous_papers


class Command(BaseCommand):
    help = (
        "Record the previous meetings' papers that today's reports compare with, where not yet "
        "recorded (beat runs it hourly), so that no report waits for them to be built."
    )

    def handle(self, *args, **options):
        count = record_previous_papers(today=timezone.localdate())
        self.stdout.write(f"Previous meetings' papers recorded: {count}.")
