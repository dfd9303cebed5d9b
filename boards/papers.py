"""A meeting's papers: the meeting before a report, the exceptions in the papers as at a date,
and, once their moment has settled, their record (RecordedPapers), read by every later report
that compares with them. docs/architecture.md, "How reports are kept".
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import OperationalError, transaction
from django.utils import timezone

from boards.exceptions import ItemKind, PapersEntry, exception_items, indicator_rows_at
from boards.models import RecordedPapers
from indicators.as_at import IndicatorSnapshot, indicators_as_at
from plans.as_at import end_of_day, objects_as_at, rows_as_at
from plans.models import Action, BoardMeeting, Committee, Objective, Plan
from plans.rag import Rag
from plans.updates_due import previous_meeting, updates_count_from
from progress.as_at import PlanSnapshot, plan_as_at

logger = logging.getLogger(__name__)


def plan_indicators_as_at(snapshot: PlanSnapshot) -> IndicatorSnapshot:
    """The indicators the plan's report shows, at the plan snapshot's moment, and only those."""
    return indicators_as_at(snapshot.moment, plan_id=snapshot.plan.pk)


# A moment counts as settled an hour after it: no transaction still open then can write history
# dated before it. From then on a report as at that moment reads the same rows for good.
SETTLED_AFTER = timedelta(hours=1)


def has_settled(as_at: date) -> bool:
    """Whether the moment a report as at `as_at` describes has passed, for good."""
    return end_of_day(as_at) + SETTLED_AFTER <= timezone.now()


def papers_key(plan: Plan, as_at: date, meeting: BoardMeeting | None) -> str:
    """Which papers: the plan's, as at a date, for a meeting or none. The meeting's committee
    and date are in it, as they choose the meeting before it (`previous_meeting`)."""
    about = f"{meeting.pk}:{meeting.committee}:{meeting.date.isoformat()}" if meeting else ""
    return f"papers:{plan.pk}:{as_at.isoformat()}:{about}"


def papers_entries(plan: Plan, *, as_at: date, meeting: BoardMeeting | None) -> list[PapersEntry]:
    """The exceptions in the papers as at `as_at` for `meeting` (not compared with any). Once
    their moment has settled they are the papers as that meeting had them: recorded the first
    time they are built (RecordedPapers), and read from the record by every later report."""
    return recorded_papers(plan, [(as_at, meeting)])[0].entries


@dataclass(frozen=True)
class Papers:
    """A meeting's papers as recorded: its exceptions, every item's rating, and how many
    actions were Red, Amber, Green and Complete, for the plan ("plan") and each area (its id)."""

    entries: list[PapersEntry]
    ratings: dict[tuple[str, int], Rag]
    tallies: dict[str, dict[str, int]]


def recorded_papers(plan: Plan, papers: list[tuple[date, BoardMeeting]]) -> list[Papers]:
    """Each of `papers`, in one query once recorded. Papers recorded before ratings or tallies
    were kept keep their exceptions; what they lack is added, once."""
    keys = [papers_key(plan, as_at, meeting) for as_at, meeting in papers]
    recorded = {
        key: (entries, ratings, tallies)
        for key, entries, ratings, tallies in RecordedPapers.objects.filter(
            key__in=keys
        ).values_list("key", "entries", "ratings", "tallies")
    }
    found = []
    for key, (as_at, meeting) in zip(keys, papers, strict=True):
        kept_entries, kept_ratings, tallies = recorded.get(key, (None, None, None))
        if kept_ratings is not None:
            ratings = {_key(name): Rag(rating) for name, rating in kept_ratings.items()}
            if tallies is None:
                tallies = _tallies_from_history(plan, as_at, ratings)
                if has_settled(as_at):
                    RecordedPapers.objects.filter(key=key).update(tallies=tallies)
        else:
            # One build from history gives the papers' exceptions, every rating and the tallies.
            built, ratings, tallies = _papers_built(plan, as_at=as_at, meeting=meeting)
            if has_settled(as_at) and kept_entries is None:
                _record(
                    plan, key, entries=[e.as_json() for e in built],
                    ratings=_ratings_json(ratings), tallies=tallies,
                )  # fmt: skip
            elif has_settled(as_at):
                RecordedPapers.objects.filter(key=key).update(
                    ratings=_ratings_json(ratings), tallies=tallies
                )
        if kept_entries is None:
            entries = built
        else:  # what the board saw, as recorded
            entries = [PapersEntry.from_json(values) for values in kept_entries]
        found.append(Papers(entries, ratings, tallies))
    return found


def papers_tallies(plan: Plan, papers: list[tuple[date, BoardMeeting]]) -> list[dict]:
    """Only the tallies of each of `papers` (the direction of travel reads nothing else): in
    one query once recorded, without reading every item's rating back."""
    keys = [papers_key(plan, as_at, meeting) for as_at, meeting in papers]
    kept = dict(
        RecordedPapers.objects.filter(key__in=keys, tallies__isnull=False).values_list(
            "key", "tallies"
        )
    )
    rest = iter(recorded_papers(plan, [p for p, key in zip(papers, keys, strict=True)
                                       if key not in kept]))  # fmt: skip
    return [kept[key] if key in kept else next(rest).tallies for key in keys]


