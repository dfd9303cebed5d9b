"""Object permissions, as rules predicates over the permission-scoped querysets."""

import rules

from plans.models import Action, Recommendation
from plans.roles import Role, is_administrator, is_performance_manager, user_has_role


@rules.predicate
def can_update_action(user, action: Action) -> bool:
    # The queryset is the one place that decides; views fetch through it, this asks it.
    return Action.objects.editable_by(user).filter(pk=action.pk).exists()


rules.add_perm("plans.update_action", can_update_action)


@rules.predicate
def answers_for_recommendation(user, recommendation: Recommendation | None) -> bool:
    """A head of service holding a post that answers for it (prefetch the posts for lists)."""
    if recommendation is None or not user_has_role(user, Role.HEAD_OF_SERVICE):
        return False
    return any(
        holder.pk == user.pk
        for post in recommendation.answering_posts()
        for holder in post.holders.all()
    )


# Action taken is recorded by whoever answers for the recommendation, or a performance manager.
rules.add_perm(
    "plans.update_recommendation",
    is_performance_manager | is_administrator | answers_for_recommendation,
)
