from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.models import STATUS_RAG, Action, ActionStatus, Objective, SuccessCriterion
from plans.rag import Direction, Rag, band_rag, worst

AUDIT_BAND = {"amber": Decimal(60), "green": Decimal(70)}
# Lower is better, e.g. re-referrals: red 30, amber 25, green 20.
LOWER_BAND = {"amber": Decimal(25), "green": Decimal(20)}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", Rag.RED),
        ("50", Rag.RED),
        ("59.99", Rag.RED),
        ("60", Rag.AMBER),
        ("60.01", Rag.AMBER),
        ("69.99", Rag.AMBER),
        ("70", Rag.GREEN),
        ("70.01", Rag.GREEN),
        ("100", Rag.GREEN),
    ],
)
def test_higher_is_better_band_at_and_around_each_boundary(value, expected):
    rating = band_rag(Decimal(value), direction=Direction.HIGHER_IS_BETTER, **AUDIT_BAND)
    assert rating == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", Rag.GREEN),
        ("19.99", Rag.GREEN),
        ("20", Rag.GREEN),
        ("20.01", Rag.AMBER),
        ("24.99", Rag.AMBER),
        ("25", Rag.AMBER),
        ("25.01", Rag.RED),
        ("30", Rag.RED),
        ("99", Rag.RED),
    ],
)
def test_lower_is_better_band_mirrors_it_at_and_around_each_boundary(value, expected):
    rating = band_rag(Decimal(value), direction=Direction.LOWER_IS_BETTER, **LOWER_BAND)
    assert rating == expected


@given(st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=2))
def test_lower_is_better_is_the_mirror_image_of_higher_is_better(value):
    higher = band_rag(value, direction=Direction.HIGHER_IS_BETTER, **AUDIT_BAND)
    lower = band_rag(
        -value, direction=Direction.LOWER_IS_BETTER, amber=Decimal(-60), green=Decimal(-70)
    )
    assert higher == lower


def test_a_criterion_rates_a_value_with_its_own_band_and_describes_it_in_words():
    criterion = SuccessCriterion(
        direction=Direction.HIGHER_IS_BETTER, red=50, amber=60, green=70, unit="%"
    )
    criterion.amber, criterion.green = Decimal(60), Decimal(70)
    assert criterion.rag_for(Decimal("65")) == Rag.AMBER
    assert criterion.rag_for(None) == Rag.NOT_RATED
    assert criterion.band_description() == (
        "Green at 70% or more; Amber from 60% to under 70%; Red under 60%."
    )


def test_a_criterion_without_a_band_is_not_rated_never_a_colour():
    assert SuccessCriterion(criterion="15 new carers per year").rag_for(Decimal(15)) == (
        Rag.NOT_RATED
    )


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([Rag.GREEN, Rag.RED, Rag.AMBER], Rag.RED),
        ([Rag.GREEN, Rag.AMBER, Rag.COMPLETE], Rag.AMBER),
        ([Rag.COMPLETE, Rag.GREEN], Rag.GREEN),
        ([Rag.COMPLETE, Rag.COMPLETE], Rag.COMPLETE),
        ([Rag.COMPLETE, Rag.NOT_RATED], Rag.NOT_RATED),
        ([Rag.NOT_RATED, Rag.AMBER], Rag.AMBER),
        ([], Rag.NOT_RATED),
    ],
)
def test_a_combined_rating_is_the_worst_part_and_complete_only_when_all_are(ratings, expected):
    assert worst(ratings) == expected


def make_action(status, due_date=None, objective_dates=(None, None)):
    objective = Objective(target_date=objective_dates[0], second_target_date=objective_dates[1])
    return Action(objective=objective, status=status, due_date=due_date)


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ActionStatus.NOT_STARTED, Rag.NOT_RATED),
        (ActionStatus.ON_TRACK, Rag.GREEN),
        (ActionStatus.AT_RISK, Rag.AMBER),
        (ActionStatus.OFF_TRACK, Rag.RED),
        (ActionStatus.COMPLETE, Rag.COMPLETE),
    ],
)
def test_an_action_not_yet_due_takes_its_rag_from_its_status(status, expected):
    assert make_action(status, due_date=TODAY).rag(TODAY) == expected


@pytest.mark.parametrize(
    "status", [ActionStatus.NOT_STARTED, ActionStatus.ON_TRACK, ActionStatus.AT_RISK]
)
def test_overdue_action_is_red_whatever_its_status(status):
    action = make_action(status, due_date=date(2026, 11, 21))
    assert action.is_overdue(TODAY)
    assert action.rag(TODAY) == Rag.RED


def test_a_complete_action_is_never_overdue():
    action = make_action(ActionStatus.COMPLETE, due_date=date(2020, 1, 1))
    assert not action.is_overdue(TODAY)
    assert action.rag(TODAY) == Rag.COMPLETE


def test_an_action_without_its_own_date_is_due_by_the_later_objective_date():
    action = make_action(
        ActionStatus.ON_TRACK, objective_dates=(date(2026, 12, 31), date(2026, 9, 30))
    )
    assert action.deadline == date(2026, 12, 31)
    assert not action.is_overdue(TODAY)


def test_an_action_with_no_date_anywhere_is_never_overdue():
    assert not make_action(ActionStatus.NOT_STARTED).is_overdue(TODAY)


DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(
    status=st.sampled_from(ActionStatus.values),
    due=st.one_of(st.none(), DATES),
    revised=st.one_of(st.none(), DATES),
    objective_dates=st.tuples(st.one_of(st.none(), DATES), st.one_of(st.none(), DATES)),
    today=DATES,
)
def test_action_rag_follows_status_except_that_overdue_is_red_at_any_date(
    status, due, revised, objective_dates, today
):
    action = make_action(status, due_date=due, objective_dates=objective_dates)
    action.revised_due_date = revised
    plan_date = due or max([d for d in objective_dates if d], default=None)
    deadline = revised or plan_date

    overdue = status != ActionStatus.COMPLETE and deadline is not None and deadline < today
    assert action.deadline == deadline
    assert action.is_overdue(today) == overdue
    assert action.rag(today) == (Rag.RED if overdue else STATUS_RAG[ActionStatus(status)])


@given(st.lists(st.sampled_from(list(Rag)), min_size=1))
def test_a_combined_rating_is_never_better_than_its_worst_rated_part(ratings):
    combined = worst(ratings)
    for bad in (Rag.RED, Rag.AMBER):
        if bad in ratings:
            assert combined == (Rag.RED if Rag.RED in ratings else bad)
    if combined == Rag.COMPLETE:
        assert set(ratings) == {Rag.COMPLETE}
