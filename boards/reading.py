"""The order the exception report reads in, on the page and in every download (PDF, Excel, CSV):
what the board must discuss first (Red, overdue included), by priority area; then Amber, by area;
then the actions listed only for lacking an update, as one chase line per owner post. The
decisions asked of the board lead all three (boards.report.DecisionPaper).

Objectives are listed beside their area's rows in a line of their own: an objective's rating
comes from its actions and success criteria, which are listed in full."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models

from boards.exceptions import ExceptionItem, ItemKind
from boards.models import AreaAssessment
from boards.report import ExceptionReport
from plans.models import PriorityArea
from plans.rag import Rag


class Part(models.TextChoices):
    DISCUSS = "discuss", "For discussion: Red and overdue"
    AMBER = "amber", "Amber"
    CHASE = "chase", "To chase: only lacking an update"


# What an empty part says, in one line.
WHY_EMPTY = {
    Part.DISCUSS: "None: nothing is Red or overdue.",
    Part.AMBER: "None: nothing is Amber.",
    Part.CHASE: "None: every action on track or not started has an update since the last meeting.",
}


def part_of(item: ExceptionItem) -> Part:
    if item.rag == Rag.RED:
        return Part.DISCUSS
    if item.only_lacks_update:
        return Part.CHASE
    return Part.AMBER  # Amber, or (should a rule add one) any other exception to watch


@dataclass
class AreaGroup:
    """One priority area's exceptions in one part of the report."""

    area: PriorityArea | None
    rag: Rag  # the area's, from its objectives
    assessment: AreaAssessment | None  # its lead's judged risk rating for the meeting
    anchor: str
    rows: list[ExceptionItem] = field(default_factory=list)  # shown in full
    objectives: list[ExceptionItem] = field(default_factory=list)  # one line for all

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.objectives)


@dataclass
class ChaseLine:
    """The actions of one owner post (or set of posts) listed only for lacking an update."""

    posts: tuple[str, ...]
    holders: tuple[str, ...]
    items: list[ExceptionItem]

    @property
    def last_update(self) -> date | None:
        dates = [item.last_update for item in self.items if item.last_update]
        return max(dates, default=None)


@dataclass
class ReadingOrder:
    discuss: list[AreaGroup]
    amber: list[AreaGroup]
    chase: list[ChaseLine]

    def parts(self):
        """(part, its area groups or chase lines, how many exceptions, what it says when empty)
        in reading order."""
        return [
            (part, groups, count, WHY_EMPTY[part])
            for part, groups, count in (
                (Part.DISCUSS, self.discuss, sum(group.count for group in self.discuss)),
                (Part.AMBER, self.amber, sum(group.count for group in self.amber)),
                (Part.CHASE, self.chase, sum(len(line.items) for line in self.chase)),
            )
        ]

    def items(self) -> list[tuple[Part, ExceptionItem]]:
        """Every exception once, each with its part, in the order the report reads."""
        ordered = []
        for part, groups in ((Part.DISCUSS, self.discuss), (Part.AMBER, self.amber)):
            for group in groups:
                ordered += [(part, item) for item in group.rows + group.objectives]
        ordered += [(Part.CHASE, item) for line in self.chase for item in line.items]
        return ordered


def _by_area(report: ExceptionReport, items: list[ExceptionItem], part: Part) -> list[AreaGroup]:
    groups = []
    for number, section in enumerate(report.sections(items), start=1):
        if not section.items:
            continue
        group = AreaGroup(
            section.area, section.rag, section.assessment, anchor=f"{part.value}-{number}"
        )
        for item in section.items:
            (group.objectives if item.kind == ItemKind.OBJECTIVE else group.rows).append(item)
        groups.append(group)
    return groups


def reading_order(report: ExceptionReport, items: list[ExceptionItem]) -> ReadingOrder:
    """`items` (all the report's, or those a filter kept, in the order chosen) in the report's
    parts; within each, the chosen order is kept."""
    by_part = {part: [] for part in Part}
    for item in items:
        by_part[part_of(item)].append(item)
    lines: dict[tuple[str, ...], ChaseLine] = {}
    for item in by_part[Part.CHASE]:
        posts = tuple(sorted(item.posts))
        line = lines.setdefault(posts, ChaseLine(posts, tuple(item.holders), []))
        line.items.append(item)
    return ReadingOrder(
        discuss=_by_area(report, by_part[Part.DISCUSS], Part.DISCUSS),
        amber=_by_area(report, by_part[Part.AMBER], Part.AMBER),
        chase=sorted(lines.values(), key=lambda line: (not line.posts, line.posts)),
    )
