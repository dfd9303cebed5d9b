"""RAG ratings and the rules that combine them (see docs/rag-rules.md).

Every rating has a word as well as a colour, so colour is never the only signal.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import models


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"
    NOT_RATED = "not_rated", "Not rated"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"


def band_rag(
    value: Decimal, *, direction: str, amber: Decimal, green: Decimal, strict: bool = False
) -> Rag:
    """Rate a value against two levels: the one engine behind every RAG of a measure.

    Higher is better: value >= green is Green; amber <= value < green is Amber; below amber is
    Red. Lower is better mirrors it. Audit bands (product rule 1) pass their amber and green
    levels; indicators (rule 2) pass their minimum as `amber` and their upper target as `green`.
    `strict` is for targets such as "<10", where the target itself is not yet Green.
    """
    if direction == Direction.LOWER_IS_BETTER:
        value, amber, green = -value, -amber, -green
    if value > green or (value == green and not strict):
        return Rag.GREEN
    if amber < green and value >= amber:  # when amber == green there is no amber band
        return Rag.AMBER
    return Rag.RED


def band_in_words(
    *, direction: str, amber: Decimal, green: Decimal, strict: bool = False, show=str
) -> str:
    """The band_rag rule in words, as a board reads it, with each figure written by `show`:
    "Green at 20 or more; Amber from 10 to under 20; Red under 10", mirrored when lower is
    better. The one place a target is put into words (pages, papers, docs/rag-rules.md)."""
    g, a = show(green), show(amber)
    if direction == Direction.LOWER_IS_BETTER:
        green_part = f"Green under {g}" if strict else f"Green at {g} or less"
        if amber <= green:  # no amber band
            return f"{green_part}; Red {'at ' + g + ' or over' if strict else 'over ' + g}"
        amber_part = f"Amber from {g} to {a}" if strict else f"Amber from over {g} to {a}"
        return f"{green_part}; {amber_part}; Red over {a}"
    green_part = f"Green over {g}" if strict else f"Green at {g} or more"
    if amber >= green:
        return f"{green_part}; Red {'at ' + g + ' or under' if strict else 'under ' + g}"
    amber_part = f"Amber from {a} to {g}" if strict else f"Amber from {a} to under {g}"
    return f"{green_part}; {amber_part}; Red under {a}"


def worst(ratings: Iterable[Rag]) -> Rag:
    """Combine ratings: the worst rated part wins; Complete only when every part is complete."""
    present = set(ratings)  # Rag members hash and compare as their values, so text will do
    for rating in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if rating in present:
            return rating
    if present == {Rag.COMPLETE}:
        return Rag.COMPLETE
    return Rag.NOT_RATED
