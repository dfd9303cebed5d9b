"""The plan, its actions and their progress as they stood at a moment, rebuilt from history: what
every report is built from, for today as for any past date (plans.as_at reads the rows)."""

from collections import namedtuple
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Window
from django.db.models.functions import RowNumber

from plans.as_at import attach_parent, attach_related, group_by, objects_as_at, related_ids
from plans.models import Action, AuditResult, Objective, Plan, Post, PriorityArea, SuccessCriterion
from progress.models import ProgressUpdate


@dataclass
class PlanSnapshot:
    """A plan as it stood at `moment`; `exists` is False when it was not yet in the tracker."""

    plan: Plan
    moment: datetime
    exists: bool = True
    priority_areas: list[PriorityArea] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    posts: dict[int, Post] = field(default_factory=dict)

    def objectives_of(self, area: PriorityArea) -> list[Objective]:
        return [o for o in self.objectives if o.priority_area_id == area.pk]


def plan_as_at(plan: Plan, moment: datetime) -> PlanSnapshot:
    """The plan, its areas, objectives, actions, criteria, posts and updates as at `moment`,
    in a fixed number of queries whatever the plan's size. An action's `updates` are only those
    reports read (`_updates_the_reports_read`). (What the reports do not show, such
    as partners and inspection references, is left out.)"""
    plan_rows = objects_as_at(Plan, moment, id=plan.pk)
    if not plan_rows:
        return PlanSnapshot(plan=plan, moment=moment, exists=False)
    plan_then = plan_rows[0]
    areas = sorted(
        objects_as_at(PriorityArea, moment, plan_id=plan.pk),
        key=lambda a: (a.position, a.reference),
    )
    areas_by_id = {area.pk: area for area in areas}
    objectives = sorted(
        objects_as_at(Objective, moment, plan_id=plan.pk),
        key=lambda o: (o.position, o.reference),
    )
    objective_ids = [o.pk for o in objectives]
    actions = sorted(
        objects_as_at(Action, moment, objective_id__in=objective_ids),
        key=lambda a: (a.position, a.pk),
    )
    criteria = sorted(
        objects_as_at(SuccessCriterion, moment, objective_id__in=objective_ids),
        key=lambda c: (c.position, c.reference),
    )
    results = objects_as_at(AuditResult, moment, criterion_id__in=[c.pk for c in criteria])
    updates = _updates_the_reports_read(actions, moment)

    responsible = related_ids(Objective, "responsible_posts", objectives)
    owners = related_ids(Action, "owners", actions)
    post_ids = {i for ids in [*responsible.values(), *owners.values()] for i in ids}
    post_ids |= {area.lead_id for area in areas if area.lead_id}
    posts = {post.pk: post for post in objects_as_at(Post, moment, id__in=post_ids)}
    holder_ids = related_ids(Post, "holders", list(posts.values()))
    users = get_user_model().objects.in_bulk({i for ids in holder_ids.values() for i in ids})
    for post in posts.values():
        attach_related(post, "holders", [users[i] for i in holder_ids[post.pk] if i in users])

    results_by_criterion = group_by(results, lambda r: r.criterion_id)
    for criterion in criteria:
        attach_related(criterion, "audit_results", results_by_criterion[criterion.pk])
    updates_by_action = group_by(updates, lambda u: u.action_id)
    objectives_by_id = {o.pk: o for o in objectives}
    for action in actions:
        attach_parent(action, "objective", objectives_by_id[action.objective_id])
        attach_related(action, "owners", _posts(posts, owners[action.pk]))
        attach_related(action, "updates", updates_by_action[action.pk])
    actions_by_objective = group_by(actions, lambda a: a.objective_id)
    criteria_by_objective = group_by(criteria, lambda c: c.objective_id)
    for objective in objectives:
        attach_parent(objective, "plan", plan_then)
        attach_parent(objective, "priority_area", areas_by_id[objective.priority_area_id])
        attach_related(objective, "actions", actions_by_objective[objective.pk])
        attach_related(objective, "success_criteria", criteria_by_objective[objective.pk])
        attach_related(objective, "responsible_posts", _posts(posts, responsible[objective.pk]))
    for area in areas:
        attach_parent(area, "plan", plan_then)
        area.lead = posts.get(area.lead_id)
    return PlanSnapshot(
        plan=plan_then,
        moment=moment,
        priority_areas=areas,
        objectives=objectives,
        actions=actions,
        posts=posts,
    )


UpdateRow = namedtuple("UpdateRow", ["action_id", "created_at", "commentary", "status"])


def _updates_the_reports_read(actions: list[Action], moment: datetime):
    """Each action's latest update before `moment` and its latest with commentary (often the
    same one), oldest first: what reports read, not the two years of fortnightly updates.
    Only when and what: rows, not models, as a report reads hundreds of them."""
    ids = [a.pk for a in actions]
    if connection.vendor == "postgresql" and ids:
        return _newest_updates_postgresql(ids, moment)
    newest_of_each_kind = Window(
        RowNumber(),
        partition_by=[F("action_id"), ExpressionWrapper(Q(commentary=""), BooleanField())],
        order_by=F("version").desc(),
    )
    return (
        ProgressUpdate.objects.filter(action_id__in=ids, created_at__lt=moment)
        .annotate(rank=newest_of_each_kind)
        .filter(rank=1)
        .order_by("version")
        .values_list(*UpdateRow._fields, named=True)
    )


def _newest_updates_postgresql(ids: list[int], moment: datetime) -> list[UpdateRow]:
    """As the window above, in two probes per action of the (action, version) indexes, newest
    first (one of them partial: updates without commentary are few): the window sorted every
    update of the plan's actions, a few milliseconds at scale."""
    table = connection.ops.quote_name(ProgressUpdate._meta.db_table)
    newest = (
        f"SELECT action_id, created_at, commentary, status, version FROM {table} "  # noqa: S608 (the model's table)
        "WHERE action_id = action.id AND created_at < %s AND commentary {} '' "
        "ORDER BY version DESC LIMIT 1"
    )
    sql = (
        "SELECT action_id, created_at, commentary, status FROM unnest(%s::bigint[]) action(id) "  # noqa: S608 (as above)
        f"CROSS JOIN LATERAL (({newest.format('<>')}) UNION ALL ({newest.format('=')})) chosen "
        "ORDER BY version"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, moment, moment])
        return [UpdateRow(*row) for row in cursor.fetchall()]


def _posts(posts: dict[int, Post], ids: list[int]) -> list[Post]:
    # Deleting a post removes its links with no history row, so an old row may name a post
    # that did not exist at the moment: such posts are left out.
    return sorted((posts[i] for i in ids if i in posts), key=lambda post: post.name)
