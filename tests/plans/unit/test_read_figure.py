"""Figures as councils write them are read; anything that could mean two things is refused,
saying what to write instead."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.workbook_checks import NO_FIGURE, FigureUnclear, read_figure


@pytest.mark.parametrize(
    ("written", "figure"),
    [
        ("1,234", "1234"),
        ("1,234,567.5", "1234567.5"),
        ("87%", "87"),
        ("87 %", "87"),
        (" 62.5 ", "62.5"),
        ("1\u00a0234", "1234"),  # a non-breaking space between thousands
        ("1\u202f234\u202f567", "1234567"),  # a narrow one, as some systems print
        ("1 234", "1234"),
        ("\u00a087\u00a0", "87"),
        ("\u22125", "-5"),  # a typeset minus sign
        ("-12.25", "-12.25"),
        ("+3", "3"),
        ("0", "0"),
        ("1234", "1234"),
    ],
)
def test_a_figure_written_the_usual_ways_is_read(written, figure):
    assert read_figure(written) == Decimal(figure)


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("1,23", "could be read more than one way"),
        ("1,2345", "could be read more than one way"),
        ("12,34,567", "could be read more than one way"),
        ("1.234,5", "could be read more than one way"),
        ("1.234.567", "could be read more than one way"),
        ("12 34", "has spaces inside it"),
        ("(12)", "is in brackets"),
        ("£40", "has a currency sign"),
        ("ninety", "is not a number"),
        ("1e5", "is not a number"),
        ("NaN", "is not a number"),
    ],
)
def test_a_figure_that_could_mean_two_things_is_refused_saying_what_to_write(written, says):
    with pytest.raises(FigureUnclear) as refused:
        read_figure(written)
    assert says in str(refused.value)
    assert "such as 1,234 or 62.5" in str(refused.value)


def test_a_dash_or_an_empty_cell_means_no_figure_never_zero():
    assert {"", "-", "–", "—", "tbc", "n/a"} <= NO_FIGURE


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_any_figure_written_with_thousands_separators_reads_back(number):
    assert read_figure(f"{number:,}") == number
    assert read_figure(f"{number:,}".replace(",", "\u00a0")) == number
