"""Are we getting better? The direction of travel (how many actions were Red, Amber, Green and
Complete at each past board, as each meeting's papers stood, for the plan and each priority
area) and what changed since the last board's papers."""

from dataclasses import dataclass, field
from datetime import date

from boards.exceptions import ItemKind, ItemPages, indicator_rows_at
from boards.papers import TALLIED, action_tallies, boards_shown, papers_tallies
from boards.report import ExceptionReport
from plans.models import Action, BoardMeeting, Committee, Plan
from plans.rag import Rag
from plans.updates_due import meetings_as_at


@dataclass(frozen=True)
class Tally:
    """How many actions had each rating in one meeting's papers (or now)."""

    label: str  # "12 Jan 2027", or "These papers", "Today"
    day: date
    counts: dict[str, int]  # by rating value, every one of TALLIED

    @property
    def short(self) -> str:
        """The label under its bar: "14 Jan" for a board, "Now" for the papers being read."""
        return f"{self.day.day} {self.day:%b}" if self.label[:1].isdigit() else "Now"

    def count(self, rating: Rag) -> int:
        return self.counts.get(rating.value, 0)

    @property
    def bars(self) -> list[tuple[Rag, int]]:
        return [(rating, self.count(rating)) for rating in TALLIED]


@dataclass(frozen=True)
class Travel:
    """The tallies of the whole plan, or of one priority area, oldest first."""

    name: str
    tallies: list[Tally]

    @property
    def summary(self) -> str:
        """The chart in words (its alternative text): each rating's first and latest count."""
        if not self.tallies:
            return f"{self.name}: no board papers yet."
        first, last = self.tallies[0], self.tallies[-1]
        if len(self.tallies) == 1:
            counts = ", ".join(f"{r.label} {n}" for r, n in last.bars)
            return f"Actions by rating, {self.name}, {last.label}: {counts}."
        moves = "; ".join(
            f"{rating.label} {_moved(first.count(rating), last.count(rating))}"
            for rating in TALLIED
        )
        return (
            f"Actions by rating, {self.name}, at {len(self.tallies)} boards from "
            f"{first.label} to {last.label}: {moves}."
        )


def _moved(before: int, after: int) -> str:
    if before == after:
        return f"unchanged at {after}"
    return f"{'up' if after > before else 'down'} from {before} to {after}"


