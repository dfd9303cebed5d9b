"""A target in words, as the rule reads it, both ways round: the sentence agrees with the rating
engine at its edges, and docs/rag-rules.md's examples are the sentences the code writes."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from indicators.models import Indicator, IndicatorUnit
from plans.rag import Direction, Rag, band_in_words, band_rag

D = Decimal
HIGHER, LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER


def indicator(**fields) -> Indicator:
    return Indicator(reference="X-01", title="Test", **{"unit": IndicatorUnit.NUMBER, **fields})


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        (
            {"minimum": D(10), "upper_target": D(20), "polarity": HIGHER},
            "Green at 20 or more; Amber from 10 to under 20; Red under 10",
        ),
        (
            {"minimum": D(20), "upper_target": D(10)},
            "Green at 10 or less; Amber from over 10 to 20; Red over 20",
        ),
        (
            {"upper_target": D(10), "polarity": LOWER, "target_is_strict": True},
            "Green under 10; Red at 10 or over",
        ),
        (
            {"upper_target": D(10), "polarity": HIGHER, "target_is_strict": True},
            "Green over 10; Red at 10 or under",
        ),
        (
            {
                "upper_target": D(50),
                "tolerance": D(5),
                "polarity": HIGHER,
                "target_is_strict": True,
            },
            "Green over 50; Amber from 45 to 50; Red under 45",
        ),
        (
            {"upper_target": D(1828), "tolerance": D(100), "polarity": LOWER},
            "Green at 1,828 or less; Amber from over 1,828 to 1,928; Red over 1,928",
        ),
        ({"upper_target": None, "target_as_written": "N/A"}, "Not rated: no target (N/A)"),
        ({"upper_target": None, "target_as_written": "TBC"}, "Not rated: target to be confirmed"),
        ({"upper_target": D(1400)}, "Not rated: which way is better is not given"),
    ],
)
def test_the_target_reads_as_the_rule_does(fields, sentence):
    assert indicator(**fields).target_rule() == sentence


def test_a_percentage_target_shows_its_unit():
    percent = indicator(upper_target=D(87), polarity=HIGHER, unit=IndicatorUnit.PERCENTAGE)
    assert percent.target_rule() == "Green at 87% or more; Red under 87%"


LEVELS = st.decimals(min_value=-1000, max_value=1000, places=0, allow_nan=False)


@given(LEVELS, LEVELS, st.sampled_from([HIGHER, LOWER]), st.booleans())
def test_the_sentence_names_the_rating_the_engine_gives_at_each_level(one, two, direction, strict):
    """At the green and amber levels, and either side of them, the band the sentence puts a
    value in is the one band_rag gives it."""
    green, amber = (
        (max(one, two), min(one, two)) if direction == HIGHER else (min(one, two), max(one, two))
    )
    words = band_in_words(direction=direction, amber=amber, green=green, strict=strict)
    for value in {green - 1, green, green + 1, amber - 1, amber, amber + 1}:
        rating = band_rag(value, direction=direction, amber=amber, green=green, strict=strict)
        assert said_rating(words, value) == rating, (words, value)


def said_rating(words: str, value: Decimal) -> Rag:
    """The rating the sentence gives a value, read back from its words alone."""
    for part in words.split("; "):
        colour, _, rule = part.partition(" ")
        if matches(rule, value):
            return Rag(colour.lower())
    raise AssertionError(f"No part of {words!r} covers {value}")


def matches(rule: str, value: Decimal) -> bool:
    number = r"(-?\d+)"
    patterns = {
        rf"^at {number} or more$": lambda a: value >= a,
        rf"^at {number} or less$": lambda a: value <= a,
        rf"^over {number}$": lambda a: value > a,
        rf"^under {number}$": lambda a: value < a,
        rf"^at {number} or over$": lambda a: value >= a,
        rf"^at {number} or under$": lambda a: value <= a,
        rf"^from {number} to under {number}$": lambda a, b: a <= value < b,
        rf"^from over {number} to {number}$": lambda a, b: a < value <= b,
        rf"^from {number} to {number}$": lambda a, b: a <= value <= b,
    }
    for pattern, test in patterns.items():
        found = re.match(pattern, rule)
        if found:
            return test(*(D(group) for group in found.groups()))
    raise AssertionError(f"Unexpected wording: {rule!r}")


def test_the_rag_rules_page_quotes_the_sentences_the_code_writes():
    text = " ".join((Path(settings.BASE_DIR) / "docs" / "rag-rules.md").read_text().split())
    examples = [
        indicator(upper_target=D(87), polarity=HIGHER, unit=IndicatorUnit.PERCENTAGE),
        indicator(minimum=D(60), upper_target=D(80)),
        indicator(minimum=D(15), upper_target=D(10)),
        indicator(
            upper_target=D(23), tolerance=D(2), polarity=LOWER, unit=IndicatorUnit.PERCENTAGE
        ),
        indicator(upper_target=D(10), polarity=LOWER, target_is_strict=True),
        indicator(upper_target=D(1400), target_as_written="1400 per month"),
        indicator(upper_target=None, target_as_written="N/A"),
    ]
    for example in examples:
        assert f'"{example.target_rule()}"' in text
