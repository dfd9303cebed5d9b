"""The demo's second live plan: a SEND priority action plan, as a council runs one after an area
SEND inspection beside its improvement plan, with its own board and many of the same posts.

Written for the demo (not taken from any council's papers). It is imported from a workbook the
way a performance manager would import it, its dates set around today; some of the council's
indicators are linked into it, so the two plans share one set of figures."""

import calendar
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.loading import DEMO_LOADER, DEMO_PLAN_REFERENCE
from indicators.models import Indicator
from indicators.services import plan_indicators_link
from plans.accounts import system_account
from plans.bulk_writer import ImportSummary
from plans.importers import import_plan_file
from plans.models import Action, BoardMeeting, Committee, Plan, Post
from plans.rollover import financial_year
from plans.workbook import SHEETS, write_xlsx
from progress.services import action_record_progress

SEND_PLAN_REFERENCE = "SEND-PAP"

AREAS = [
    ("1", "Needs are spotted early", "Termly audit of early years referrals"),
    ("2", "Plans for children are timely and good", "Monthly timeliness report; plan audits"),
    ("3", "Young people are ready for adult life", "Annual survey of young people at 19"),
]
# reference, area, posts, what we will do differently, the outcome, target (days from today)
OBJECTIVES = [
    (
        "1.1",
        "1",
        "Service Manager Early Years",
        "Check development at two in every setting",
        "Needs found before school age",
        200,
    ),
    (
        "1.2",
        "1",
        "HoS Early Help",
        "One front door for families worried about a child's needs",
        "Families told where to go within a week",
        120,
    ),
    (
        "2.1",
        "2",
        "HoS SEND",
        "Finish needs assessments within 20 weeks",
        "Most plans issued on time",
        150,
    ),
    (
        "2.2",
        "2",
        "HoS SEND; HoS Education",
        "Review every plan each year with the family",
        "Plans that still describe the child",
        240,
    ),
    (
        "3.1",
        "3",
        "HoS Young People",
        "Plan the move to adult services from 14",
        "No young person starts adult life without a plan",
        300,
    ),
]
# reference, objective, what we will do, owners, due (days from today), status
ACTIONS = [
    ("1.1.1", "1.1", "Train early years practitioners in the two-year check",
     "Service Manager Early Years", -70, "Complete"),
    ("1.1.2", "1.1", "Share check results with health visitors each month",
     "Service Manager Early Years", -12, "On track"),
    ("1.1.3", "1.1", "Publish the early identification pathway", "HoS Early Help", 45, "On track"),
    ("1.2.1", "1.2", "Set up one phone line and web form for SEND questions", "HoS Early Help",
     20, "At risk"),
    ("1.2.2", "1.2", "Train front door staff on the local offer", "HoS Early Help", 90,
     "Not started"),
    ("2.1.1", "2.1", "Recruit two more educational psychologists", "HoS SEND", -30, "Off track"),
    ("2.1.2", "2.1", "Track every assessment weekly against the 20 weeks", "HoS SEND", -5,
     "On track"),
    ("2.1.3", "2.1", "Agree health advice deadlines with the NHS trust", "HoS SEND", 25,
     "At risk"),
    ("2.2.1", "2.2", "Audit ten plans a month with parents", "HoS SEND", 60, "On track"),
    ("2.2.2", "2.2", "Bring annual reviews up to date", "HoS Education", 120, "Not started"),
    ("3.1.1", "3.1", "Start transition planning at the year 9 review", "HoS Young People", 30,
     "On track"),
    ("3.1.2", "3.1", "Agree a protocol with adult social care", "HoS Young People", -20,
     "At risk"),
]  # fmt: skip
# What the owners wrote at their last update: in their own words, as officers write them.
UPDATES = {
    "1.1.2": "Results now go to health visitors on the 5th of each month; two settings late.",
    "1.2.1": "Phone line live; the web form waits on the new website, now due next month.",
    "2.1.1": "One post filled. The second advert drew no one suitable; agency cover asked for.",
    "2.1.2": "Weekly tracker in place since the autumn: 61% within 20 weeks, up from 48%.",
    "2.1.3": "The trust agrees six weeks in principle; its medical director has still to sign.",
    "3.1.2": "Draft protocol with adult services' legal team; two points still open.",
}
# The council's posts this plan names (the import shares them with the improvement plan).
POSTS = {post for row in OBJECTIVES for post in row[2].split("; ")} | {row[3] for row in ACTIONS}
SUCCESS_CRITERIA = [
    ("2.1-a", "2.1", "Plans issued within 20 weeks", "%", "Higher is better", 50, 60, 70),
]
# The council's indicators this plan reports too, with the area each evidences: the same
# measures and figures as in the improvement plan, loaded once.
SHARED_INDICATORS = {
    "SEND-01": "2", "SEND-02": "2", "SEND-03": "2", "SEND-04": "1", "EH-01": "1", "CL-04": "3",
}  # fmt: skip
BOARD_EVERY_WEEKS = 8


