from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from boards.papers import record_travel_papers
from demo.loading import (
    DEMO_PLAN_REFERENCE,
    create_demo_accounts,
    load_demo_indicators,
    load_demo_plan,
    load_demo_recommendations,
    months_to_present,
    schedule_demo_board_meetings,
)
from demo.send_plan import SEND_PLAN_REFERENCE, load_demo_send_plan, record_send_plan_updates
from demo.story import play_demo_history
from plans.models import Plan


class Command(BaseCommand):
    help = "Load the demo plan (dates moved to the present) and the demo accounts. Demo mode only."

    @transaction.atomic  # all of it or none: a half-played demo past would never be finished
    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("The demo loads only in demo mode. Run it with DEMO_MODE=true.")
        today = timezone.localdate()
        started = timezone.now()
        is_new = not Plan.objects.filter(reference=DEMO_PLAN_REFERENCE).exists()
        summary = load_demo_plan(today=today)
        self.stdout.write(
            f"Demo plan dates moved forward {months_to_present(today)} months. {summary}"
        )
        self.stdout.write(f"Demo indicators: {load_demo_indicators(today=today)}")
        schedule_demo_board_meetings(today=today)
        send_is_new = not Plan.objects.filter(reference=SEND_PLAN_REFERENCE).exists()
        self.stdout.write(f"Demo second plan: {load_demo_send_plan(today=today)}")
        accounts = create_demo_accounts()
        if send_is_new:
            record_send_plan_updates(today=today)
        self.stdout.write(f"Demo recommendations added: {load_demo_recommendations(today=today)}")
        if is_new:
            timeline = play_demo_history(today=today, since=started)
            self.stdout.write(
                f"Demo history: the plan loaded {timeline.loaded_at:%d/%m/%Y}, "
                f"{len(timeline.rounds)} update rounds before "
                + ", ".join(f"{m.date:%d/%m/%Y}" for m in timeline.meetings)
            )
        # Each plan's direction of travel reads its boards' papers: recorded now, not when first
        # viewed.
        record_travel_papers(today=today)
        self.stdout.write("\nDemo sign-ins (new passwords each time the demo starts):\n")
        width = max(len(account.username) for account, _ in accounts)
        for account, password in accounts:
            posts = f"  posts: {'; '.join(account.posts)}" if account.posts else ""
            self.stdout.write(
                f"  {account.username:<{width}}  {password}  {account.role.value}{posts}"
            )
