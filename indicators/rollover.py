"""At the yearly rollover (plans.rollover) the new plan keeps the old one's indicators, each
linked to the new areas as it was to the old: the same measures and figures, not copies. The old
plan keeps them too, as it was."""

from django.dispatch import receiver

from plans.rollover import plan_rolled_over


@receiver(plan_rolled_over)
def _keep_plan_indicators(sender, source, plan, areas, by, **kwargs):
    for indicator in source.indicators.prefetch_related("priority_areas"):
        indicator._history_user = by
        # From the indicator's side, so its history records the links (models.Indicator).
        indicator.plans.add(plan)
        new_areas = [areas[a.pk] for a in indicator.priority_areas.all() if a.pk in areas]
        if new_areas:
            indicator.priority_areas.add(*new_areas)
