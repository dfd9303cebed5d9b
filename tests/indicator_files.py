"""Small indicator workbooks for tests, as sheets of rows (heading row first)."""

import copy
from datetime import date

from indicators.importers import INDICATOR_SHEETS

I = INDICATOR_SHEETS  # noqa: E741 (short alias for the rows below)

SMALL_INDICATORS = {
    "Indicators": [
        I["Indicators"],
        [
            "AS-01",
            "Assessments",
            "Assessments in 45 working days",
            "Percentage",
            "Snapshot",
            "Higher is better",
            None,
            87,
            None,
            "",
            "87%",
            "1",
        ],
        [
            "FD-01",
            "Front Door",
            "Number of contacts",
            "Number",
            "Monthly count",
            "",
            None,
            1400,
            None,
            "",
            "1400 per month",
            "",
        ],
        [
            "FD-02",
            "Front Door",
            "Re-referrals within 12 months",
            "Percentage",
            "Rolling year",
            "",
            25,
            23,
            None,
            "",
            "23%",
            "1",
        ],
    ],  # fmt: skip
    "Values": [
        I["Values"],
        ["AS-01", date(2021, 4, 30), 90, 90, 100, ""],
        ["AS-01", date(2021, 5, 31), 86, None, None, ""],
        ["FD-01", date(2021, 4, 30), 1828, None, None, ""],
        ["FD-01", date(2021, 5, 31), "TBC", None, None, "TBC"],
        ["FD-02", date(2021, 4, 30), 21, None, None, ""],
    ],
    "Benchmarks": [
        I["Benchmarks"],
        ["AS-01", "England", "2020-21", 88],
        ["AS-01", "Outturn", "2019-20", None],
    ],
}


def small_indicators(**changes) -> dict:
    """A copy of SMALL_INDICATORS; `changes` maps "Sheet!row!col" -> value (row 1 = headings)."""
    sheets = copy.deepcopy(SMALL_INDICATORS)
    for where, value in changes.items():
        sheet, row, column = where.split("!")
        sheets[sheet][int(row) - 1][int(column)] = value
    return sheets
