"""A council: its people, posts and plan workbook."""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from bench.scale.story import PlanSize, StoryCalendar, month_end
from bench.scale.words import (
    COUNCIL_NAMES,
    DEPUTY_POST,
    FINDINGS,
    FIRST_NAMES,
    LAST_NAMES,
    PERFORMANCE_POST,
    DemoWords,
    Drawer,
)
from demo.loading import add_months
from plans.models import Plan
from plans.roles import READ_GIVEN_PLANS, Role
from plans.workbook import PLAN_FIELDS, PLAN_SHEET, SHEETS


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


def give_plan_to_its_board(council: Council, plan: Plan):
    """The council's board members and panel clerk read its plan (plans.roles.READ_GIVEN_PLANS)."""
    readers = User.objects.filter(
        username__startswith=f"{council.reference}.", groups__name__in=READ_GIVEN_PLANS
    )
    plan.members.add(*readers)
