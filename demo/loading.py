"""The demo: the 2021–22 plan moved to the present, and one account per role (demo mode only)."""

import calendar
import json
import re
import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from indicators.importers import load_indicators, parse_indicators
from indicators.models import IndicatorValue
from plans.accounts import system_account
from plans.bulk_writer import ImportSummary
from plans.importers import plan_import
from plans.models import BoardMeeting, Committee, Plan, Post
from plans.plan_reader import parse_plan
from plans.roles import DEMO_GROUP, READ_GIVEN_PLANS, Role
from plans.spreadsheets import read_sheets
from recommendations.models import Recommendation, RecommendationSource
from recommendations.services import (
    recommendation_create,
    recommendation_record_update,
    recommendations_from_inspection_references,
)

DEMO_PLAN_FILE = Path(__file__).parent / "data" / "improvement-plan-2021-22.xlsx"
DEMO_INDICATOR_FILE = Path(__file__).parent / "data" / "indicators-2021-22.xlsx"
DEMO_RECOMMENDATIONS_FILE = Path(__file__).parent / "data" / "recommendations-2021.json"
DEMO_PLAN_REFERENCE = "IP-2021-22"
# The plan was written in autumn 2021: January 2022 becomes the current month.
DEMO_ANCHOR = date(2022, 1, 1)
# Letters and digits only, so a printed password is easy to copy and type.
PASSWORD_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: Role
    posts: tuple[str, ...] = ()


DEMO_ACCOUNTS = [
    DemoAccount("admin", "Alex Admin", Role.ADMINISTRATOR),
    DemoAccount("performance", "Priya Patel", Role.PERFORMANCE_MANAGER, ("Performance Manager",)),
    DemoAccount("chair", "Chris Chair", Role.BOARD_MEMBER),
    DemoAccount("board", "Bea Member", Role.BOARD_MEMBER),
    DemoAccount("clerk", "Cal Clerk", Role.PANEL_CLERK),
    DemoAccount(
        "hos.quality",
        "Quinn Assurance",
        Role.HEAD_OF_SERVICE,
        ("HoS Quality Assurance", "Service Manager Quality Assurance", "Heads of Service"),
    ),
    DemoAccount(
        "hos.social-care",
        "Sam Social",
        Role.HEAD_OF_SERVICE,
        ("HoS Social Care", "Head of Service", "Heads of Service"),
    ),
    DemoAccount(
        "hos.looked-after",
        "Lee Carer",
        Role.HEAD_OF_SERVICE,
        (
            "HoS Looked after Children",
            "Service Manager Permanence",
            "Service Manager Fostering",
            "Heads of Service",
        ),
    ),
    DemoAccount(
        "hos.early-help",
        "Erin Help",
        Role.HEAD_OF_SERVICE,
        ("HoS Early Help", "Service Manager Early Years", "Heads of Service"),
    ),
    DemoAccount(
        "hos.young-people",
        "Yusuf Young",
        Role.HEAD_OF_SERVICE,
        ("HoS Young People", "HoS SEND", "Heads of Service"),
    ),
    DemoAccount("deputy", "Dev Deputy", Role.HEAD_OF_SERVICE, ("Deputy Director",)),
]
# Every other post's overdue actions escalate to this one.
DEMO_ESCALATION_POST = "Deputy Director"


