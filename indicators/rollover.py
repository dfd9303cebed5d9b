"""At the yearly rollover (plans.rollover) each new priority area keeps the indicators its old
one had: the measures and their values are the same rows, not copies."""

from django.dispatch import receiver

from indicators.models import Indicator
from plans.rollover import plan_rolled_over


@receiver(plan_rolled_over)
def _keep_area_indicators(sender, source, plan, areas, **kwargs):
    for old_pk, area in areas.items():
        area.indicators.set(Indicator.objects.filter(priority_areas=old_pk))
