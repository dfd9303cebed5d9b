"""A snapshot takes each object's current history row at the moment, then narrows by plan."""

from datetime import date

import pytest
import time_machine

from plans.as_at import end_of_day, objects_as_at
from plans.models import Action
from plans.updates_due import missing_update
from progress.as_at import plan_as_at
from tests.factories import ObjectiveFactory, PlanFactory, PriorityAreaFactory
from tests.report_world import LOADED, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db


def action_references(plan, day: date) -> list[str]:
    return [action.reference for action in plan_as_at(plan, end_of_day(day)).actions]


def test_an_action_moved_to_another_plan_leaves_the_first_plan_from_the_move_on():
    plan, objective, head, _ = make_plan_world()
    action = new_action(objective, "1.1.1")
    update(action, head, at(date(2026, 9, 1)), status="on_track", commentary="Going well.")
    with time_machine.travel(at(LOADED), tick=False):
        other_plan = PlanFactory(reference="other")
        other_objective = ObjectiveFactory(
            priority_area=PriorityAreaFactory(plan=other_plan, reference="1")
        )
    with time_machine.travel(at(date(2026, 10, 1)), tick=False):
        action.refresh_from_db()
        action.objective = other_objective
        action.save()

    assert action_references(plan, date(2026, 9, 30)) == ["1.1.1"]
    # Its older rows still name the first plan's objective: only the current one counts.
    assert action_references(plan, date(2026, 10, 1)) == []
    assert action_references(other_plan, date(2026, 9, 30)) == []
    assert action_references(other_plan, date(2026, 10, 1)) == ["1.1.1"]


def test_a_deleted_action_is_in_snapshots_before_its_deletion_only():
    plan, objective, _, _ = make_plan_world()
    kept = new_action(objective, "1.1.1")
    action = new_action(objective, "1.1.2")  # no progress yet, so it may be deleted
    with time_machine.travel(at(date(2026, 9, 1)), tick=False):
        action.description = "Reworded"
        action.save()
    with time_machine.travel(at(date(2026, 10, 1)), tick=False):
        action.delete()

    assert action_references(plan, date(2026, 9, 30)) == ["1.1.1", "1.1.2"]
    assert action_references(plan, date(2026, 10, 1)) == [kept.reference]


def test_a_snapshots_updates_are_the_latest_and_the_latest_with_commentary():
    plan, objective, head, _ = make_plan_world()
    action = new_action(objective, "1.1.1", due_date=date(2027, 1, 31))
    update(action, head, at(date(2026, 9, 1)), status="at_risk", commentary="First.")
    update(action, head, at(date(2026, 9, 15)), status="at_risk", commentary="Recruiting.")
    update(action, head, at(date(2026, 10, 20)), status="on_track", commentary="")
    update(action, head, at(date(2026, 11, 2)), status="on_track", commentary="")

    snapshot = plan_as_at(plan, end_of_day(date(2026, 11, 5)))

    updates = list(snapshot.actions[0].updates.all())
    assert [(u.created_at, u.commentary) for u in updates] == [
        (at(date(2026, 9, 15)), "Recruiting."),
        (at(date(2026, 11, 2)), ""),
    ]
    # The blank update of 2 November is since the board of 15 October.
    assert missing_update(snapshot.actions[0], since=at(date(2026, 10, 15), hour=0)) == ""
    earlier = plan_as_at(plan, end_of_day(date(2026, 9, 10)))
    assert [u.commentary for u in earlier.actions[0].updates.all()] == ["First."]


@pytest.mark.parametrize("filters", [{"id__gt": 1}, {"revised_due_date": None}])
def test_history_is_filtered_only_as_it_can_be_exactly(filters):
    # Plain SQL of its own: any other lookup, or None (NULL equals nothing), would silently
    # read the wrong rows, so it is refused.
    with pytest.raises(ValueError, match="name=value or name__in=values"):
        objects_as_at(Action, end_of_day(date(2026, 11, 1)), **filters)
