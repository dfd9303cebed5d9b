"""Synthetic data at scale, for benchmarks (issue 8): `manage.py generate_scale_data`.

One *council* is one plan of the standard size: 10 priority areas, about 62 objectives and 250
actions, 30 posts, 40 indicators with 36 monthly values, about 20 recommendations, and two years
of history in which heads of service update their actions in fortnightly rounds (about 6,000
progress updates). `--scale` says how many councils' worth to make, `--plans` over how many
plans (`plan_sizes`).

The data is written the way the app writes it, because every report rebuilds the past from the
django-simple-history tables (plans/as_at.py):

- the plan goes in through the import template (plans.importers), the indicators through the
  indicator template (plans.indicator_import), recommendations through plans.recommendations,
  and posts, meetings, audit results and area assessments through their models' save(). The
  importers write their history "now", so `happening_at` moves the history rows they wrote to the
  moment the story says it happened; save() takes the moment itself (`_history_date`).
- progress updates, 60,000 at scale 10, are too many for plans.progress one at a time (each is a
  transaction of five queries), so `write_progress` writes what plans.progress._record writes, in
  bulk: the ProgressUpdate rows, the action's history row each one implies (with its copy of the
  action's owners) and each action's latest state. Every update is first checked against the
  app's own rules (plans.progress.progress_problems).

The story (`StoryCalendar`): the plan is loaded two years before `today`; the Improvement Board
meets every other month and the Scrutiny Panel every third, papers due a week before, with the
next few meetings already scheduled; every fortnight each unfinished action's owner updates it
with a chance of UPDATE_CHANCE (BOARD_UPDATE_CHANCE in the round before a board's papers are
due), its status drifting as its due date comes and goes (`next_status`).

Every random choice comes from a random.Random seeded by --seed, the plan's number and what it
is for, and the texts come from the demo plan's own words (plans/demo) and the phrase banks
below, so the same arguments give the same data on every machine, on SQLite as on PostgreSQL.

Run it on a database of its own (the command refuses one that holds any plan):

    export DATABASE_URL=sqlite:///.tools/scale.sqlite3
    python manage.py migrate && python manage.py generate_scale_data --scale 10 [--plans 10]
        [--seed 1] [--today 2026-11-20]

Everything is written in one transaction, so a failure leaves the database as it was; then, on
PostgreSQL, the tables are analysed (`refresh_statistics`). Users get unusable passwords
(benchmarks sign in with force_login; set one in the admin to look around).
"""

import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from plans.demo import DEMO_INDICATOR_FILE, DEMO_PLAN_FILE, add_months
from plans.importers import import_plan_file
from plans.indicator_import import INDICATOR_SHEETS, load_indicators, parse_indicators
from plans.models import (
    Action,
    ActionStatus,
    AreaAssessment,
    AuditResult,
    Benchmark,
    BoardMeeting,
    Committee,
    Indicator,
    IndicatorValue,
    InspectionReference,
    Objective,
    PanelDecision,
    PanelDecisionKind,
    Partner,
    Plan,
    Post,
    PriorityArea,
    ProgressUpdate,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    RecommendationUpdate,
    RiskRating,
    SuccessCriterion,
)
from plans.progress import progress_problems
from plans.rag import Direction
from plans.recommendations import (
    recommendation_create,
    recommendation_record_decision,
    recommendation_record_update,
    recommendations_from_inspection_references,
)
from plans.roles import Role
from plans.workbook import PLAN_FIELDS, PLAN_SHEET, SHEETS, read_sheets, write_xlsx

# The chance that an unfinished action's owner updates it in a fortnightly round, and in the
# round before a board's papers are due (when the "update before the board" reminders go out).
# 52 rounds at 0.46 would be 24 updates an action if none were ever finished; completed actions
# get no more updates, so the chances are a little higher to give about 24 (6,000 a plan).
UPDATE_CHANCE = 0.5
BOARD_UPDATE_CHANCE = 0.8
HISTORY_YEARS = 2
MONTHS_OF_FIGURES = 36

# ---------------------------------------------------------------------------------------------
# Sizes


@dataclass(frozen=True)
class PlanSize:
    """How much one plan holds, as a multiple (`councils`) of the standard council-sized plan."""

    councils: float

    def scaled(self, standard: float, minimum: int) -> int:
        return max(minimum, round(standard * self.councils))

    @property
    def posts(self) -> int:  # including the Deputy Director and the Performance Manager
        return self.scaled(30, 8)

    @property
    def heads_of_service(self) -> int:
        return self.scaled(18, 4)

    @property
    def indicators(self) -> int:
        return self.scaled(40, 4)

    @property
    def findings(self) -> int:  # distinct inspection findings; about 12 citations
        return self.scaled(8, 2)

    @property
    def panel_recommendations(self) -> int:
        return self.scaled(12, 2)

    def objectives_in_area(self, rng: random.Random) -> int:
        """6 or 7 objectives a priority area (about 62 a plan), times the plan's size."""
        return max(1, round((7 if rng.random() < 0.2 else 6) * self.councils))


def plan_sizes(*, scale: float, plans: int) -> list[PlanSize]:
    """`scale` councils' worth of data split evenly over `plans` plans."""
    if scale <= 0 or plans < 1:
        raise ValueError("The scale must be above 0 and there must be at least one plan.")
    return [PlanSize(councils=scale / plans) for _ in range(plans)]