def _ratings_json(ratings: dict) -> dict:
    return {f"{kind}:{pk}": rating.value for (kind, pk), rating in ratings.items()}


def _key(name: str) -> tuple[str, int]:
    kind, pk = name.split(":")
    return kind, int(pk)


def _record(plan: Plan, key: str, **fields) -> None:
    try:
        # Another process may have recorded the same papers meanwhile: the same entries, kept.
        with transaction.atomic():
            RecordedPapers.objects.bulk_create(
                [RecordedPapers(plan=plan, key=key, **fields)], ignore_conflicts=True
            )
    except OperationalError:  # e.g. SQLite busy with another write: the next build records them
        logger.warning("Could not record the papers %s", key, exc_info=True)


def _papers_built(plan: Plan, *, as_at: date, meeting: BoardMeeting | None):
    _, snapshot, indicators, items = papers_as_at(plan, as_at=as_at, meeting=meeting)
    entries = [PapersEntry.of(item) for item in items]
    ratings = item_ratings(snapshot, indicators, today=as_at)
    areas = {objective.pk: objective.priority_area_id for objective in snapshot.objectives}
    actions = [(areas.get(action.objective_id), action.pk) for action in snapshot.actions]
    return entries, ratings, action_tallies(actions, ratings)


def _tallies_from_history(plan: Plan, as_at: date, ratings: dict) -> dict:
    """The tallies of papers recorded before tallies were: each action's area read from the
    plan's history at the papers' moment, its rating from the record."""
    moment = end_of_day(as_at)
    objectives = rows_as_at(Objective, moment, ["id", "priority_area_id"], plan_id=plan.pk)
    areas = {row.id: row.priority_area_id for row in objectives}
    rows = rows_as_at(Action, moment, ["id", "objective_id"], objective_id__in=list(areas))
    return action_tallies([(areas[row.objective_id], row.id) for row in rows], ratings)


# The ratings the direction of travel counts, in the order a board reads them.
TALLIED = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE)


def action_tallies(actions: list[tuple[int | None, int]], ratings: dict) -> dict:
    """How many of `actions` ((area id, action id) pairs) had each rating, for the whole plan
    ("plan") and each area (its id as text, as JSON keeps it)."""
    tallies = {"plan": dict.fromkeys((r.value for r in TALLIED), 0)}
    for area_id, action_id in actions:
        rating = ratings.get((ItemKind.ACTION, action_id))
        if rating not in TALLIED:
            continue
        tallies["plan"][rating.value] += 1
        if area_id is not None:
            area = tallies.setdefault(str(area_id), dict.fromkeys((r.value for r in TALLIED), 0))
            area[rating.value] += 1
    return tallies


def item_ratings(plan: PlanSnapshot, indicators: IndicatorSnapshot, *, today: date) -> dict:
    """Every item's rating at the snapshot, by item key (exceptions or not)."""
    ratings = {(ItemKind.ACTION, a.pk): a.rag(today) for a in plan.actions}
    for objective in plan.objectives:
        ratings[(ItemKind.OBJECTIVE, objective.pk)] = objective.rag(today)
        for criterion in objective.success_criteria.all():
            ratings[(ItemKind.CRITERION, criterion.pk)] = criterion.rag
    for row in indicator_rows_at(indicators):
        ratings[(ItemKind.INDICATOR, row.indicator.pk)] = row.rag
    return ratings


