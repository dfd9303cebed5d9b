"""Who may record a priority area's judged risk rating for a meeting."""

import rules

from plans.models import PriorityArea
from plans.roles import is_administrator, is_performance_manager


@rules.predicate
def leads_priority_area(user, area: PriorityArea | None) -> bool:
    if area is None or area.lead_id is None:
        return False
    # all(), not filter(): a page listing areas prefetches lead__holders once for all of them.
    return any(holder.pk == user.pk for holder in area.lead.holders.all())


# A judged risk rating is the area lead's; performance managers may record it on their behalf.
# The role checks come first: they need no query per area.
rules.add_perm(
    "boards.assess_priority_area", is_performance_manager | is_administrator | leads_priority_area
)