# ---------------------------------------------------------------------------------------------
# The story's calendar


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in London time."""
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def working_day_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekday_in_month(year: int, month: int, weekday: int, *, last: bool, nth: int = 1) -> date:
    if last:
        day = month_end(date(year, month, 1))
        return day - timedelta(days=(day.weekday() - weekday) % 7)
    day = date(year, month, 1)
    return day + timedelta(days=(weekday - day.weekday()) % 7 + 7 * (nth - 1))


@dataclass(frozen=True)
class Meeting:
    committee: str
    date: date
    papers_due: date
    scheduled_at: datetime  # when the performance manager recorded it


@dataclass(frozen=True)
class StoryCalendar:
    """The dates every plan's story shares, and each council's own meeting days."""

    today: date
    until: datetime  # nothing in the story happens after this moment
    loaded_at: datetime  # the plan, posts and first figures go in two years before `today`

    @classmethod
    def ending(cls, today: date) -> "StoryCalendar":
        until = at(today, 17, 30)
        if today == timezone.localdate():
            until = min(until, timezone.now() - timedelta(minutes=1))
        loaded_day = working_day_on_or_after(add_months(today, -12 * HISTORY_YEARS))
        return cls(today=today, until=until, loaded_at=at(loaded_day, 9))

    @property
    def loaded_day(self) -> date:
        return timezone.localdate(self.loaded_at)

    def rounds(self) -> list[date]:
        """The first day of each fortnightly update round since the plan was loaded."""
        days, day = [], self.loaded_day + timedelta(days=14)
        while day <= self.today:
            days.append(day)
            day += timedelta(days=14)
        return days

    def meetings(self, number: int) -> list[Meeting]:
        """Council `number`'s Improvement Boards (every other month, on the last Tuesday,
        Wednesday or Thursday) and Scrutiny Panels (every third month, on the second Tuesday),
        papers due a week before, up to four months ahead. Each is recorded six months before
        it meets (or when the plan is loaded)."""
        board_weekday = (1, 2, 3)[number % 3]
        meetings = []
        first = self.loaded_day.replace(day=1)
        for months in range(1, 12 * HISTORY_YEARS + 5):
            month = add_months(first, months)
            index = month.year * 12 + month.month
            kinds = []
            if index % 2 == number % 2:
                day = _weekday_in_month(month.year, month.month, board_weekday, last=True)
                kinds.append((Committee.IMPROVEMENT_BOARD, day))
            if index % 3 == number % 3:
                day = _weekday_in_month(month.year, month.month, 1, last=False, nth=2)
                kinds.append((Committee.SCRUTINY_PANEL, day))
            for committee, day in kinds:
                if day <= self.loaded_day + timedelta(days=7):
                    continue
                scheduled = max(self.loaded_at + timedelta(minutes=30), at(add_months(day, -6), 11))
                if scheduled <= self.until:
                    meetings.append(Meeting(committee, day, day - timedelta(days=7), scheduled))
        return sorted(meetings, key=lambda m: (m.date, m.committee))

    def figures_published(self, month: date) -> datetime:
        """When a month's indicator figures go in: the ninth working day or so of the next month;
        figures for months before the plan was loaded go in with it."""
        published = at(working_day_on_or_after(add_months(month, 1).replace(day=9)), 10)
        return max(published, self.loaded_at + timedelta(hours=1))

    def figure_months(self) -> list[date]:
        """The MONTHS_OF_FIGURES months up to the latest whose figures are out by `until`."""
        month = self.today.replace(day=1)
        while self.figures_published(month) > self.until:
            month = add_months(month, -1)
        return [add_months(month, -back) for back in reversed(range(MONTHS_OF_FIGURES))]


# ---------------------------------------------------------------------------------------------
# Words: the demo plan's own (plans/demo), and phrase banks for what happens over two years

COUNCIL_NAMES = [
    "Ashcombe", "Brackenfield", "Calderbridge", "Dunmere", "Eastwold", "Fernleigh", "Glenmoor",
    "Hartwell", "Ivybridge Vale", "Kingsmead", "Larkhill", "Marshbrook", "Northby", "Oakhampton",
    "Pennington", "Queensferry", "Redcliffe", "Stourbridge Weald", "Thornbury", "Upton Marsh",
    "Westerleigh", "Yarrowby",
]  # fmt: skip
FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Dan", "Elena", "Farah", "George", "Hannah", "Imran", "Jess",
    "Kwame", "Laura", "Mohammed", "Nina", "Owen", "Priya", "Rhys", "Sara", "Tom", "Uma",
    "Victor", "Wendy", "Yusuf", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Islam", "Jones",
    "Khan", "Lewis", "Morris", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
    "Walker", "Young",
]  # fmt: skip
DEPUTY_POST = "Deputy Director"
PERFORMANCE_POST = "Performance Manager"

COMMENTARY = {
    ActionStatus.NOT_STARTED: [
        "Not started yet: the work is planned to begin next quarter.",
        "Not started. Scoping is booked with the service managers.",
        "Not yet started; it follows on from the earlier actions in this objective.",
    ],
    ActionStatus.ON_TRACK: [
        "On track: the project group met this month and agreed the remaining steps.",
        "Work is under way and the next milestone is on schedule.",
        "Progressing as planned; the first review of its effect is booked.",
        "On track. Team managers have briefed their teams and practice is being checked in "
        "supervision.",
        "The new guidance is in use in most teams; the rest follow this month.",
        "On schedule: the audit programme includes this from next month.",
    ],
    ActionStatus.AT_RISK: [
        "At risk: two vacancies in the team have slowed the work. Agency cover starts next month.",
        "At risk while the system change is tested; a fallback plan is agreed.",
        "At risk: partner capacity over the summer has delayed the workshops.",
        "At risk because the training provider cancelled two sessions; new dates are being set.",
    ],
    ActionStatus.OFF_TRACK: [
        "Off track: the lead post was vacant for two months. A recovery plan is agreed.",
        "Off track: partner sign-off is delayed; escalated to the partnership board.",
        "Off track. The data needed is not yet reliable, so the change cannot be checked.",
        "Off track: demand at the front door took the team's capacity this month.",
    ],
    ActionStatus.COMPLETE: [
        "Complete. The evidence is filed with the performance team.",
        "Done and signed off at the service management meeting.",
        "Complete; the change is now part of routine practice and is checked in audits.",
        "Complete. The board will see the first results in the next performance report.",
    ],
}
COMMENTARY_DETAILS = [
    "",
    " {n} of {m} teams now work this way.",
    " {n} staff attended the briefings in {month}.",
    " The {month} audit looked at {m} cases.",
    " {n} actions from the last review remain open.",
    " Agreed at the service managers' meeting in {month}.",
]
COMMENTARY_FOLLOW_UPS = [
    "",
    " Next step: report back to the service leadership team.",
    " Staff feedback so far is positive.",
    " The QA unit will look at this in next month's audits.",
    " Partners have been updated at the partnership meeting.",
    " Figures will be in the next performance report.",
]
OVERDUE_NOTE = "Past its due date: "
REVISION_REASONS = [
    "The recovery plan needs more time after the delay described.",
    "The partner agencies asked to move the date to fit their own governance.",
    "Recruitment to the lead post took longer than planned.",
    "The system change this depends on was rescheduled by the supplier.",
]
PANEL_RECOMMENDATIONS = [
    ("Foster carer recruitment", "Report on the recruitment of in-house foster carers against "
     "the target of 15 new carers a year, with the reasons carers leave."),
    ("Caseloads of newly qualified social workers", "Bring caseloads of newly qualified social "
     "workers below 18 and report the figures by team each quarter."),
    ("Care leavers in suitable accommodation", "Set out how the service will raise the share "
     "of care leavers in suitable accommodation, with the housing partners' part in it."),
    ("Return home interviews", "Offer every child who goes missing a return home interview "
     "within 72 hours and report how many take it up."),
    ("Reliance on agency staff", "Present a workforce plan that reduces agency social workers "
     "to below 15% of posts."),
    ("The child's voice in plans", "Show through audits that children's views are recorded in "
     "their plans and make a difference to them."),
    ("Placement sufficiency", "Bring the sufficiency strategy to the panel with the number of "
     "children placed more than 20 miles from home."),
    ("Early help thresholds", "Brief schools and health partners on the early help threshold "
     "document and check that referrals reflect it."),
    ("Health checks for children in care", "Report the share of children in care with up to "
     "date health and dental checks, and what is done where they are late."),
    ("Plain language in pre-proceedings letters", "Audit pre-proceedings letters for plain "
     "language and share the findings with the legal team."),
    ("Supervision recording", "Make sure supervision is recorded on the child's file within "
     "five working days and report compliance."),
    ("Information sharing at the front door", "Agree with the police how domestic abuse "
     "notifications reach the front door within 24 hours."),
    ("Corporate parenting training", "Offer every councillor corporate parenting training "
     "within six months of election."),
    ("Exploitation risk assessments", "Report how many children at risk of exploitation have "
     "a completed risk assessment and a plan."),
]  # fmt: skip
ACTION_TAKEN = {
    RecommendationStatus.IN_PROGRESS: [
        "A lead officer is named and a task group has met twice.",
        "The work is scoped and a plan with dates is agreed with the service managers.",
        "Data for the baseline has been collected and shared with the panel's link member.",
    ],
    RecommendationStatus.PARTIALLY_COMPLETE: [
        "Most teams have put the change in place; two teams follow next quarter.",
        "The first report went to the leadership team; the quarterly reporting starts now.",
        "Training is delivered to managers; practitioners' sessions are under way.",
    ],
    RecommendationStatus.COMPLETE_PROPOSED: [
        "Complete: the change is in place and audits show it holding. Proposed for closure.",
        "Done: the report was presented and the figures are now in the performance pack.",
        "Complete. The evidence is in the panel's papers; officers propose it be closed.",
    ],
    RecommendationStatus.REJECTED: [
        "The cabinet member has decided not to carry this out: the cost cannot be met this year "
        "and the aim is covered by the workforce plan.",
    ],
}
NOT_ACCEPTED_REASONS = [
    "The panel wants to see two more quarters of figures before closing it.",
    "The audit evidence covers only some teams; bring the rest to the next meeting.",
    "Members asked for the partners' view before accepting it as complete.",
]
ASSESSMENT_ANALYSIS = [
    "Most actions due so far are done. The overdue ones share one cause, staffing, and each has "
    "a recovery plan with a revised date.",
    "Audits show practice improving but not yet consistently good; the trend is in the right "
    "direction.",
    "Progress has stalled in two teams while managers were recruited; both posts are now filled.",
]
ASSESSMENT_NEXT_STEPS = [
    "Review the recovery plans at the next management meeting and report back to the board.",
    "Repeat the themed audit next quarter and share its learning with every team.",
    "Agree with partners what is needed to close the remaining actions by the revised dates.",
]
FINDINGS = [
    "Ensure that assessments and plans are of a high quality so that children get the right "
    "help quickly.",
    "Improve the quality and consistency of management oversight and supervision.",
    "Make sure children in care have permanence plans in place without delay.",
    "Strengthen the response to children who go missing, including return home interviews.",
    "Improve the timeliness of initial health assessments for children in care.",
    "Ensure that care leavers live in suitable accommodation and are supported into work.",
    "Reduce caseloads so that social workers can build relationships with children.",
    "",  # cited without its words
]


@dataclass(frozen=True)
class DemoWords:
    """Texts taken from the demo plan and indicators, by priority area where they have one."""

    areas: list[dict]  # reference, title, assurance, linked plans
    objectives: dict[str, list[dict]]  # area reference -> differently, outcome, partners
    actions: dict[str, list[str]]  # area reference -> action texts
    plain_criteria: list[str]
    post_titles: list[str]  # every demo post but the Deputy Director and Performance Manager
    indicators: list[dict]  # the demo indicator rows, with their first figure if any


@cache
def demo_words() -> DemoWords:
    """Read the demo workbooks once."""
    plan = read_sheets(DEMO_PLAN_FILE.name, DEMO_PLAN_FILE.read_bytes())
    text = lambda value: "" if value is None else str(value).strip()  # noqa: E731
    areas = [
        {
            "reference": text(row.cells["Reference"]),
            "title": text(row.cells["Title"]),
            "assurance": text(row.cells["How we will provide assurance"]),
            "linked": text(row.cells["Linked service delivery plans"]),
        }
        for row in plan["Priority areas"].rows
    ]
    area_of_objective, objectives = {}, defaultdict(list)
    for row in plan["Objectives"].rows:
        area = text(row.cells["Priority area"])
        area_of_objective[text(row.cells["Reference"])] = area
        objectives[area].append(
            {
                "differently": text(row.cells["What we want to do differently or better"]),
                "outcome": text(row.cells["The outcome we want to achieve"]),
                "partners": text(row.cells["Key partners"]),
            }
        )
    actions = defaultdict(list)
    for row in plan["Actions"].rows:
        actions[area_of_objective[text(row.cells["Objective"])]].append(text(row.cells["Action"]))
    plain = [
        text(row.cells["Criterion"])
        for row in plan["Success criteria"].rows
        if not text(row.cells["Direction"])
    ]
    posts = [
        text(row.cells["Post"])
        for row in plan["Posts"].rows
        if text(row.cells["Post"]) not in (DEPUTY_POST, PERFORMANCE_POST)
    ]
    indicator_book = read_sheets(DEMO_INDICATOR_FILE.name, DEMO_INDICATOR_FILE.read_bytes())
    first_figure = {}
    for row in indicator_book["Values"].rows:
        value = row.cells.get("Value")
        if isinstance(value, int | float):
            first_figure.setdefault(text(row.cells["Indicator"]), value)
    indicators = [
        dict(row.cells, first=first_figure.get(text(row.cells["Reference"])))
        for row in indicator_book["Indicators"].rows
    ]
    return DemoWords(areas, dict(objectives), dict(actions), plain, posts, indicators)


class Drawer:
    """Draws texts from a list in a shuffled order, starting again when it runs out."""

    def __init__(self, texts: list, rng: random.Random):
        self.texts, self.rng, self.queue = list(texts), rng, []

    def draw(self):
        if not self.queue:
            self.queue = self.texts[:]
            self.rng.shuffle(self.queue)
        return self.queue.pop()


# ---------------------------------------------------------------------------------------------
# A council: its people, posts and plan workbook


@dataclass
class Council:
    """One plan and the people and posts of the council that runs it."""

    number: int
    size: PlanSize
    seed: int
    name: str = ""
    reference: str = ""
    users: dict[str, User] = field(default_factory=dict)  # by role key: performance, chair ...
    heads: list[User] = field(default_factory=list)
    joiners: list[User] = field(default_factory=list)
    post_names: list[str] = field(default_factory=list)
    holders: dict[str, list[User]] = field(default_factory=dict)  # post name -> holders at load
    area_posts: dict[str, list[str]] = field(default_factory=dict)  # area -> posts it leans on

    def rng(self, purpose: str) -> random.Random:
        """A random stream for one purpose, so adding a step never changes another's data."""
        return random.Random(f"{self.seed}/{self.number}/{purpose}")  # noqa: S311 (not secret)

    def post(self, title: str) -> str:
        """A post's name: unique across plans, so prefixed by the council."""
        return f"{self.name} {title}"


