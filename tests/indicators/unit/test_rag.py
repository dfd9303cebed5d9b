"""Product rule 2 (minimum / upper target) for indicators, at and around every boundary."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from indicators.models import Indicator, IndicatorValue
from indicators.selectors import IndicatorRow
from plans.models import AuditResult, SuccessCriterion
from plans.rag import Direction, Rag

D = Decimal
NUMBERS = st.decimals(min_value=-10_000, max_value=10_000, allow_nan=False, places=2)


def indicator(**targets) -> Indicator:
    return Indicator(reference="X-01", title="Test", **targets)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("59.99", Rag.RED),
        ("60", Rag.AMBER),
        ("79.99", Rag.AMBER),
        ("80", Rag.GREEN),
        ("95", Rag.GREEN),
    ],
)
def test_higher_is_better_minimum_and_upper(value, expected):
    assert indicator(minimum=D(60), upper_target=D(80)).rag_for(D(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", Rag.GREEN),
        ("10", Rag.GREEN),
        ("10.01", Rag.AMBER),
        ("15", Rag.AMBER),
        ("15.01", Rag.RED),
    ],
)
def test_a_minimum_above_the_upper_target_means_lower_is_better(value, expected):
    # minimum 15 > upper 10: polarity inferred, comparison mirrored.
    assert indicator(minimum=D(15), upper_target=D(10)).rag_for(D(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("84.99", Rag.RED), ("85", Rag.AMBER), ("89.99", Rag.AMBER), ("90", Rag.GREEN)],
)
def test_a_single_target_with_a_tolerance_is_the_same_model(value, expected):
    target = indicator(upper_target=D(90), tolerance=D(5), polarity=Direction.HIGHER_IS_BETTER)
    assert target.rag_for(D(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("9", Rag.GREEN), ("10", Rag.RED), ("11", Rag.RED)]
)
def test_a_strict_target_such_as_below_ten_is_not_met_at_ten(value, expected):
    below_ten = indicator(
        upper_target=D(10), target_is_strict=True, polarity=Direction.LOWER_IS_BETTER
    )
    assert below_ten.rag_for(D(value)) == expected


@pytest.mark.parametrize(
    "targets",
    [
        {},  # "TBC" / "N/A"
        {"target_as_written": "TBC"},
        {"upper_target": D(1400)},  # a target, but nothing says which way is better
        {"minimum": D(5), "upper_target": D(5)},
    ],
)
def test_no_target_or_no_direction_is_not_rated_never_a_colour(targets):
    measure = indicator(**targets)
    assert measure.rag_for(D(1)) == Rag.NOT_RATED
    assert measure.why_not_rated()


def test_a_missing_value_is_not_rated():
    assert indicator(minimum=D(60), upper_target=D(80)).rag_for(None) == Rag.NOT_RATED


@given(value=NUMBERS, minimum=NUMBERS, upper=NUMBERS)
def test_rule_two_holds_for_any_targets_in_either_direction(value, minimum, upper):
    assume(minimum != upper)
    rating = indicator(minimum=minimum, upper_target=upper).rag_for(value)
    if minimum < upper:  # higher is better
        expected = Rag.GREEN if value >= upper else Rag.AMBER if value >= minimum else Rag.RED
    else:  # lower is better
        expected = Rag.GREEN if value <= upper else Rag.AMBER if value <= minimum else Rag.RED
    assert rating == expected


@given(value=NUMBERS, minimum=NUMBERS, upper=NUMBERS)
def test_mirroring_the_targets_mirrors_the_rating(value, minimum, upper):
    assume(minimum < upper)
    higher = indicator(minimum=minimum, upper_target=upper).rag_for(value)
    lower = indicator(minimum=-minimum, upper_target=-upper).rag_for(-value)
    assert higher == lower


def test_an_audit_result_is_rated_on_its_exact_percentage_not_the_rounded_one():
    criterion = SuccessCriterion(
        direction=Direction.HIGHER_IS_BETTER, red=50, amber=D(60), green=D(70)
    )
    result = AuditResult(criterion=criterion, audited=233, good_or_outstanding=163)
    assert result.percentage == D("70.0")  # as shown
    assert result.rag == Rag.AMBER  # 69.96% is below 70


def test_change_and_trend_only_compare_with_the_month_just_before():
    measure = indicator(minimum=D(60), upper_target=D(80))
    april = IndicatorValue(month=date(2021, 4, 1), value=D(80))
    june = IndicatorValue(month=date(2021, 6, 1), value=D(84))
    row = IndicatorRow(measure, [april, june])
    assert row.change is None and row.trend == ""
    assert row.last_twelve()[-3:] == [D(80), None, D(84)]
