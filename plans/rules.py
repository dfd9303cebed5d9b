"""Object permissions, as rules predicates over the permission-scoped querysets."""

import rules

from plans.models import Action, PriorityArea
from plans.roles import is_administrator, is_performance_manager


@rules.predicate
def can_update_action(user, action: Action) -> bool:
    # The queryset is the one place that decides; views fetch through it, this asks it.
    return Action.objects.editable_by(user).filter(pk=action.pk).exists()


rules.add_perm("plans.update_action", can_update_action)


@rules.predicate
def leads_priority_area(user, area: PriorityArea) -> bool:
    return area.lead_id is not None and area.lead.holders.filter(pk=user.pk).exists()


# A judged risk rating is the area lead's; performance managers may record it on their behalf.
rules.add_perm(
    "plans.assess_priority_area", leads_priority_area | is_performance_manager | is_administrator
)
