"""Who may do what in the register."""

import rules

from plans.roles import (
    Role,
    is_administrator,
    is_panel_clerk,
    is_performance_manager,
    user_has_role,
)
from recommendations.models import Recommendation

# Recommendations are recorded, and a committee's decisions minuted, by its clerk or the
# performance manager; only a decision closes one (a head of service proposes, never closes).
rules.add_perm(
    "recommendations.manage_recommendations",
    is_performance_manager | is_administrator | is_panel_clerk,
)


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
    "recommendations.update_recommendation",
    is_performance_manager | is_administrator | answers_for_recommendation,
)
