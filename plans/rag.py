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


def worst(ratings: Iterable[Rag]) -> Rag:
    """Combine ratings: the worst rated part wins; Complete only when every part is complete."""
    present = {Rag(rating) for rating in ratings}
    for rating in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if rating in present:
            return rating
    if present == {Rag.COMPLETE}:
        return Rag.COMPLETE
    return Rag.NOT_RATED
