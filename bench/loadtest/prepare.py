"""Give the load test's accounts a known password and write what the simulated users need.

Run by bench/loadtest/run.py on the load-test database (DATABASE_URL), after generate_scale_data:

    python bench/loadtest/prepare.py --password SECRET --out .tools/loadtest/accounts.json

generate_scale_data leaves every user with an unusable password. This sets one password (hashed
once with Django's own hasher, then copied, so 260 accounts take one hash, not 260) on the
accounts the load test signs in with, clears django-axes' failed sign-ins, and writes a JSON file:

- "heads": heads of service (`<plan>.hosNN`, `<plan>.deputy`, `<plan>.joinerNN`) with the
  unfinished actions they may update (those with none are left out). Each unfinished action
  is given to one of its holders only, so two simulated users never post to the same action
  and no update is refused as stale (progress.services);
- "board": board members (`<plan>.chair`, `<plan>.board`) with their plan's objectives;
- "performance": performance managers (`<plan>.performance`) with their plan.

It touches nothing else: the product code sets no password here.
"""

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()

    from axes.models import AccessAttempt, AccessFailureLog
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from plans.models import Action, ActionStatus, Objective, Plan
    from plans.roles import Role

    plans = list(Plan.objects.filter(reference__startswith="scale-").order_by("reference"))
    if not plans:
        sys.exit("No scale-NN plans: run generate_scale_data on this database first.")

    def members(role: Role):
        return User.objects.filter(
            groups__name=role.value, username__startswith="scale-", is_active=True
        ).order_by("username")

    heads = list(members(Role.HEAD_OF_SERVICE))
    board = list(members(Role.BOARD_MEMBER))
    performance = list(members(Role.PERFORMANCE_MANAGER))

    # One hash for every account the test uses: the server checks it as it would any other.
    hashed = make_password(args.password)
    users = [*heads, *board, *performance]
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=hashed)
    AccessAttempt.objects.all().delete()
    AccessFailureLog.objects.all().delete()

    # Each unfinished action to exactly one of the heads who may update it (the fewest so far).
    assigned: dict[str, list[str]] = defaultdict(list)
    plan_of: dict[str, str] = {}
    holders: dict[int, list[str]] = defaultdict(list)
    refs: dict[int, tuple[str, str]] = {}
    for head in heads:
        actions = (
            Action.objects.editable_by(head)
            .exclude(status=ActionStatus.COMPLETE)
            .select_related("objective__plan")
        )
        for action in actions:
            holders[action.pk].append(head.username)
            refs[action.pk] = (action.objective.plan.reference, action.reference)
    for pk in sorted(holders):
        chosen = min(holders[pk], key=lambda name: (len(assigned[name]), name))
        plan, reference = refs[pk]
        assigned[chosen].append(reference)
        plan_of.setdefault(chosen, plan)

    objectives = defaultdict(list)
    for plan_ref, reference in Objective.objects.values_list("plan__reference", "reference"):
        objectives[plan_ref].append(reference)

    def plan_from_username(username: str) -> str:
        return username.split(".")[0]

    data = {
        "heads": [
            {
                "username": head.username,
                "plan": plan_of.get(head.username, plan_from_username(head.username)),
                "actions": sorted(assigned[head.username]),
            }
            for head in heads
            if assigned[head.username]  # the rest hold no unfinished action of their own
        ],
        "board": [
            {
                "username": member.username,
                "plan": plan_from_username(member.username),
                "objectives": sorted(objectives[plan_from_username(member.username)]),
            }
            for member in board
        ],
        "performance": [
            {"username": manager.username, "plan": plan_from_username(manager.username)}
            for manager in performance
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1))
    updatable = sum(1 for head in data["heads"] if head["actions"])
    print(
        f"Accounts: {len(heads)} heads of service ({updatable} with actions to update, "
        f"{sum(len(a) for a in assigned.values())} actions), {len(board)} board members, "
        f"{len(performance)} performance managers, over {len(plans)} plans. Written: {args.out}"
    )


if __name__ == "__main__":
    main()
