"""Loading a council's plan, posts, meetings and indicators through the app, with the history
they write moved to the moment the story says it happened."""

import random
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import Max

from bench.scale.council import Council, plan_sheets
from bench.scale.story import StoryCalendar, at, working_day_on_or_after
from bench.scale.words import DEPUTY_POST, DemoWords
from demo.loading import add_months
from indicators.importers import INDICATOR_SHEETS, load_indicators, parse_indicators
from indicators.models import IndicatorValue
from plans.importers import import_plan_file
from plans.models import BoardMeeting, Plan, Post
from plans.spreadsheets import read_sheets
from plans.workbook import write_xlsx


def history_models() -> list:
    """Every history model of every app (simple-history's, which have a history_date)."""
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and hasattr(model, "history_date")
    ]


@contextmanager
def happening_at(moment: datetime):
    """Run app code that writes history "now", then date the history rows it wrote at `moment`.

    Yields `written(model)`: the history rows of `model` written inside the block, for callers
    that date some of them differently. History ids only grow, so "written inside the block" is
    "with a history id above the highest before it", whatever the rows' dates.
    """
    before = {
        model: model.objects.aggregate(last=Max("history_id"))["last"] or 0
        for model in history_models()
    }

    def written(model):
        history = model.history.model
        return history.objects.filter(history_id__gt=before[history])

    yield written
    for model, last in before.items():
        model.objects.filter(history_id__gt=last).update(history_date=moment)


# ---------------------------------------------------------------------------------------------
# Loading a council's plan, posts, meetings and indicators through the app


def import_plan(council: Council, words: DemoWords, calendar: StoryCalendar) -> Plan:
    """Import the plan workbook as its performance manager, two years back."""
    content = write_xlsx(plan_sheets(council, words, calendar))
    with happening_at(calendar.loaded_at):
        summary = import_plan_file(
            filename=f"{council.reference}.xlsx", content=content, by=council.users["performance"]
        )
    return summary.plan


def set_up_posts(council: Council, plan: Plan, calendar: StoryCalendar) -> dict[str, Post]:
    """Name each post's holders and escalation contact (the Deputy Director) and each area's
    lead, as the performance manager does in the admin just after the import."""
    moment = calendar.loaded_at + timedelta(minutes=15)
    manager = council.users["performance"]
    posts = {post.name: post for post in Post.objects.filter(name__in=council.holders)}
    deputy = posts[council.post(DEPUTY_POST)]
    for name in sorted(posts):
        post = posts[name]
        post._history_user, post._history_date = manager, moment
        if post != deputy:
            post.escalation_contact = deputy
            post.save()
        post.holders.add(*council.holders[name])
    responsible = Counter(
        (objective.priority_area_id, post.name)
        for objective in plan.objectives.prefetch_related("responsible_posts")
        for post in objective.responsible_posts.all()
    )
    for area in plan.priority_areas.all():
        counts = [(n, name) for (area_id, name), n in responsible.items() if area_id == area.pk]
        if counts:
            area.lead = posts[max(counts)[1]]  # the most often responsible (ties: by name)
            area._history_user, area._history_date = manager, moment
            area.save()
    return posts


@dataclass(frozen=True)
class HolderChange:
    moment: datetime
    post: str
    leaving: User
    joining: User


def change_holders(council: Council, posts: dict[str, Post], calendar: StoryCalendar):
    """One post in eight changes hands during the two years: a joiner takes over from one of
    its holders. The post's history keeps who held it when."""
    rng = council.rng("holder changes")
    changes = []
    days = (calendar.until - calendar.loaded_at).days
    changing = rng.sample(council.post_names, len(council.joiners))
    for name, joining in zip(sorted(changing), council.joiners, strict=True):
        day = calendar.loaded_day + timedelta(days=rng.randint(90, days - 30))
        moment = at(working_day_on_or_after(day), rng.randint(9, 16))
        leaving = rng.choice(council.holders[name])
        post = posts[name]
        post._history_user, post._history_date = council.users["performance"], moment
        post.holders.remove(leaving)
        post.holders.add(joining)
        changes.append(HolderChange(moment, name, leaving, joining))
    return changes


def holders_at(council: Council, changes: list[HolderChange]):
    """A function (post name, moment) -> the post's holders then."""
    by_post = defaultdict(list)
    for change in sorted(changes, key=lambda c: c.moment):
        by_post[change.post].append(change)

    def holders(name: str, moment: datetime) -> list[User]:
        people = list(council.holders[name])
        for change in by_post.get(name, []):
            if change.moment <= moment:
                people = [p for p in people if p != change.leaving] + [change.joining]
        return sorted(people, key=lambda user: user.username)

    return holders


def schedule_meetings(council: Council, plan: Plan, calendar: StoryCalendar) -> list[BoardMeeting]:
    """Record the council's board and panel meetings, each when it was scheduled."""
    meetings = []
    for meeting in calendar.meetings(council.number):
        row = BoardMeeting(
            plan=plan, committee=meeting.committee, date=meeting.date,
            papers_due=meeting.papers_due,
        )  # fmt: skip
        row._history_user = council.users["performance"]
        row._history_date = meeting.scheduled_at
        row.save()
        meetings.append(row)
    return meetings


def _quantize(value: float, unit: str) -> Decimal:
    return Decimal(str(round(value))) if unit == "Number" else Decimal(f"{value:.1f}")