def add_months(day: date, months: int) -> date:
    """Move a date by whole months, keeping month ends at month ends (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    is_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last_day if is_month_end else min(day.day, last_day))


def months_to_present(today: date) -> int:
    return (today.year - DEMO_ANCHOR.year) * 12 + today.month - DEMO_ANCHOR.month


MONTH_NAMES = "|".join(calendar.month_name[1:])
# "1 December 2021", "1st December 2021" or "December 2021"; and "2021–22", a plan's year.
WRITTEN_DATE = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)? )?({MONTH_NAMES}) (20\d\d)\b")
PLAN_YEAR = re.compile(r"\b(20\d\d)([–-])(\d\d)\b")


def moved_text(text: str, months: int) -> str:
    """The dates written in the plan's words moved as its date fields are, so that its title,
    period and actions ("by 1 December 2021") agree with its dates."""

    def move_date(match):
        day, month_name, year = match.groups()
        try:
            written = date(int(year), list(calendar.month_name).index(month_name), int(day or 1))
        except ValueError:  # "31 February": left as written
            return match.group(0)
        moved = add_months(written, months)
        return f"{moved:%B %Y}" if day is None else f"{moved.day} {moved:%B %Y}"

    def move_year(match):
        start, dash, _ = match.groups()
        moved = int(start) + round(months / 12)
        return f"{moved}{dash}{(moved + 1) % 100:02d}"

    return PLAN_YEAR.sub(move_year, WRITTEN_DATE.sub(move_date, text))


# Whom history records for the figures and the plan the demo loads.
DEMO_LOADER = ("system.demo-loader", "Demo data loader")


def load_demo_plan(*, today: date) -> ImportSummary:
    """Import the demo plan with every date moved so that January 2022 falls in today's month,
    the dates in its words too (its reference, an identifier, stays as the papers give it)."""
    data = parse_plan(read_sheets(DEMO_PLAN_FILE.name, DEMO_PLAN_FILE.read_bytes()))
    months = months_to_present(today)
    for record, name in data.all_dates():
        if record[name]:
            record[name] = add_months(record[name], months)
    records = [
        data.plan,
        *data.priority_areas,
        *data.objectives,
        *data.actions,
        *data.success_criteria,
    ]
    for record in records:
        for name, value in record.items():
            if isinstance(value, str) and name != "reference":
                record[name] = moved_text(value, months)
    return plan_import(data=data, by=system_account(DEMO_LOADER))


def load_demo_indicators(*, today: date):
    """Load the demo indicators, their months moved by the same whole months as the plan."""
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    content = DEMO_INDICATOR_FILE.read_bytes()
    data = parse_indicators(read_sheets(DEMO_INDICATOR_FILE.name, content), plan=plan)
    months = months_to_present(today)
    for record in data.values:
        record["month"] = add_months(record["month"], months).replace(day=1)
    _mark_newest_provisional(data.values, DEMO_PROVISIONAL)
    # Run again in a later month, the demo's figures move again: clear the old months first
    # (their history stays), so a month never carries another month's figure.
    shifted = {(record["indicator"], record["month"]) for record in data.values}
    demo_references = {record["reference"] for record in data.indicators}
    for value in IndicatorValue.objects.filter(indicator__reference__in=demo_references):
        if (value.indicator.reference, value.month) not in shifted:
            value._history_user = system_account(DEMO_LOADER)
            value.delete()
    return load_indicators(data=data, plan=plan, by=system_account(DEMO_LOADER))


# How many of the newest month's figures the demo's loader marks provisional, as a council's
# performance team does with a figure that the case system may still revise.
DEMO_PROVISIONAL = 2


def _mark_newest_provisional(values: list[dict], count: int):
    figures = [record for record in values if record["value"] is not None]
    newest = max((record["month"] for record in figures), default=None)
    figures = [record for record in figures if record["month"] == newest]
    for record in sorted(figures, key=lambda r: r["indicator"])[:count]:
        record["provisional"] = True


def last_thursday(day: date) -> date:
    """The last Thursday of `day`'s month: the demo board's day."""
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return last - timedelta(days=(last.weekday() - calendar.THURSDAY) % 7)


DEMO_BOARD_MONTHS = (-4, -2, 0, 2)  # bi-monthly, as the plan describes, with one this month


def schedule_demo_board_meetings(*, today: date) -> list[BoardMeeting]:
    """The Improvement Board on the last Thursday of every other month, this month's included,
    with papers due a week before."""
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    meetings = []
    for months in DEMO_BOARD_MONTHS:
        meeting_day = last_thursday(add_months(today.replace(day=1), months))
        meeting, _ = BoardMeeting.objects.get_or_create(
            plan=plan,
            committee=Committee.IMPROVEMENT_BOARD,
            date=meeting_day,
            defaults={"papers_due": meeting_day - timedelta(days=7)},
        )
        meetings.append(meeting)
    return meetings


def create_demo_accounts() -> list[tuple[DemoAccount, str]]:
    """Create (or reset) the demo accounts with fresh random passwords, returned for printing."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo accounts exist only in demo mode: set DEMO_MODE=true.")
    demo_group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
    created = []
    with transaction.atomic():
        deputy_post, _ = Post.objects.get_or_create(name=DEMO_ESCALATION_POST)
        for post in Post.objects.exclude(pk=deputy_post.pk).filter(escalation_contact=None):
            post.escalation_contact = deputy_post
            post.save()  # one by one, so each post's history records it
        for account in DEMO_ACCOUNTS:
            first, last = account.name.split(" ", 1)
            user, _ = User.objects.get_or_create(username=account.username)
            user.first_name, user.last_name = first, last
            user.email = f"{account.username}@example.org"
            user.is_staff = user.is_superuser = account.role == Role.ADMINISTRATOR
            password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=account.role.value), demo_group])
            for name in account.posts:
                Post.objects.get(name=name).holders.add(user)
            if account.role in READ_GIVEN_PLANS:  # the demo's boards read every demo plan
                user.member_of_plans.add(*Plan.objects.all())
            created.append((account, password))
    return created


