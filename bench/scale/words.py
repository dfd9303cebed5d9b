"""Words for the story: the demo plan's own, and phrase banks for two years of events."""

import random
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from demo.loading import DEMO_INDICATOR_FILE, DEMO_PLAN_FILE
from plans.models import ActionStatus
from plans.spreadsheets import read_sheets
from recommendations.models import RecommendationStatus

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
