"""Export a plan in the import template's sheets, so that an export imports back unchanged."""

from plans.models import Action, InspectionReference, Plan, SuccessCriterion
from plans.rag import Direction
from plans.workbook import FILE_SUFFIX, PLAN_SHEET, SHEETS, WRITERS


def _names(related) -> str:
    return "; ".join(sorted(item.name for item in related.all()))


def plan_sheets(plan: Plan) -> dict[str, list[list]]:
    """The plan as sheets of rows, each sheet's heading row first."""
    areas = list(plan.priority_areas.all())
    objectives = list(
        plan.objectives.select_related("priority_area").prefetch_related(
            "responsible_posts", "partners"
        )
    )
    actions = list(
        Action.objects.filter(objective__plan=plan)
        .select_related("objective")
        .prefetch_related("owners")
        .order_by("position", "pk")
    )
    criteria = SuccessCriterion.objects.filter(objective__plan=plan).select_related("objective")
    inspections = InspectionReference.objects.filter(objective__plan=plan).select_related(
        "objective"
    )
    posts = {post for objective in objectives for post in objective.responsible_posts.all()}
    posts |= {post for action in actions for post in action.owners.all()}

    plan_values = {
        "Reference": plan.reference,
        "Title": plan.title,
        "Organisation": plan.organisation,
        "Period": plan.period,
        "Vision": plan.vision,
        "Governance": plan.governance,
        "Board membership": plan.board_membership,
        "Published": plan.published,
    }
    rows = {
        PLAN_SHEET: [[name, value] for name, value in plan_values.items()],
        "Priority areas": [
            [a.reference, a.title, a.assurance, a.linked_service_plans] for a in areas
        ],
        "Posts": [[p.name, p.description] for p in sorted(posts, key=lambda p: p.name)],
        "Objectives": [
            [
                o.reference,
                o.priority_area.reference,
                _names(o.responsible_posts),
                o.responsible_officers_as_written,
                o.differently_or_better,
                o.outcome,
                o.target_date,
                o.second_target_date,
                o.target_date_note,
                _names(o.partners),
            ]
            for o in objectives
        ],
        "Actions": [
            [
                a.reference,
                a.objective.reference,
                a.description,
                _names(a.owners),
                a.due_date,
                a.get_status_display(),
            ]
            for a in actions
        ],
        "Success criteria": [
            [
                c.reference,
                c.objective.reference,
                c.criterion,
                c.unit,
                Direction(c.direction).label if c.direction else "",
                c.red,
                c.amber,
                c.green,
            ]
            for c in criteria.order_by("position", "pk")
        ],
        "Inspection references": [
            [r.reference, r.objective.reference, r.source, r.year, r.get_kind_display(), r.text]
            for r in inspections.order_by("objective__position", "pk")
        ],
    }
    return {name: [SHEETS[name], *rows[name]] for name in SHEETS}


def export_plan(plan: Plan, file_format: str) -> tuple[str, bytes]:
    """Return (file name, content) of the plan in `file_format`: xlsx, csv (zipped) or json."""
    content = WRITERS[file_format](plan_sheets(plan))
    return f"{plan.reference}.{FILE_SUFFIX[file_format]}", content
