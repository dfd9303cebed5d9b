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


def band_rag(value: Decimal, *, direction: str, amber: Decimal, green: Decimal) -> Rag:
    """Rate a value against banded levels (product rule 1).

    Higher is better: value >= green is Green; amber <= value < green is Amber; below amber is Red.
    Lower is better mirrors it. The red level is the band's label for the record: anything worse
    than amber is Red.
    """
    if direction == Direction.LOWER_IS_BETTER:
        value, amber, green = -value, -amber, -green
    if value >= green:
        return Rag.GREEN
    if value >= amber:
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
