"""Read-side queries for the plan pages, with their related rows fetched up front."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from plans.models import Action, Objective, Plan, PriorityArea
from plans.rag import Rag, worst
from plans.roles import reads_every_plan

# The order ratings are counted and shown in.
RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE, Rag.NOT_RATED]


def plans_for_user(user):
    """The plans `user` reads: all of them, or for a board member or panel clerk (and nothing
    more) those they are given (plans.roles.reads_every_plan)."""
    plans = Plan.objects.all()
    return plans if reads_every_plan(user) else plans.filter(members=user.pk)


def plan_for_user(user, reference: str, *, to_change: bool = False) -> Plan:
    """The plan, if `user` reads it (else not found). `to_change`: the page changes something,
    which an archived plan refuses (it stays as it was at the rollover)."""
    plan = get_object_or_404(plans_for_user(user), reference=reference)
    if to_change and plan.is_archived:
        raise PermissionDenied(
            f"{plan.title} was archived on {plan.archived:%-d %B %Y}: it can be read, not "
            "changed. Its unfinished actions carry on in the plan that followed it."
        )
    return plan


def _actions_prefetch():
    return Prefetch(
        "actions",
        queryset=Action.objects.prefetch_related("owners").order_by("position", "pk"),
    )


def objectives_with_parts():
    """Objectives with everything their RAG and their page need, in a fixed number of queries."""
    return Objective.objects.select_related("priority_area", "plan").prefetch_related(
        "responsible_posts",
        "partners",
        "success_criteria__audit_results",
        "inspection_references",
        _actions_prefetch(),
    )


@dataclass
class AreaSummary:
    area: PriorityArea
    objectives: list[Objective]
    today: date
    action_counts: Counter = field(init=False)
    overdue: int = field(init=False)
    rag: Rag = field(init=False)

    def __post_init__(self):
        actions = [a for o in self.objectives for a in o.actions.all()]
        self.action_counts = Counter(a.rag(self.today) for a in actions)
        self.overdue = sum(a.is_overdue(self.today) for a in actions)
        self.rag = worst(o.rag(self.today) for o in self.objectives)
        self.action_total = len(actions)

    def counts_in_order(self):
        return [(rating, self.action_counts.get(rating, 0)) for rating in RAG_ORDER]


def plan_overview(plan: Plan, today: date) -> list[AreaSummary]:
    objectives = list(objectives_with_parts().filter(plan=plan))
    by_area: dict[int, list[Objective]] = {}
    for objective in objectives:
        by_area.setdefault(objective.priority_area_id, []).append(objective)
    return [
        AreaSummary(area, by_area.get(area.pk, []), today) for area in plan.priority_areas.all()
    ]