def forget_recorded_papers() -> None:
    """For code that rewrites history's dates (a data loader): papers recorded from the history
    as it was would no longer be the papers of that moment."""
    RecordedPapers.objects.all().delete()


def record_previous_papers(*, today: date) -> int:
    """Record, where not yet recorded, the previous meeting's papers that the reports people open
    now compare with: as at today, and for each committee's next meeting (its latest if none is
    set). Beat runs it hourly, so that nobody opening a report waits for them to be built from
    history. Returns how many papers that is."""
    recorded = set()
    for plan in Plan.objects.all():
        meetings = {}  # by committee: the first on or after today, else the latest
        for meeting in plan.board_meetings.order_by("date", "pk"):
            held = meetings.get(meeting.committee)
            if held is None or held.date < today:
                meetings[meeting.committee] = meeting
        for meeting in [None, *meetings.values()]:
            as_at = meeting.as_at(today) if meeting else today
            previous = previous_meeting(plan, as_at=as_at, meeting=meeting)
            compared_with = previous.as_at(as_at) if previous else None
            if compared_with is None or not has_settled(compared_with):
                continue
            # The previous papers and the ratings at the boards before, as the report reads them.
            meetings = objects_as_at(BoardMeeting, end_of_day(as_at), plan_id=plan.pk)
            earlier_papers(plan, previous, compared_with, meetings)
            recorded.add((plan.pk, compared_with, previous.pk))
    return len(recorded)


def record_travel_papers(*, today: date) -> int:
    """Record, where not yet recorded, the papers each plan's direction of travel shows on its
    overview (beat runs it with record_previous_papers). Returns how many papers that is."""
    count = 0
    for plan in Plan.objects.all():
        shown = boards_shown(
            plan.board_meetings.all(), committee=Committee.IMPROVEMENT_BOARD, before=today
        )
        settled = [(m.as_at(today), m) for m in shown if has_settled(m.as_at(today))]
        recorded_papers(plan, settled)
        count += len(settled)
    return count


# The direction of travel shows a year of monthly boards: enough to see which way things go,
# few enough to read.
BOARDS_SHOWN = 12


def boards_shown(meetings, *, committee: str, before: date) -> list[BoardMeeting]:
    """The meetings whose papers the direction of travel shows: the committee's last
    BOARDS_SHOWN before `before`, oldest first."""
    held = sorted((m for m in meetings if m.committee == committee and m.date < before),
                  key=lambda m: m.date)  # fmt: skip
    return held[-BOARDS_SHOWN:]


def papers_as_at(plan: Plan, *, as_at: date, meeting: BoardMeeting | None, meetings=None):
    """The previous meeting, the plan and indicators as at `as_at`, and the exceptions
    (`meetings`: the plan's meetings as at `as_at`, when already read)."""
    previous = previous_meeting(plan, as_at=as_at, meeting=meeting, meetings=meetings)
    snapshot = plan_as_at(plan, end_of_day(as_at))
    indicators = plan_indicators_as_at(snapshot)
    items = exception_items(snapshot, indicators, today=as_at, since=updates_count_from(previous))
    return previous, snapshot, indicators, items


# How many earlier meetings' ratings each item shows beside its own.
EARLIER_MEETINGS = 3


def earlier_papers(
    plan: Plan, previous: BoardMeeting, papers_as_at: date, meetings: list[BoardMeeting]
) -> tuple[list[PapersEntry], list[tuple[date, dict]]]:
    """The previous meeting's exceptions, and each item's rating in the papers of the previous
    meetings of its committee (up to EARLIER_MEETINGS, oldest first), each as at its papers'
    date, from `meetings` (as the report found them recorded). One query, once recorded."""
    earlier = sorted(
        (m for m in meetings if m.committee == previous.committee and m.date < previous.date),
        key=lambda m: m.date,
    )[-(EARLIER_MEETINGS - 1) :]
    papers = [(m.as_at(papers_as_at), m) for m in earlier] + [(papers_as_at, previous)]
    found = recorded_papers(plan, papers)
    ratings = [(m.date, kept.ratings) for (_, m), kept in zip(papers, found, strict=True)]
    return found[-1].entries, ratings
