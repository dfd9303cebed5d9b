"""The yearly rollover: next year's plan carried on from this year's.

The new plan gets the priority areas, objectives (with their posts, partners, success criteria
and inspection findings) and every action not complete, each action linked to the one it carries
on (Action.carried_over_from). Complete actions stay where they were achieved. The old plan is
archived: read-only, its history untouched, so every report as at a past date is as it was. The
other apps copy what is theirs (reminder settings, indicators) on `plan_rolled_over`. All or
nothing: one transaction."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify

from plans.models import (
    Action,
    ActionStatus,
    Objective,
    Plan,
    PriorityArea,
    SuccessCriterion,
)

# Sent inside the rollover's transaction: sender=Plan, source=the old plan, plan=the new one,
# areas={old area pk: new area}, by=who rolled it over. A receiver that fails undoes it all.
plan_rolled_over = Signal()


class RolloverRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class RolloverPreview:
    """What a rollover would do, and what stops it, before anything is written."""

    source: Plan
    reference: str
    title: str
    start: date
    period: str
    areas: int = 0
    objectives: int = 0
    criteria: int = 0
    carried: list[Action] = field(default_factory=list)
    staying: int = 0  # complete actions, left in the old plan
    problems: list[str] = field(default_factory=list)


def financial_year(start: date) -> str:
    """The council year (April to March) a plan starting on `start` covers: "2022–23"."""
    first = start.year if start.month >= 4 else start.year - 1
    return f"{first}–{(first + 1) % 100:02d}"


def rollover_preview(source: Plan, *, reference: str, title: str, start: date) -> RolloverPreview:
    preview = RolloverPreview(
        source=source, reference=reference, title=title.strip(), start=start,
        period=financial_year(start),
    )  # fmt: skip
    problems = preview.problems
    if source.is_archived:
        problems.append(
            f"{source.title} was rolled over already (archived on {source.archived:%-d %B %Y})."
        )
    if not reference or slugify(reference) != reference:
        problems.append(
            "Give the new plan a short reference of lower-case letters, digits and hyphens, "
            "such as improvement-2027-28."
        )
    elif Plan.objects.filter(reference=reference).exists():
        problems.append(f"A plan with the reference {reference} exists already: choose another.")
    if not preview.title:
        problems.append("Give the new plan a title, such as Improvement Plan 2027–28.")
    if preview.period == source.period:
        problems.append(
            f"The new plan would cover {preview.period}, the year {source.title} covers: give "
            "a start date in the next year."
        )
    actions = Action.objects.filter(objective__plan=source).select_related("objective")
    preview.carried = [a for a in actions if a.status != ActionStatus.COMPLETE]
    preview.staying = len(actions) - len(preview.carried)
    preview.areas = source.priority_areas.count()
    preview.objectives = source.objectives.count()
    preview.criteria = SuccessCriterion.objects.filter(objective__plan=source).count()
    return preview


@transaction.atomic
def rollover_plan(source: Plan, *, reference: str, title: str, start: date, by) -> Plan:
    """Make next year's plan from `source` and archive `source`, or refuse and write nothing."""
    # The old plan is locked for the rollover's length: two at once cannot both carry it on.
    source = Plan.objects.select_for_update().get(pk=source.pk)
    preview = rollover_preview(source, reference=reference, title=title, start=start)
    if preview.problems:
        raise RolloverRefused(preview.problems)
    members = list(source.members.all())
    plan = _save_copy(
        Plan.objects.get(pk=source.pk), by, reference=reference, title=preview.title,
        period=preview.period, published=start, rolled_over_from=source, archived=None,
    )  # fmt: skip
    plan.members.set(members)
    areas = _copy_areas(source, plan, by)
    objectives = _copy_objectives(source, plan, areas, by)
    for old in preview.carried:
        _carry_action(old, objectives[old.objective_id], by)
    plan_rolled_over.send(sender=Plan, source=source, plan=plan, areas=areas, by=by)
    source.archived = timezone.localdate()
    source._history_user = by  # simple_history records who archived it
    source.save(update_fields=["archived"])
    return plan


def _save_copy(instance, by, **changes):
    """A new row copied from `instance` with `changes`, its history saying who made it."""
    instance.pk, instance.id = None, None
    instance._state.adding = True
    instance._prefetched_objects_cache = {}  # else its many-to-many sets see the old rows
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_user = by
    instance.save()
    return instance


def _copy_areas(source: Plan, plan: Plan, by) -> dict[int, PriorityArea]:
    return {area.pk: _save_copy(area, by, plan=plan) for area in source.priority_areas.all()}


def _copy_objectives(source: Plan, plan: Plan, areas, by) -> dict[int, Objective]:
    copies = {}
    objectives = source.objectives.prefetch_related(
        "responsible_posts", "partners", "success_criteria", "inspection_references"
    )
    for objective in objectives:
        old_pk = objective.pk
        posts, partners = list(objective.responsible_posts.all()), list(objective.partners.all())
        criteria = list(objective.success_criteria.all())
        findings = list(objective.inspection_references.all())
        _save_copy(objective, by, plan=plan, priority_area=areas[objective.priority_area_id])
        objective.responsible_posts.set(posts)
        objective.partners.set(partners)
        for criterion in criteria:
            _save_copy(criterion, by, objective=objective)
        for finding in findings:
            _save_copy(finding, by, objective=objective)
        copies[old_pk] = objective
    return copies


def _carry_action(old: Action, objective: Objective, by) -> Action:
    """The unfinished action in the new plan, as it stands (status, commentary, dates, last
    update), linked to the one it carries on; its updates stay with the old one."""
    owners = list(old.owners.all())
    new = Action(
        objective=objective, reference=old.reference, position=old.position,
        description=old.description, due_date=old.due_date, status=old.status,
        revised_due_date=old.revised_due_date, revision_reason=old.revision_reason,
        commentary=old.commentary, last_updated_at=old.last_updated_at,
        last_updated_by=old.last_updated_by, carried_over_from=old,
    )  # fmt: skip
    new._history_user = by
    new.save()
    new.owners.set(owners)
    return new
