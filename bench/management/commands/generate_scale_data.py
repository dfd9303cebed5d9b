"""Fill an empty database with synthetic plans and two years of history, for benchmarks."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench.scale.generate import generate_scale_data
from plans.models import Plan


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today '{text}' is not a date: write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Generate synthetic plans for benchmarks: --scale councils' worth of data (one council "
        "is a plan of about 250 actions, 40 indicators and 6,000 progress updates over two "
        "years), split over --plans plans. Deterministic for a given --seed and --today. Runs "
        "only on a database without plans, in one transaction (see bench/scale/)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            required=True,
            help="how many councils' worth of data, e.g. 10 (0.25 makes a quarter-size plan)",
        )
        parser.add_argument("--plans", type=int, help="how many plans to split it over (default: "
                            "the scale, rounded, at least 1)")  # fmt: skip
        parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
        parser.add_argument(
            "--today", type=_day, help="the story's last day, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, scale, plans, seed, today, **options):
        if scale <= 0:
            raise CommandError("--scale must be above 0.")
        plans = max(1, round(scale)) if plans is None else plans
        if plans < 1:
            raise CommandError("--plans must be 1 or more.")
        existing = Plan.objects.count()
        if existing:
            raise CommandError(
                f"The database already holds {existing} plan(s). generate_scale_data writes "
                "thousands of synthetic rows and is meant for a database of its own: use an "
                "empty one, e.g. DATABASE_URL=sqlite:///.tools/scale.sqlite3 (run migrate on it "
                "first)."
            )
        today = today or timezone.localdate()
        self.stdout.write(
            f"Generating {scale:g} councils' worth of data over {plans} plan(s), seed {seed}, "
            f"history ending {today:%d/%m/%Y}, on {connection.vendor}..."
        )
        started = time.perf_counter()
        report = generate_scale_data(scale=scale, plans=plans, seed=seed, today=today)
        elapsed = time.perf_counter() - started
        first, last = report.plans[0], report.plans[-1]
        self.stdout.write(f"Plans: {first}" + (f" to {last}" if last != first else "") + ".")
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))
