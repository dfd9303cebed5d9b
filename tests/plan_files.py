"""Small plan workbooks for tests, built as sheets of rows (heading row first)."""

import copy
from datetime import date

from plans.workbook import write_xlsx

SMALL_PLAN = {
    "Plan": [
        ["Field", "Value"],
        ["Reference", "TEST-PLAN"],
        ["Title", "Test Improvement Plan"],
        ["Organisation", "Anytown Children's Services"],
        ["Period", "2024–25"],
        ["Vision", "Every child safe and thriving."],
        ["Governance", "Monthly improvement board."],
        ["Board membership", "Chief Executive (Chair)\nDirector of Children's Services"],
        ["Published", date(2024, 4, 1)],
    ],
    "Priority areas": [
        ["Reference", "Title", "How we will provide assurance", "Linked service delivery plans"],
        ["1", "Help at the front door", "Audit reports", "MASH; Early Help"],
        ["2", "Children in care", "", ""],
    ],
    "Posts": [
        ["Post", "Description"],
        ["HoS Early Help", "Head of Service, Early Help"],
        ["HoS Quality Assurance", ""],
    ],
    "Objectives": [
        [
            "Reference",
            "Priority area",
            "Responsible posts",
            "Responsible officers as written",
            "What we want to do differently or better",
            "The outcome we want to achieve",
            "Target date",
            "Second target date",
            "Target date note",
            "Key partners",
        ],
        [
            "1.1",
            "1",
            "HoS Early Help",
            "HoS EH",
            "Better assessments",
            "70% good",
            date(2024, 12, 31),
            None,
            "",
            "Police; NHS Trust",
        ],
        [
            "2.1",
            "2",
            "HoS Quality Assurance; HoS Early Help",
            "",
            "More foster carers",
            "15 new carers per year",
            "31/03/2025",
            "30/06/2025",
            "review in summer",
            "",
        ],
    ],
    "Actions": [
        ["Reference", "Objective", "Action", "Owners", "Due date", "Status"],
        ["1.1.1", "1.1", "We will audit monthly", "", "", ""],
        ["1.1.2", "1.1", "We will share learning", "HoS Quality Assurance", "30/09/2024", ""],
        ["2.1.1", "2.1", "We will recruit carers", "", "", "On track"],
    ],
    "Success criteria": [
        ["Reference", "Objective", "Criterion", "Unit", "Direction", "Red", "Amber", "Green"],
        ["1.1-a", "1.1", "Audits rated good or outstanding", "%", "Higher is better", 50, 60, 70],
        ["2.1-a", "2.1", "15 new carers per year", "", "", None, None, None],
    ],
    "Inspection references": [
        ["Reference", "Objective", "Source", "Year", "Kind", "Text"],
        ["1.1-ofsted-2019", "1.1", "Ofsted", 2019, "Core recommendation", "Assess well."],
    ],
}


def small_plan(**changes) -> dict:
    """A copy of SMALL_PLAN; `changes` maps "Sheet!row!col" -> value (row 1 is the heading)."""
    sheets = copy.deepcopy(SMALL_PLAN)
    for where, value in changes.items():
        sheet, row, column = where.split("!")
        sheets[sheet][int(row) - 1][int(column)] = value
    return sheets


def xlsx(sheets: dict) -> bytes:
    return write_xlsx(sheets)