def second_tuesday(day: date) -> date:
    """The second Tuesday of `day`'s month: the SEND board's day (the improvement board's is the
    last Thursday)."""
    first = day.replace(day=1)
    return first + timedelta(days=(calendar.TUESDAY - first.weekday()) % 7 + 7)


def send_plan_sheets(*, organisation: str, today: date) -> dict:
    """The plan as its performance manager would fill in the import template."""

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    period = financial_year(today)
    posts = dict(Post.objects.filter(name__in=POSTS).values_list("name", "description"))
    return {
        "Plan": [
            SHEETS["Plan"],
            ["Reference", SEND_PLAN_REFERENCE],
            ["Title", f"SEND Priority Action Plan {period}"],
            ["Organisation", organisation],
            ["Period", period],
            ["Vision", "Children with special educational needs thrive at home and at school."],
            ["Governance", "The SEND Partnership Board meets every eight weeks."],
            ["Board membership", "Director of Education (Chair)\nParent Carer Forum\nNHS ICB"],
            ["Published", day(-150)],
        ],
        "Priority areas": [
            SHEETS["Priority areas"],
            *[[ref, title, assurance, ""] for ref, title, assurance in AREAS],
        ],
        # The council's posts, as the improvement plan describes them (shared, not copied).
        "Posts": [SHEETS["Posts"], *[[post, posts.get(post, "")] for post in sorted(POSTS)]],
        "Objectives": [
            SHEETS["Objectives"],
            *[[ref, area, posts, "", better, outcome, day(due), None, "", "Parent Carer Forum"]
              for ref, area, posts, better, outcome, due in OBJECTIVES],
        ],
        "Actions": [
            SHEETS["Actions"],
            *[[ref, objective, text, owners, day(due), status]
              for ref, objective, text, owners, due, status in ACTIONS],
        ],
        "Success criteria": [
            SHEETS["Success criteria"],
            *[list(row) for row in SUCCESS_CRITERIA],
        ],
        "Inspection references": [SHEETS["Inspection references"]],
    }  # fmt: skip


def load_demo_send_plan(*, today: date) -> ImportSummary:
    """Import the SEND plan (its dates moved to today's, again at each start), link the shared
    indicators and schedule its board."""
    organisation = Plan.objects.get(reference=DEMO_PLAN_REFERENCE).organisation
    content = write_xlsx(send_plan_sheets(organisation=organisation, today=today))
    loader = system_account(DEMO_LOADER)
    with transaction.atomic():
        summary = import_plan_file(filename="send-plan.xlsx", content=content, by=loader)
        plan = summary.plan
        areas = {area.reference: area for area in plan.priority_areas.all()}
        shared = Indicator.objects.filter(reference__in=SHARED_INDICATORS)
        plan_indicators_link(
            plan=plan,
            areas_of={
                indicator: [areas[SHARED_INDICATORS[indicator.reference]]]
                for indicator in shared.prefetch_related("plans", "priority_areas")
            },
            by=loader,
        )
        for weeks in (-BOARD_EVERY_WEEKS, 0, BOARD_EVERY_WEEKS):
            meeting_day = second_tuesday(today + timedelta(weeks=weeks))
            BoardMeeting.objects.get_or_create(
                plan=plan, committee=Committee.IMPROVEMENT_BOARD, date=meeting_day,
                defaults={"papers_due": meeting_day - timedelta(days=7)},
            )  # fmt: skip
    return summary


def record_send_plan_updates(*, today: date):
    """The owners' last updates, once: after the demo accounts, who hold the posts."""
    plan = Plan.objects.get(reference=SEND_PLAN_REFERENCE)
    users = get_user_model().objects
    for action in Action.objects.filter(objective__plan=plan, reference__in=UPDATES):
        owner = users.filter(posts__in=action.owners.all()).order_by("username").first()
        if owner is None:
            continue
        action_record_progress(
            action=action, by=owner, version=action.version, status=action.status,
            commentary=UPDATES[action.reference], today=today,
        )  # fmt: skip
