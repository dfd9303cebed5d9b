"""Who may record a priority area's judged risk rating for a meeting, and who may ask the board
for a decision on an exception."""

import rules

from plans.models import Action, PriorityArea
from plans.roles import is_administrator, is_performance_manager
from plans.rules import can_update_action


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


@rules.predicate
def owns_or_leads(user, subject: Action | PriorityArea) -> bool:
    """The action's owner (who may update it) or its area's lead; for an area, its lead."""
    if isinstance(subject, Action):
        return can_update_action(user, subject) or leads_priority_area(
            user, subject.objective.priority_area
        )
    return leads_priority_area(user, subject)


# A decision is asked of the board by whoever answers for the exception; a performance manager
# may set it out on their behalf. What the board decided is recorded by whoever keeps meetings.
rules.add_perm("boards.ask_for_decision", is_performance_manager | is_administrator | owns_or_leads)