def _label(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def direction_of_travel(
    plan: Plan, areas, meetings: list[BoardMeeting], *, as_at: date, now: Tally | None,
    now_by_area: dict[str, dict[str, int]] | None = None,
) -> list[Travel]:  # fmt: skip
    """The whole plan's travel, then each of `areas`', over `meetings` (each as its papers
    stood as at `as_at`) and, when given, `now`."""
    tallies = papers_tallies(plan, [(m.as_at(as_at), m) for m in meetings])
    points = [(_label(m.date), m.date, t) for m, t in zip(meetings, tallies, strict=True)]
    if now is not None:
        points.append((now.label, now.day, {"plan": now.counts, **(now_by_area or {})}))
    empty = dict.fromkeys((r.value for r in TALLIED), 0)

    def travel(name: str, scope: str) -> Travel:
        return Travel(name, [Tally(lbl, day, t.get(scope, empty)) for lbl, day, t in points])

    return [travel("the whole plan", "plan")] + [
        travel(f"{area.reference} {area.title}", str(area.pk)) for area in areas
    ]


def report_travel(report: ExceptionReport) -> list[Travel]:
    """For the pack: the meetings of its committee before it, as they stood at the papers'
    date, and these papers ("These papers")."""
    plan, as_at = report.plan, report.as_at
    committee = report.meeting.committee if report.meeting else Committee.IMPROVEMENT_BOARD
    # As the report finds its previous meeting: boards before this one that had met by as_at.
    before = min(report.meeting.date, as_at) if report.meeting else as_at
    meetings = boards_shown(meetings_as_at(plan, as_at), committee=committee, before=before)
    areas = {o.pk: o.priority_area_id for o in report.snapshot.objectives}
    tallies = action_tallies(
        [(areas.get(a.objective_id), a.pk) for a in report.snapshot.actions], report.ratings
    )
    now = Tally("These papers", as_at, tallies.pop("plan"))
    return direction_of_travel(
        plan, report.snapshot.priority_areas, meetings, as_at=as_at, now=now, now_by_area=tallies
    )


def plan_travel(plan: Plan, today: date) -> list[Travel]:
    """For the plan's overview: the Improvement Board's meetings before today, and today."""
    meetings = boards_shown(
        plan.board_meetings.all(), committee=Committee.IMPROVEMENT_BOARD, before=today
    )
    actions = Action.objects.filter(objective__plan=plan).select_related("objective")
    ratings = {(ItemKind.ACTION, a.pk): a.rag(today) for a in actions}
    tallies = action_tallies([(a.objective.priority_area_id, a.pk) for a in actions], ratings)
    now = Tally("Today", today, tallies.pop("plan"))
    return direction_of_travel(
        plan, plan.priority_areas.all(), meetings, as_at=today, now=now, now_by_area=tallies
    )


@dataclass(frozen=True)
class Moved:
    """An item whose rating moved since the last board's papers."""

    kind: str
    reference: str
    title: str
    url: str
    then: Rag | None  # None: not in the plan then
    now: Rag
    note: str = ""  # in brief: "was Green", "now Amber", "due 3 Mar 2027"

    def get_kind_display(self) -> str:
        return ItemKind(self.kind).label


@dataclass
class ChangesSinceLastBoard:
    """Newly Red, recovered from Red, completed, newly overdue: since `previous`'s papers."""

    previous: BoardMeeting | None
    compared_with: date | None
    newly_red: list[Moved] = field(default_factory=list)
    recovered: list[Moved] = field(default_factory=list)
    completed: list[Moved] = field(default_factory=list)
    newly_overdue: list[Moved] = field(default_factory=list)

    @property
    def groups(self) -> list["ChangeGroup"]:
        """In the order a board asks about them."""
        return [
            ChangeGroup("Newly Red", "Red now, not Red in the last board's papers", self.newly_red),
            ChangeGroup("Newly overdue", "Actions whose date has passed since the last papers",
                        self.newly_overdue),
            ChangeGroup("Recovered", "Red in the last board's papers, Amber or Green now",
                        self.recovered),
            ChangeGroup("Completed", "Complete now, not in the last board's papers",
                        self.completed),
        ]  # fmt: skip


# Kinds as a list of references names them: "Actions 1.3.2, 1.3.5".
PLURALS = {
    ItemKind.OBJECTIVE: ("objective", "objectives"),
    ItemKind.ACTION: ("action", "actions"),
    ItemKind.CRITERION: ("success criterion", "success criteria"),
    ItemKind.INDICATOR: ("indicator", "indicators"),
}


@dataclass(frozen=True)
class ChangeGroup:
    heading: str
    meaning: str
    items: list[Moved]

    @property
    def by_kind(self) -> list[tuple[str, list[Moved]]]:
        """The items by kind ("Actions", [...]), kinds in the plan's order of reading."""
        return [
            (PLURALS[kind][1].capitalize(), [item for item in self.items if item.kind == kind])
            for kind in PLURALS
            if any(item.kind == kind for item in self.items)
        ]

    @property
    def count_words(self) -> str:
        """In words: "27 actions, 12 objectives"."""
        return ", ".join(
            f"{len(items)} {PLURALS[items[0].kind][len(items) != 1]}" for _, items in self.by_kind
        )


def changes_since_last_board(report: ExceptionReport) -> ChangesSinceLastBoard:
    """Compare every item's rating now with the previous meeting's papers (not only the
    exceptions: an item that recovered or completed is no longer one)."""
    if not report.previous_ratings:  # no earlier board, or the plan was not in the tracker then
        return ChangesSinceLastBoard(None, None)
    changes = ChangesSinceLastBoard(report.previous, report.compared_with)
    then, pages = report.previous_ratings, ItemPages(report.plan.reference)
    for item in _items(report, pages):
        before, now = then.get((item.kind, item.pk)), report.ratings[(item.kind, item.pk)]

        def moved(note: str) -> Moved:
            return Moved(item.kind, item.reference, item.title, item.url, before, now, note)  # noqa: B023 (called at once)

        if now == Rag.RED and before != Rag.RED:
            changes.newly_red.append(moved(f"was {before.label}" if before else "new"))
        elif before == Rag.RED and now in (Rag.AMBER, Rag.GREEN):
            changes.recovered.append(moved(f"now {now.label}"))
        elif now == Rag.COMPLETE and before != Rag.COMPLETE and item.kind != ItemKind.CRITERION:
            changes.completed.append(moved(""))
    for action in report.snapshot.actions:
        # Fell overdue since the last papers: its date (as revised) passed after them.
        if action.is_overdue(report.as_at) and action.deadline >= report.compared_with:
            key, due = (ItemKind.ACTION, action.pk), action.deadline
            changes.newly_overdue.append(
                Moved(
                    ItemKind.ACTION,
                    action.reference,
                    action.description,
                    pages.url(ItemKind.ACTION, action.reference),
                    then.get(key),
                    report.ratings[key],
                    note=f"due {due.day} {due:%b %Y}",
                )  # fmt: skip
            )
    return changes


@dataclass(frozen=True)
class _Item:
    kind: str
    pk: int
    reference: str
    title: str
    url: str


def _items(report: ExceptionReport, pages: ItemPages) -> list[_Item]:
    """Every rated item of the report's plan, in the plan's order (criteria link to their
    objective's page, as they have none of their own)."""
    items = []
    for objective in report.snapshot.objectives:
        objective_url = pages.url(ItemKind.OBJECTIVE, objective.reference)
        items.append(
            _Item(ItemKind.OBJECTIVE, objective.pk, objective.reference,
                  objective.differently_or_better, objective_url)
        )  # fmt: skip
        for action in objective.actions.all():
            items.append(
                _Item(ItemKind.ACTION, action.pk, action.reference, action.description,
                      pages.url(ItemKind.ACTION, action.reference))
            )  # fmt: skip
        for criterion in objective.success_criteria.all():
            items.append(
                _Item(ItemKind.CRITERION, criterion.pk, criterion.reference,
                      criterion.criterion, objective_url)
            )  # fmt: skip
    for row in indicator_rows_at(report.indicators):
        indicator = row.indicator
        items.append(
            _Item(ItemKind.INDICATOR, indicator.pk, indicator.reference, indicator.title,
                  pages.url(ItemKind.INDICATOR, indicator.reference))
        )  # fmt: skip
    return items
