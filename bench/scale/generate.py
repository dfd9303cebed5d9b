"""All of it: `generate_scale_data`, in one transaction."""

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import connection, transaction

from bench.scale.council import (
    Council,
    choose_posts,
    create_people,
    give_plan_to_its_board,
    name_councils,
)
from bench.scale.loading import (
    change_holders,
    history_models,
    holders_at,
    import_plan,
    load_council_indicators,
    schedule_meetings,
    set_up_posts,
)
from bench.scale.progress import plan_progress, write_progress
from bench.scale.recommendations import play_recommendations, record_assessments, record_audits
from bench.scale.story import StoryCalendar, plan_sizes
from bench.scale.words import demo_words
from boards.models import AreaAssessment
from indicators.models import Benchmark, Indicator, IndicatorValue
from plans.models import (
    Action,
    AuditResult,
    BoardMeeting,
    InspectionReference,
    Objective,
    Partner,
    Plan,
    Post,
    PriorityArea,
    SuccessCriterion,
)
from progress.models import ProgressUpdate
from recommendations.models import PanelDecision, Recommendation, RecommendationUpdate


@dataclass
class ScaleReport:
    """What was made, and how long each step took (seconds, summed over the plans)."""

    plans: list[str]
    counts: dict[str, int]
    seconds: Counter

    def lines(self) -> list[str]:
        total = sum(self.seconds.values())
        counted = ", ".join(f"{n:,} {what}" for what, n in self.counts.items())
        steps = ", ".join(f"{step} {s:.1f} s" for step, s in self.seconds.items())
        return [f"Made: {counted}.", f"Steps: {steps}; {total:.1f} s in all."]


def count_rows() -> dict[str, int]:
    """The rows in the tables the generator fills, and the history rows beside them."""
    models = [
        ("plans", Plan), ("priority areas", PriorityArea), ("objectives", Objective),
        ("actions", Action), ("success criteria", SuccessCriterion),
        ("inspection references", InspectionReference), ("posts", Post), ("partners", Partner),
        ("users", User), ("board and panel meetings", BoardMeeting),
        ("progress updates", ProgressUpdate), ("indicators", Indicator),
        ("indicator values", IndicatorValue), ("benchmarks", Benchmark),
        ("audit results", AuditResult), ("area assessments", AreaAssessment),
        ("recommendations", Recommendation), ("recommendation updates", RecommendationUpdate),
        ("panel decisions", PanelDecision),
    ]  # fmt: skip
    counts = {name: model.objects.count() for name, model in models}
    counts["history rows"] = sum(model.objects.count() for model in history_models())
    return counts


def refresh_statistics():
    """On PostgreSQL, ANALYZE the freshly filled tables. Until autovacuum gets round to it the
    planner works from the empty tables' statistics, and the exception report took 20-35 s a
    plan at scale 10 instead of about 1 s. (SQLite keeps no statistics unless asked, in use as
    here, so it is left as it is.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def generate_scale_data(*, scale: float, plans: int, seed: int, today: date) -> ScaleReport:
    """Make `scale` councils' worth of plans over `plans` plans, with two years of history
    ending on `today`, all or nothing."""
    calendar = StoryCalendar.ending(today)
    words = demo_words()
    sizes = plan_sizes(scale=scale, plans=plans)
    names = name_councils(len(sizes), width=max(2, len(str(len(sizes)))))
    seconds = Counter()

    @contextmanager
    def step(name: str):
        started = time.perf_counter()
        yield
        seconds[name] += time.perf_counter() - started

    with transaction.atomic():
        for number, (size, (name, reference)) in enumerate(zip(sizes, names, strict=True), 1):
            council = Council(number=number, size=size, seed=seed, name=name, reference=reference)
            with step("people and plan"):
                create_people(council, calendar)
                choose_posts(council, words)
                plan = import_plan(council, words, calendar)
                give_plan_to_its_board(council, plan)
                posts = set_up_posts(council, plan, calendar)
                changes = change_holders(council, posts, calendar)
                holders = holders_at(council, changes)
                meetings = schedule_meetings(council, plan, calendar)
            with step("indicators"):
                load_council_indicators(council, plan, words, calendar)
            with step("progress updates"):
                actions = list(
                    Action.objects.filter(objective__plan=plan)
                    .select_related("objective")
                    .prefetch_related("owners", "objective__responsible_posts")
                    .order_by("objective__position", "position", "reference")
                )
                updates = plan_progress(council, actions, holders, meetings, calendar)
                write_progress(updates, actions)
            with step("audits, assessments, recommendations"):
                record_audits(council, plan, calendar)
                record_assessments(council, plan, meetings, holders, calendar)
                play_recommendations(council, plan, meetings, holders, calendar)
        with step("counting"):
            counts = count_rows()
    with step("statistics"):
        refresh_statistics()
    return ScaleReport(plans=[reference for _, reference in names], counts=counts, seconds=seconds)
