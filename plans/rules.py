"""Object permissions, as rules predicates over the permission-scoped querysets."""

import rules

from plans.models import Action


@rules.predicate
def can_update_action(user, action: Action) -> bool:
    # The queryset is the one place that decides; views fetch through it, this asks it.
    return Action.objects.editable_by(user).filter(pk=action.pk).exists()


rules.add_perm("plans.update_action", can_update_action)
