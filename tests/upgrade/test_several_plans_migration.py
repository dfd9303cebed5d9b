"""Migration plans 0025 (several plans): the board members and panel clerks already here keep
reading every plan there is; nothing else changes."""

import pytest

from tests.upgrade.migrating import leaf_nodes, migrate

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = [("plans", "0024_history_newest_rows")], [("plans", "0025_several_plans")]


def test_board_members_and_clerks_keep_every_plan_and_nobody_else_is_given_one():
    old = migrate(BEFORE)
    Group, User, Plan = (old.get_model(*name.split(".")) for name in
                         ("auth.Group", "auth.User", "plans.Plan"))  # fmt: skip
    roles = {name: Group.objects.get_or_create(name=name)[0] for name in
             ("Board member", "Panel clerk", "Head of service")}  # fmt: skip
    people = {}
    for name, group in roles.items():
        people[name] = User.objects.create(username=name.replace(" ", "-").lower())
        people[name].groups.add(group)
    plans = [Plan.objects.create(reference=f"p{n}", title=f"Plan {n}", organisation="Council",
                                 period="2021–22") for n in (1, 2)]  # fmt: skip

    new = migrate(AFTER)
    Plan = new.get_model("plans", "Plan")

    for plan in plans:
        members = set(Plan.objects.get(pk=plan.pk).members.values_list("username", flat=True))
        assert members == {"board-member", "panel-clerk"}
    assert [p.title for p in Plan.objects.order_by("pk")] == ["Plan 1", "Plan 2"]
    migrate([("plans", "0024_history_newest_rows")])  # and back, as a rollback would
    migrate(leaf_nodes())