def _shifted(day: str, months: int) -> date:
    return add_months(date.fromisoformat(day), months)


def load_demo_recommendations(*, today: date) -> int:
    """The register, once: the plan's Ofsted findings (tracked by the Improvement Board) and the
    Scrutiny Panel's recommendations with what was done, recorded by a holder of the post that
    answers for each (else the performance manager). Returns how many were added."""
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    if plan.recommendations.exists():
        return 0
    manager = User.objects.get(username="performance")
    added = recommendations_from_inspection_references(
        plan, committee=Committee.IMPROVEMENT_BOARD, by=manager
    )
    data = json.loads(DEMO_RECOMMENDATIONS_FILE.read_text())
    months = months_to_present(today)
    meetings = {}
    for day in data["meetings"]:
        meeting_day = _shifted(day, months)
        meetings[day], _ = BoardMeeting.objects.get_or_create(
            plan=plan, committee=data["committee"], date=meeting_day,
            defaults={"papers_due": meeting_day - timedelta(days=7)},
        )  # fmt: skip
    for entry in data["recommendations"]:
        recommendation = Recommendation(
            plan=plan, source=RecommendationSource.MEETING, committee=data["committee"],
            made_at=meetings[entry["meeting"]], title=entry["title"],
            action_proposed=entry["action_proposed"],
        )  # fmt: skip
        recommendation_create(
            recommendation,
            objectives=plan.objectives.filter(reference__in=entry["objectives"]),
            posts=Post.objects.filter(name__in=entry["posts"]),
            by=manager,
        )
        # Recorded the evening of the meeting that made it, so reports as at later dates hold it.
        made = timezone.make_aware(datetime.combine(recommendation.made_at.date, time(18)))
        Recommendation.objects.filter(pk=recommendation.pk).update(created_at=made)
        Recommendation.history.filter(id=recommendation.pk).update(history_date=made)
        posts = recommendation.answering_posts()
        holders = sorted((h for p in posts for h in p.holders.all()), key=lambda h: h.username)
        for update in entry["action_taken"]:
            taken_on = _shifted(update["date"], months)
            recommendation_record_update(
                recommendation, by=holders[0] if holders else manager, taken_on=taken_on,
                action_taken=update["text"], status=update["status"], today=today,
                now=timezone.make_aware(datetime.combine(taken_on, time(10))),
            )  # fmt: skip
        added += 1
    return added
