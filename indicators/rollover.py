"""At the yearly rollover (plans.rollover) the new plan keeps the old one's indicators, each
linked to the new areas as it was to the old: the same measures and figures, not copies. The old
plan keeps them too, as it was."""

from django.dispatch import receiver

from indicators.services import plan_indicators_link
from plans.rollover import plan_rolled_over


@receiver(plan_rolled_over)
def _keep_plan_indicators(sender, source, plan, areas, by, **kwargs):
    indicators = source.indicators.prefetch_related("plans", "priority_areas")
    areas_of = {
        indicator: [areas[a.pk] for a in indicator.priority_areas.all() if a.pk in areas]
        for indicator in indicators
    }
    plan_indicators_link(plan=plan, areas_of=areas_of, by=by)