def _figure_series(rng: random.Random, row: dict, months: list[date]) -> list[float]:
    """Monthly figures: a level that wanders (4% a month) and slowly improves where the papers
    say which way is better; year-to-date indicators add up from April."""
    unit, upper = row["Unit"], row.get("Upper target")
    polarity = (row.get("Polarity") or "").lower()
    better = 1 if polarity.startswith("higher") else -1 if polarity.startswith("lower") else 0
    base = row.get("first") or (float(upper) if upper else None)
    if base is None:
        base = {"Percentage": rng.uniform(40, 85), "Rate per 10,000": rng.uniform(30, 400)}.get(
            unit, rng.uniform(20, 900)
        )
    level = float(base) * rng.uniform(0.85, 1.1)
    cap = 100.0 if unit == "Percentage" else None
    ytd = row["Period type"] == "Year to date"
    if ytd and row.get("first"):
        level = float(row["first"])  # the demo's first figure is April's: one month's worth
    series, total = [], 0.0
    for month in months:
        level *= 1 + better * 0.004 + rng.gauss(0, 0.04)
        level = max(0.0, min(cap, level) if cap else level)
        total = (0.0 if month.month == 4 else total) + level
        series.append(total if ytd else level)
    return series


def indicator_sheets(council: Council, words: DemoWords, calendar: StoryCalendar):
    """The council's indicators as the indicator template (docs/indicator-template.md): the
    demo's measures under the council's own references, 36 months of figures, targets (some
    with a minimum or a tolerance), benchmarks; and the same sheet with next year's targets."""
    rng = council.rng("indicators")
    rows = []
    demo = words.indicators[:]
    rng.shuffle(demo)
    for index in range(council.size.indicators):
        row = dict(demo[index % len(demo)])
        suffix = f"-{index // len(demo) + 1}" if index >= len(demo) else ""
        row["Reference"] = f"S{council.number:02d}-{row['Reference']}{suffix}"
        if not row.get("Priority areas"):
            row["Priority areas"] = rng.choice(words.areas)["reference"]
        upper = row.get("Upper target")
        if upper and row.get("Polarity") and not row.get("Tolerance"):
            lower = str(row["Polarity"]).lower().startswith("lower")
            if rng.random() < 0.25:  # a corporate minimum beside the target
                row["Minimum"] = round(float(upper) * (1.1 if lower else 0.9), 1)
            elif rng.random() < 0.15:
                row["Tolerance"] = round(float(upper) * 0.05, 1)
        rows.append(row)
    columns = INDICATOR_SHEETS["Indicators"]
    months = calendar.figure_months()
    values = [INDICATOR_SHEETS["Values"]]
    benchmarks = [INDICATOR_SHEETS["Benchmarks"]]
    first_year = months[0].year if months[0].month >= 4 else months[0].year - 1
    years = [f"{y}-{(y + 1) % 100:02d}" for y in (first_year - 2, first_year - 1)]
    for row in rows:
        series = _figure_series(rng, row, months)
        with_fraction = row["Unit"] == "Percentage" and rng.random() < 0.5
        for month, figure in zip(months, series, strict=True):
            note, numerator, denominator = "", None, None
            if rng.random() < 0.02:
                values.append([row["Reference"], month, "TBC", None, None, "Not yet validated"])
                continue
            value = _quantize(figure, row["Unit"])
            if with_fraction:
                denominator = rng.randint(40, 400)
                numerator = round(float(value) * denominator / 100)
                value = Decimal(f"{numerator * 100 / denominator:.1f}")
            if rng.random() < 0.03:
                note = "Provisional: data quality checks outstanding."
            values.append([row["Reference"], month, value, numerator, denominator, note])
        comparators = [("Outturn", years[0]), ("Outturn", years[1])] + [
            (kind, years[1]) for kind in ("Statistical neighbours", "South East", "England")
        ]
        for kind, year in comparators:
            figure = _quantize(series[0] * rng.uniform(0.8, 1.2), row["Unit"])
            benchmarks.append([row["Reference"], kind, year, figure])
    grid = [columns] + [[row.get(column) for column in columns] for row in rows]
    next_year = [columns]
    for row in rows:
        row = dict(row)
        if row.get("Upper target") and rng.random() < 0.3:
            lower = str(row.get("Polarity") or "").lower().startswith("lower")
            target = float(row["Upper target"]) * (0.95 if lower else 1.05)
            if row["Unit"] == "Percentage":
                target = min(target, 100.0)
            row["Upper target"] = round(target, 1)
            percent = "%" if row["Unit"] == "Percentage" else ""
            row["Target as written"] = f"{row['Upper target']:g}{percent}"
            if row.get("Minimum") is not None:
                row["Minimum"] = round(target * (1.1 if lower else 0.9), 1)
        next_year.append([row.get(column) for column in columns])
    first = {"Indicators": grid, "Values": values, "Benchmarks": benchmarks}
    second = {
        "Indicators": next_year,
        "Values": [INDICATOR_SHEETS["Values"]],
        "Benchmarks": [INDICATOR_SHEETS["Benchmarks"]],
    }
    return first, second


def load_council_indicators(council: Council, plan: Plan, words, calendar):
    """Load the indicators when the plan goes in (each month's figures dated when they were
    published) and, a year later, next year's targets."""
    first, second = indicator_sheets(council, words, calendar)
    manager = council.users["performance"]
    name = f"{council.reference}-indicators.xlsx"
    with happening_at(calendar.loaded_at + timedelta(hours=1)) as written:
        data = parse_indicators(read_sheets(name, write_xlsx(first)), plan=plan)
        load_indicators(data=data, plan=plan, by=manager)
        values = written(IndicatorValue)
    for month in calendar.figure_months():
        values.filter(month=month).update(history_date=calendar.figures_published(month))
    targets_at = at(working_day_on_or_after(add_months(calendar.loaded_day, 12)), 10)
    if targets_at <= calendar.until:
        with happening_at(targets_at):
            data = parse_indicators(read_sheets(name, write_xlsx(second)), plan=plan)
            load_indicators(data=data, plan=plan, by=manager)