def name_councils(count: int, width: int) -> list[tuple[str, str]]:
    """(name, plan reference) for each council: the name bank, then numbered repeats."""
    names = []
    for index in range(count):
        name = COUNCIL_NAMES[index % len(COUNCIL_NAMES)]
        if index >= len(COUNCIL_NAMES):
            name = f"{name} {index // len(COUNCIL_NAMES) + 1}"
        names.append((name, f"scale-{index + 1:0{width}d}"))
    return names


def create_people(council: Council, calendar: StoryCalendar):
    """The council's users: a performance manager, two board members, a panel clerk, the
    deputy director, heads of service, and a few who join later to take over a post. Their
    passwords are unusable (set one in the admin, or sign in with force_login in benchmarks)."""
    rng = council.rng("people")
    prefix = council.reference  # usernames are the plan's reference and the role
    roles = {
        "performance": Role.PERFORMANCE_MANAGER,
        "chair": Role.BOARD_MEMBER,
        "board": Role.BOARD_MEMBER,
        "clerk": Role.PANEL_CLERK,
        "deputy": Role.HEAD_OF_SERVICE,
    }
    keys = list(roles)
    keys += [f"hos{n:02d}" for n in range(1, council.size.heads_of_service + 1)]
    keys += [f"joiner{n:02d}" for n in range(1, max(1, council.size.posts // 8) + 1)]
    password = make_password(None)
    users = [
        User(
            username=f"{prefix}.{key}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"{prefix}.{key}@example.org",
            password=password,
            date_joined=calendar.loaded_at,
        )
        for key in keys
    ]
    User.objects.bulk_create(users)
    saved = User.objects.filter(username__in=[user.username for user in users])
    users = {user.username.removeprefix(f"{prefix}."): user for user in saved}
    groups = {group.name: group for group in Group.objects.all()}
    memberships = [
        User.groups.through(
            user_id=user.pk, group_id=groups[roles.get(key, Role.HEAD_OF_SERVICE).value].pk
        )
        for key, user in users.items()
    ]
    User.groups.through.objects.bulk_create(memberships)
    council.users = {key: users[key] for key in roles}
    council.heads = [users[key] for key in keys if key.startswith("hos")]
    council.joiners = [users[key] for key in keys if key.startswith("joiner")]


def choose_posts(council: Council, words: DemoWords):
    """The council's posts and who holds each when the plan is loaded: every head of service
    holds at least one post, some posts have two holders."""
    rng = council.rng("posts")
    titles = Drawer(words.post_titles, rng)
    wanted = council.size.posts - 2
    seen = Counter()
    names = []
    for _ in range(wanted):
        title = titles.draw()
        seen[title] += 1
        names.append(council.post(title if seen[title] == 1 else f"{title} {seen[title]}"))
    names.sort()
    heads = council.heads[:]
    rng.shuffle(heads)
    holders = {name: [heads[index % len(heads)]] for index, name in enumerate(names)}
    for name in names:
        if rng.random() < 0.3:
            second = rng.choice(council.heads)
            if second not in holders[name]:
                holders[name].append(second)
    holders[council.post(DEPUTY_POST)] = [council.users["deputy"]]
    holders[council.post(PERFORMANCE_POST)] = [council.users["performance"]]
    council.post_names = names
    council.holders = holders
    areas = [area["reference"] for area in words.areas]
    council.area_posts = {area: rng.sample(names, min(4, len(names))) for area in areas}


def _criterion_rows(rng, reference, plain: Drawer) -> list[list]:
    """0-2 success criteria for an objective: banded audit grades (higher is better), a banded
    lower-is-better share of audits, and plain statements."""
    rows = []
    roll = rng.random()
    if roll < 0.42:
        red, amber, green = rng.choice([(50, 60, 70), (55, 65, 75), (60, 70, 80)])
        rows.append(
            ["Audits rated good or outstanding", "%", "Higher is better", red, amber, green]
        )
    elif roll < 0.5:
        red, amber, green = rng.choice([(30, 20, 10), (25, 15, 5)])
        rows.append(
            ["Audited cases with drift in the child's plan", "%", "Lower is better", red, amber,
             green]
        )  # fmt: skip
    if rng.random() < 0.45:
        rows.append([plain.draw(), "", None, None, None, None])
    return [[f"{reference}-{'abcd'[index]}", reference, *row] for index, row in enumerate(rows)]


def plan_sheets(council: Council, words: DemoWords, calendar: StoryCalendar) -> dict:
    """The plan as the import template's sheets (docs/import-template.md)."""
    rng = council.rng("plan")
    start = calendar.loaded_day
    first_year = start.year if start.month >= 4 else start.year - 1
    period = f"{first_year}–{(first_year + 3) % 100:02d}"
    chair, board = council.users["chair"], council.users["board"]
    plan_values = {
        "Reference": council.reference,
        "Title": f"{council.name} Children's Services Improvement Plan {period}",
        "Organisation": f"{council.name} Council Children's Services",
        "Period": period,
        "Vision": "Every child in the borough gets the right help at the right time, from "
        "practitioners who know them well.",
        "Governance": "The Improvement Board meets every two months and reports to the council's "
        "cabinet; the Scrutiny Panel tracks its own recommendations.",
        "Board membership": f"{chair.get_full_name()} (chair)\n{board.get_full_name()}\n"
        "Police: Detective Superintendent\nHealth: Designated Nurse\nDfE Improvement Adviser",
        "Published": start,
    }
    sheets = {name: [columns] for name, columns in SHEETS.items()}
    sheets[PLAN_SHEET] += [[name, plan_values[name]] for name in PLAN_FIELDS]
    sheets["Priority areas"] += [
        [area["reference"], area["title"], area["assurance"], area["linked"]]
        for area in words.areas
    ]
    special = {DEPUTY_POST: "Escalation contact for overdue actions.", PERFORMANCE_POST: ""}
    sheets["Posts"] += [[name, ""] for name in council.post_names]
    sheets["Posts"] += [[council.post(title), text] for title, text in special.items()]

    size = council.size
    objective_texts = {a: Drawer(words.objectives.get(a, []), rng) for a in council.area_posts}
    all_actions = [text for texts in words.actions.values() for text in texts]
    action_texts = {a: Drawer(words.actions.get(a) or all_actions, rng) for a in council.area_posts}
    plain = Drawer(words.plain_criteria, rng)
    for area in words.areas:
        area_ref = area["reference"]
        for number in range(1, size.objectives_in_area(rng) + 1):
            reference = f"{area_ref}.{number}"
            texts = objective_texts[area_ref].draw()
            posts = _responsible_posts(council, area_ref, rng)
            first, second, note, deadline = _target_dates(rng, start)
            sheets["Objectives"].append([
                reference, area_ref, "; ".join(posts),
                " / ".join(name.removeprefix(f"{council.name} ") for name in posts),
                texts["differently"], texts["outcome"], first, second, note, texts["partners"],
            ])  # fmt: skip
            for step in range(1, rng.choice([3, 4, 4, 4, 5]) + 1):
                owners = rng.sample(posts, 1) if rng.random() < 0.3 else []
                if owners and rng.random() < 0.3:
                    owners.append(rng.choice(council.area_posts[area_ref]))
                sheets["Actions"].append([
                    f"{reference}.{step}", reference, action_texts[area_ref].draw(),
                    "; ".join(dict.fromkeys(owners)), _action_due(rng, start, deadline), None,
                ])  # fmt: skip
            sheets["Success criteria"] += _criterion_rows(rng, reference, plain)
    sheets["Inspection references"] += _inspection_rows(council, sheets["Objectives"], start)
    return sheets


def _responsible_posts(council: Council, area: str, rng: random.Random) -> list[str]:
    """1-2 posts, mostly those the area leans on; now and then the performance manager's."""
    pool = council.area_posts[area] if rng.random() < 0.85 else council.post_names
    posts = rng.sample(pool, 2 if rng.random() < 0.35 else 1)
    if rng.random() < 0.08:
        posts[-1] = council.post(PERFORMANCE_POST)
    return list(dict.fromkeys(posts))


def _target_dates(rng: random.Random, start: date):
    """(target date, second target date, note, deadline): most objectives end at a month end
    12 to 45 months after the plan starts; some have two dates; some are ongoing."""
    roll = rng.random()
    if roll < 0.08:
        return None, None, "Ongoing", None
    months = rng.randint(12, 45)
    deadline = month_end(add_months(start, months))
    if roll < 0.16:
        return month_end(add_months(start, months - 6)), deadline, "", deadline
    return deadline, None, "", deadline


def _action_due(rng: random.Random, start: date, deadline: date | None) -> date | None:
    """Most actions have their own due date at a month end before the objective's; some are due
    by the objective's date (blank); an ongoing objective's actions are half ongoing."""
    if deadline is None:
        return month_end(add_months(start, rng.randint(6, 30))) if rng.random() < 0.5 else None
    if rng.random() < 0.12:
        return None
    months = (deadline.year - start.year) * 12 + deadline.month - start.month
    return month_end(add_months(start, rng.randint(max(3, months - 12), months)))


def _inspection_rows(council: Council, objective_rows: list[list], start: date) -> list[list]:
    """Inspection findings cited by the plan's objectives: each finding cited by 1-3 objectives
    (with the same words), some cited without their words."""
    rng = council.rng("findings")
    objectives = [row[0] for row in objective_rows[1:]]
    rows, used = [], set()
    for index in range(council.size.findings):
        words = FINDINGS[index % len(FINDINGS)]
        core = index % 3 == 0
        year = start.year - (3 if core else 1)
        kind = "Core recommendation" if core else "Area for improvement"
        citing = rng.sample(objectives, min(len(objectives), rng.choice([1, 1, 2, 2, 3])))
        for objective in sorted(citing):
            reference = f"{objective}-ofsted-{year}"
            while (objective, reference) in used:
                reference += "b"
            used.add((objective, reference))
            rows.append([reference, objective, "Ofsted", str(year), kind, words])
    return rows


# ---------------------------------------------------------------------------------------------
# History: moving what the app wrote "now" to the story's moment


def history_models() -> list:
    return [
        model
        for model in apps.get_app_config("plans").get_models()
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


# ---------------------------------------------------------------------------------------------
# Progress updates: the story, checked against the app's rules, written in bulk


@dataclass
class PlannedUpdate:
    """One progress update, as plans.progress._record would save it."""

    action: Action
    moment: datetime
    by: User
    status: str
    commentary: str
    revised_due_date: date | None
    revision_reason: str
    evidence_link: str
    version: int = 0  # set when applied to the action
    state: dict = field(default_factory=dict)  # the action's history row at this moment


def next_status(action: Action, day: date, rng: random.Random, *, started: date, revisions: int):
    """The status an owner reports on `day`, and a revised due date (with its reason) or None.

    Before the work starts: not started. Near or past its deadline an action is mostly
    completed (more likely when it was on track); an overdue one not completed is off track,
    and now and then its owner revises the date. Otherwise the status drifts between on track,
    at risk and off track.
    """
    status = action.status
    if day < started and status == ActionStatus.NOT_STARTED:
        return ActionStatus.NOT_STARTED, None, ""
    deadline = action.deadline
    roll = rng.random()
    if deadline is not None and (deadline - day).days <= 21:
        overdue = deadline < day
        complete = {
            ActionStatus.ON_TRACK: 0.6, ActionStatus.AT_RISK: 0.4,
            ActionStatus.OFF_TRACK: 0.25, ActionStatus.NOT_STARTED: 0.1,
        }[status] + (0.1 if overdue else 0)  # fmt: skip
        if roll < complete:
            return ActionStatus.COMPLETE, None, ""
        if overdue:
            if revisions < 2 and rng.random() < 0.25:
                revised = month_end(add_months(day, rng.choice([1, 2, 3])))
                return ActionStatus.OFF_TRACK, revised, rng.choice(REVISION_REASONS)
            return ActionStatus.OFF_TRACK, None, ""
        return (ActionStatus.AT_RISK if rng.random() < 0.6 else ActionStatus.OFF_TRACK), None, ""
    if deadline is not None and (deadline - day).days <= 60 and status == ActionStatus.ON_TRACK:
        if roll < 0.08:
            return ActionStatus.COMPLETE, None, ""
    drift = {
        ActionStatus.NOT_STARTED: [(0.8, ActionStatus.ON_TRACK), (0.95, ActionStatus.AT_RISK)],
        ActionStatus.ON_TRACK: [(0.86, ActionStatus.ON_TRACK), (0.98, ActionStatus.AT_RISK)],
        ActionStatus.AT_RISK: [(0.35, ActionStatus.ON_TRACK), (0.85, ActionStatus.AT_RISK)],
        ActionStatus.OFF_TRACK: [(0.1, ActionStatus.ON_TRACK), (0.45, ActionStatus.AT_RISK)],
    }[status]
    for limit, outcome in drift:
        if roll < limit:
            return outcome, None, ""
    return ActionStatus.OFF_TRACK, None, ""


def _commentary(rng: random.Random, status: str, *, overdue: bool, day: date) -> str:
    """An opening for the status, now and then a detail with figures, and a next step."""
    if status == ActionStatus.ON_TRACK and not overdue and rng.random() < 0.05:
        return ""  # the form allows an on-track update without words
    m = rng.randint(4, 30)
    detail = rng.choice(COMMENTARY_DETAILS).format(
        n=rng.randint(1, m), m=m, month=f"{add_months(day, -rng.randint(0, 1)):%B}"
    )
    words = rng.choice(COMMENTARY[status]) + detail + rng.choice(COMMENTARY_FOLLOW_UPS)
    return OVERDUE_NOTE + words[0].lower() + words[1:] if overdue else words


def _update_day(rng, round_day: date, papers_due: date | None) -> date:
    """A working day in the round's first week (by the papers' due date in a board round)."""
    last = round_day + timedelta(days=6)
    if papers_due is not None:
        last = min(last, papers_due)
    days = [
        round_day + timedelta(days=n)
        for n in range((last - round_day).days + 1)
        if (round_day + timedelta(days=n)).weekday() < 5
    ]
    return rng.choice(days or [round_day])


def plan_progress(
    council: Council, actions: list[Action], holders, meetings: list[BoardMeeting],
    calendar: StoryCalendar,
) -> list[PlannedUpdate]:  # fmt: skip
    """Play the fortnightly rounds: each unfinished action's owner (the first holder of a post
    owning it, at that moment) updates it with UPDATE_CHANCE, or BOARD_UPDATE_CHANCE when a
    board's papers are due within the round, times the post's diligence. Each update is checked
    with the app's rules (plans.progress.progress_problems) and applied to the in-memory action,
    which the next round reads."""
    rng = council.rng("progress")
    # Some posts update more than most, a few are stretched and update less.
    diligence = {
        name: rng.choices([1.0, 1.25, 0.45], weights=[7, 2, 1])[0]
        for name in [*council.post_names, council.post(PERFORMANCE_POST)]
    }
    papers = sorted(m.papers_due for m in meetings if m.committee == Committee.IMPROVEMENT_BOARD)
    started = {}
    for action in actions:
        latest = calendar.loaded_day + timedelta(days=rng.randint(0, 120))
        deadline = action.deadline
        started[action.pk] = min(latest, deadline - timedelta(days=30)) if deadline else latest
    updates, revisions = [], Counter()
    for round_day in calendar.rounds():
        due = next((p for p in papers if round_day <= p < round_day + timedelta(days=14)), None)
        chance = BOARD_UPDATE_CHANCE if due else UPDATE_CHANCE
        for action in actions:
            owners = [post.name for post in action.responsible_posts()]
            if action.status == ActionStatus.COMPLETE:
                continue
            if rng.random() >= min(0.95, chance * diligence[owners[0]]):
                continue
            day = _update_day(rng, round_day, due)
            moment = at(day, 8, 30) + timedelta(minutes=rng.randrange(0, 540))
            if moment > calendar.until:
                continue
            people = [person for name in owners for person in holders(name, moment)]
            if not people:
                continue
            status, revised, reason = next_status(
                action, day, rng, started=started[action.pk], revisions=revisions[action.pk]
            )
            overdue = action.is_overdue(day) and revised is None
            update = PlannedUpdate(
                action=action, moment=moment, by=people[0], status=status,
                commentary=_commentary(
                    rng, status, overdue=overdue and status != ActionStatus.COMPLETE, day=day
                ),
                revised_due_date=revised, revision_reason=reason,
                evidence_link=(
                    f"https://intranet.example.org/{council.reference}/evidence/"
                    f"{action.objective.reference}/{action.reference}"
                    if status == ActionStatus.COMPLETE and rng.random() < 0.5 else ""
                ),
            )  # fmt: skip
            problems = progress_problems(
                action=action, status=status, commentary=update.commentary,
                revised_due_date=revised, revision_reason=reason, today=day,
            )  # fmt: skip
            if problems:
                raise AssertionError(f"The story broke the app's rules for {action}: {problems}")
            _apply(action, update)
            revisions[action.pk] += bool(revised)
            updates.append(update)
    return updates


def _apply(action: Action, update: PlannedUpdate):
    """Move the action's current state to the update, as plans.progress._record does."""
    action.version += 1
    action.status = update.status
    action.commentary = update.commentary.strip()
    if update.revised_due_date:
        action.revised_due_date = update.revised_due_date
        action.revision_reason = update.revision_reason.strip()
    action.last_updated_at = update.moment
    action.last_updated_by = update.by
    update.version = action.version
    # The history row of this moment: the action's whole state, as save() would copy it.
    update.state = {f.attname: getattr(action, f.attname) for f in _tracked_action_fields()}


@cache
def _tracked_action_fields():
    return tuple(Action.history.model.tracked_fields)


def write_progress(updates: list[PlannedUpdate], actions: list[Action]):
    """Write the updates in bulk, exactly as plans.progress._record would one by one: each
    ProgressUpdate, the action's history row it implies (history_type "~", dated when the update
    was made, by its author) with a copy of the action's owners, and each action's latest
    state."""
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                action_id=u.action.pk,
                version=u.version,
                created_at=u.moment,
                created_by=u.by,
                status=u.status,
                commentary=u.commentary.strip(),
                revised_due_date=u.revised_due_date,
                revision_reason=u.revision_reason.strip() if u.revised_due_date else "",
                evidence_link=u.evidence_link,
            )
            for u in updates
        ],
        batch_size=2000,
    )
    history = Action.history.model
    rows = [
        history(
            history_date=u.moment,
            history_type="~",
            history_user=u.by,
            history_change_reason=None,
            **u.state,
        )
        for u in updates
    ]
    history.objects.bulk_create(rows, batch_size=2000)
    through = Action.owners.through
    owners = defaultdict(list)
    for link in through.objects.filter(action_id__in=[a.pk for a in actions]).values(
        "id", "action_id", "post_id"
    ):
        owners[link["action_id"]].append(link)
    m2m_history = history.owners.model  # simple-history's HistoricalAction_owners
    m2m_history.objects.bulk_create(
        [
            m2m_history(history=row, **link)
            for update, row in zip(updates, rows, strict=True)
            for link in owners[update.action.pk]
        ],
        batch_size=2000,
    )
    fields = [
        "status", "commentary", "revised_due_date", "revision_reason", "last_updated_at",
        "last_updated_by", "version",
    ]  # fmt: skip
    Action.objects.bulk_update([a for a in actions if a.version], fields, batch_size=500)


# ---------------------------------------------------------------------------------------------
# Audit results, area assessments and recommendations


def record_audits(council: Council, plan: Plan, calendar: StoryCalendar) -> int:
    """Quarterly case audits for each banded success criterion, recorded by the performance
    manager early in the month after, the share graded good drifting towards the green level."""
    rng = council.rng("audits")
    manager = council.users["performance"]
    count = 0
    criteria = SuccessCriterion.objects.filter(objective__plan=plan).exclude(direction="")
    for criterion in criteria.order_by("objective__position", "position", "reference"):
        higher = criterion.direction == Direction.HIGHER_IS_BETTER
        share = float(criterion.red) + rng.uniform(-8, 6) * (1 if higher else -1)
        month = add_months(calendar.loaded_day.replace(day=1), 2)
        while True:
            recorded = at(working_day_on_or_after(add_months(month, 1).replace(day=10)), 11)
            if recorded > calendar.until:
                break
            share += rng.gauss(1.5, 4) * (1 if higher else -1)
            share = max(0.0, min(100.0, share))
            audited = rng.randint(12, 40)
            result = AuditResult(
                criterion=criterion, month=month, audited=audited,
                good_or_outstanding=round(share * audited / 100), recorded_by=manager,
            )  # fmt: skip
            result._history_user, result._history_date = manager, recorded
            result.save()
            count += 1
            month = add_months(month, 3)
    return count


def record_assessments(council, plan, meetings, holders, calendar: StoryCalendar) -> int:
    """Area leads judge their area's risk for some boards, the day before the papers are due."""
    rng = council.rng("assessments")
    areas = list(plan.priority_areas.select_related("lead").exclude(lead=None))
    count = 0
    for meeting in meetings:
        recorded = at(meeting.papers_due - timedelta(days=1), 15)
        if meeting.committee != Committee.IMPROVEMENT_BOARD or recorded > calendar.until:
            continue
        for area in areas:
            people = holders(area.lead.name, recorded)
            if not people or rng.random() >= 0.4:
                continue
            assessment = AreaAssessment(
                meeting=meeting, priority_area=area, recorded_by=people[0], recorded_at=recorded,
                risk_rating=rng.choices(list(RiskRating), weights=[2, 5, 3])[0],
                analysis=rng.choice(ASSESSMENT_ANALYSIS),
                next_steps=rng.choice(ASSESSMENT_NEXT_STEPS),
            )  # fmt: skip
            assessment._history_user, assessment._history_date = people[0], recorded
            assessment.save()
            count += 1
    return count


def _dated_creation(recommendations, moment: datetime):
    """Date new recommendations, and the history their creation wrote, at `moment`."""
    ids = [r.pk for r in recommendations]
    Recommendation.objects.filter(pk__in=ids).update(created_at=moment)
    Recommendation.history.filter(id__in=ids).update(history_date=moment, created_at=moment)


def play_recommendations(council, plan, meetings, holders, calendar: StoryCalendar):
    """The register through its services: the inspection findings the plan cites (tracked by
    the board) added just after the import; the Scrutiny Panel's own recommendations made at
    its meetings; then, before each meeting of the committee tracking it, officers record what
    has been done, and the committee accepts (or not) what is proposed complete."""
    rng = council.rng("recommendations")
    manager, clerk = council.users["performance"], council.users["clerk"]
    added_at = calendar.loaded_at + timedelta(days=3, hours=2)
    recommendations_from_inspection_references(
        plan, committee=Committee.IMPROVEMENT_BOARD, by=manager
    )
    _dated_creation(list(plan.recommendations.all()), added_at)
    held = [m for m in meetings if at(m.date, 18) <= calendar.until]
    panels = [m for m in held if m.committee == Committee.SCRUTINY_PANEL]
    texts = Drawer(PANEL_RECOMMENDATIONS, rng)
    objectives = list(plan.objectives.order_by("position", "reference"))
    posts = list(Post.objects.filter(name__in=council.post_names).order_by("name"))
    wanted = council.size.panel_recommendations if panels else 0
    for index in range(wanted):
        meeting = panels[index * len(panels) // wanted]  # spread over the panel's meetings
        title, proposed = texts.draw()
        made = at(meeting.date, 18)
        recommendation = Recommendation(
            plan=plan, source=RecommendationSource.MEETING, committee=Committee.SCRUTINY_PANEL,
            made_at=meeting, title=title, action_proposed=proposed, created_at=made,
        )  # fmt: skip
        recommendation_create(
            recommendation, objectives=rng.sample(objectives, rng.choice([1, 1, 2])),
            posts=rng.sample(posts, 1) if rng.random() < 0.5 else [], by=clerk,
        )  # fmt: skip
        _dated_creation([recommendation], made)
    for recommendation in plan.recommendations.order_by("number"):
        _play_one(recommendation, rng, held, holders, manager, clerk, added_at, calendar)


def _play_one(recommendation, rng, held, holders, manager, clerk, added_at, calendar):
    """One recommendation's log: an entry before some meetings of its committee, moving towards
    complete (a few of the panel's own are rejected), and the committee's decision when one is
    proposed: mostly accepted, sometimes not (with the reason), then proposed again."""
    start = recommendation.made_at.date if recommendation.made_at_id else added_at.date()
    tracking = [m for m in held if m.committee == recommendation.committee and m.date > start]
    steps = [RecommendationStatus.IN_PROGRESS] * rng.randint(0, 2)
    steps += [RecommendationStatus.PARTIALLY_COMPLETE] * rng.randint(1, 2)
    steps += [RecommendationStatus.COMPLETE_PROPOSED]
    if recommendation.source == RecommendationSource.MEETING and rng.random() < 0.1:
        steps = [RecommendationStatus.REJECTED]
    clerk_or_manager = clerk if recommendation.committee == Committee.SCRUTINY_PANEL else manager
    last_taken = start + timedelta(days=1)  # the day after it was recorded, at the earliest
    refused = False
    for meeting in tracking:
        if not steps:
            break
        if rng.random() < 0.3:
            continue  # nothing new for this meeting
        taken_on = max(last_taken, meeting.papers_due - timedelta(days=rng.randint(1, 10)))
        moment = at(taken_on, 10)
        if moment > calendar.until:
            break
        status = steps.pop(0)
        author = _answering_person(recommendation, holders, moment) or manager
        recommendation_record_update(
            recommendation, by=author, taken_on=taken_on, today=taken_on, now=moment,
            action_taken=rng.choice(ACTION_TAKEN[status]), status=status,
        )  # fmt: skip
        last_taken = taken_on
        decided = at(meeting.date, 18)
        if status not in (RecommendationStatus.COMPLETE_PROPOSED, RecommendationStatus.REJECTED):
            continue
        if decided > calendar.until or meeting.date < taken_on:
            break
        if status == RecommendationStatus.COMPLETE_PROPOSED and not refused and rng.random() < 0.3:
            refused = True
            recommendation_record_decision(
                recommendation, by=clerk_or_manager, meeting=meeting, today=meeting.date,
                now=decided, decision=PanelDecisionKind.NOT_ACCEPTED,
                reason=rng.choice(NOT_ACCEPTED_REASONS),
            )  # fmt: skip
            steps = [RecommendationStatus.PARTIALLY_COMPLETE]
            steps += [RecommendationStatus.COMPLETE_PROPOSED]
            continue
        if rng.random() < 0.15:
            break  # proposed, and the committee has not decided yet
        decision = (
            PanelDecisionKind.ACCEPTED
            if status == RecommendationStatus.COMPLETE_PROPOSED
            else PanelDecisionKind.REJECTION_REPORTED
        )
        recommendation_record_decision(
            recommendation, by=clerk_or_manager, meeting=meeting, decision=decision, reason="",
            today=meeting.date, now=decided,
        )  # fmt: skip
        break


def _answering_person(recommendation, holders, moment) -> User | None:
    """A head of service who holds, then and now, a post answering for the recommendation (the
    service checks today's holders)."""
    for post in recommendation.answering_posts():
        current = set(post.holders.all())
        for person in holders(post.name, moment):
            if person in current and person.groups.filter(name=Role.HEAD_OF_SERVICE).exists():
                return person
    return None


# ---------------------------------------------------------------------------------------------
# All of it


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
