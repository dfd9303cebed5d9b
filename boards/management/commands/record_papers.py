from django.core.management.base import BaseCommand
from django.utils import timezone

from boards.papers import record_previous_papers, record_travel_papers


class Command(BaseCommand):
    help = (
        "Record the previous meetings' papers that today's reports compare with, where not yet "
        "recorded, and those the plans' direction of travel shows (beat runs it hourly), so that "
        "no page waits for them to be built."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        count = record_previous_papers(today=today)
        self.stdout.write(f"Previous meetings' papers recorded: {count}.")
        count = record_travel_papers(today=today)
        self.stdout.write(f"Papers the direction of travel shows, recorded: {count}.")
