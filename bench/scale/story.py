"""The story's sizes and calendar: how big each council is, and when things happen."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.utils import timezone

from demo.loading import add_months
from plans.models import (
    Committee,
)

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
