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
def leads_priority_area(user, area: PriorityArea | None) -> bool:
    if area is None or area.lead_id is None:
        return False
    # all(), not filter(): a page listing areas prefetches lead__holders once for all of them.
    return any(holder.pk == user.pk for holder in area.lead.holders.all())


# A judged risk rating is the area lead's; performance managers may record it on their behalf.
# The role checks come first: they need no query per area.
rules.add_perm(
    "plans.assess_priority_area", is_performance_manager | is_administrator | leads_priority_area
)
