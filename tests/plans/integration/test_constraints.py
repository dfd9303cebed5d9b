import pytest
from django.db import IntegrityError

from plans.models import SuccessCriterion
from plans.rag import Direction
from tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("direction", "levels"),
    [
        (Direction.HIGHER_IS_BETTER, (70, 60, 50)),  # written the wrong way round
        (Direction.HIGHER_IS_BETTER, (50, 60, 60)),  # amber and green the same
        (Direction.LOWER_IS_BETTER, (20, 25, 30)),
        ("", (50, 60, 70)),  # levels without a direction
        (Direction.HIGHER_IS_BETTER, (50, None, 70)),  # a level missing
    ],
)
def test_the_database_refuses_band_levels_out_of_order_for_their_direction(direction, levels):
    red, amber, green = levels
    with pytest.raises(IntegrityError):
        SuccessCriterion.objects.create(
            objective=ObjectiveFactory(),
            reference="x",
            criterion="Audits good or better",
            direction=direction,
            red=red,
            amber=amber,
            green=green,
        )


@pytest.mark.parametrize(
    ("direction", "levels"),
    [
        (Direction.HIGHER_IS_BETTER, (50, 60, 70)),
        (Direction.LOWER_IS_BETTER, (30, 25, 20)),
        ("", (None, None, None)),
    ],
)
def test_the_database_accepts_ordered_bands_and_plain_criteria(direction, levels):
    red, amber, green = levels
    SuccessCriterion.objects.create(
        objective=ObjectiveFactory(),
        reference="x",
        criterion="Audits good or better",
        direction=direction,
        red=red,
        amber=amber,
        green=green,
    )
