"""Dates in words, the UK way, for every page, paper and email: "31 March 2022".

Written directly rather than with Django's date formatting: a report writes hundreds, and the
localised formatter's per-call lookups showed in its time. The product is in English only.
"""

from datetime import date


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"  # 31 March 2022


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"  # 31 Mar 2022


def month_year(day: date) -> str:
    return f"{day:%B %Y}"  # March 2022
