"""The four roles in the tracker, as Django groups, and the rules that use them."""

import rules
from django.db import models

# Demo accounts belong to this group too: they can sign in only in demo mode (plans.auth).
DEMO_GROUP = "Demo accounts"


class Role(models.TextChoices):
    HEAD_OF_SERVICE = "Head of service"
    BOARD_MEMBER = "Board member"
    PERFORMANCE_MANAGER = "Performance manager"
    ADMINISTRATOR = "Administrator"
    # Minutes the board's or panel's decisions; reads everything else.
    PANEL_CLERK = "Panel clerk"


def has_role(role: Role):
    return rules.is_group_member(role.value)


def user_has_role(user, role: Role) -> bool:
    return has_role(role).test(user)


# Board members and panel clerks read the plans they are given (Plan.members), as each board or
# panel has its own plan; every other role, whatever else the person is, reads every plan.
READ_GIVEN_PLANS = (Role.BOARD_MEMBER, Role.PANEL_CLERK)


def reads_every_plan(user) -> bool:
    return user.is_superuser or any(
        user_has_role(user, role) for role in Role if role not in READ_GIVEN_PLANS
    )


def user_can_update_any_action(user) -> bool:
    return bool(is_performance_manager.test(user) or is_administrator.test(user))


is_administrator = rules.is_superuser | has_role(Role.ADMINISTRATOR)
is_performance_manager = has_role(Role.PERFORMANCE_MANAGER)
is_panel_clerk = has_role(Role.PANEL_CLERK)

# Every signed-in user reads the plan (LoginRequiredMiddleware); performance managers import it.
rules.add_perm("plans.import_plan", is_performance_manager | is_administrator)
# Case audits are recorded against success criteria by whoever loads the figures.
rules.add_perm("plans.record_audit_results", is_performance_manager | is_administrator)
rules.add_perm("plans.manage_meetings", is_performance_manager | is_administrator)
rules.add_perm("plans.give_plans", is_performance_manager | is_administrator)
