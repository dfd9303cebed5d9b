"""Import a plan from the workbook template: check every cell first, then write all or nothing."""

from functools import cache

from django.db import transaction
from django.db.models import ProtectedError

from plans.bulk_writer import BulkWriter, ImportSummary, WriteRow
from plans.models import (
    Action,
    ActionStatus,
    InspectionReference,
    Objective,
    Partner,
    Plan,
    Post,
    PriorityArea,
    SuccessCriterion,
)
from plans.plan_reader import PlanData, parse_plan
from plans.spreadsheets import read_sheets
from plans.workbook_checks import ImportRejected, Problem


def plan_import(*, data: PlanData, by) -> ImportSummary:
    """Write a checked plan: create or update by reference, remove what the file no longer has."""
    with transaction.atomic():
        plan = Plan.objects.filter(reference=data.plan["reference"]).first() or Plan()
        summary = ImportSummary(plan=plan)
        writer = BulkWriter(summary, by)
        writer.save("plans", Plan, [WriteRow(plan, data.plan)])

        posts = {post.name: post for post in Post.objects.filter(name__in=data.posts)}
        rows = [
            WriteRow(posts.get(name) or Post(), {"name": name, "description": description})
            for name, description in data.posts.items()
        ]
        posts = {post.name: post for post in writer.save("posts", Post, rows)}
        partner_names = sorted({name for o in data.objectives for name in o["partners"]})
        partners = {p.name: p for p in Partner.objects.filter(name__in=partner_names)}
        rows = [WriteRow(partners.get(name) or Partner(), {"name": name}) for name in partner_names]
        partners = {partner.name: partner for partner in writer.save("partners", Partner, rows)}

        existing_areas = {a.reference: a for a in plan.priority_areas.all()}
        rows = [
            WriteRow(
                existing_areas.pop(record["reference"], None) or PriorityArea(plan=plan), record
            )
            for record in data.priority_areas
        ]
        areas = {area.reference: area for area in writer.save("priority areas", PriorityArea, rows)}

        existing_objectives = {o.reference: o for o in plan.objectives.all()}
        rows = []
        for record in data.objectives:
            values = dict(record, priority_area=areas[record["priority_area"]])
            many = {
                "responsible_posts": [posts[name] for name in values.pop("responsible_posts")],
                "partners": [partners[name] for name in values.pop("partners")],
            }
            objective = existing_objectives.pop(record["reference"], None) or Objective(plan=plan)
            rows.append(WriteRow(objective, values, many))
        objectives = {o.reference: o for o in writer.save("objectives", Objective, rows)}

        existing_actions = {a.reference: a for a in Action.objects.filter(objective__plan=plan)}

        @cache
        def reported() -> set:
            """The plan's actions with progress updates: one query, made only when needed."""
            # By the actions' own link to their updates: the plan app imports no other app.
            reported = Action.objects.filter(objective__plan=plan, updates__isnull=False)
            return set(reported.values_list("pk", flat=True))

        reported_elsewhere = []
        rows = []
        for record in data.actions:
            action = existing_actions.pop(record["reference"], None) or Action()
            values = dict(record, objective=objectives[record["objective"]])
            many = {"owners": [posts[name] for name in values.pop("owners")]}
            if not values["status"]:
                # A blank status keeps what the owner reported; a new action starts not started.
                values["status"] = action.status if action.pk else ActionStatus.NOT_STARTED
            elif action.pk and values["status"] != action.status and action.pk in reported():
                # Owners report status through progress updates; a spreadsheet cannot overrule them.
                reported_elsewhere.append((action, values["status"]))
                values["status"] = action.status
            rows.append(WriteRow(action, values, many))
        writer.save("actions", Action, rows)

        existing_criteria = {
            c.reference: c for c in SuccessCriterion.objects.filter(objective__plan=plan)
        }
        rows = [
            WriteRow(
                existing_criteria.pop(record["reference"], None) or SuccessCriterion(),
                dict(record, objective=objectives[record["objective"]]),
            )
            for record in data.success_criteria
        ]
        writer.save("success criteria", SuccessCriterion, rows)

        existing_references = {
            r.reference: r for r in InspectionReference.objects.filter(objective__plan=plan)
        }
        rows = [
            WriteRow(
                existing_references.pop(record["reference"], None) or InspectionReference(),
                dict(record, objective=objectives[record["objective"]]),
            )
            for record in data.inspection_references
        ]
        writer.save("inspection references", InspectionReference, rows)

        # Progress reported on an action is never thrown away or overruled by a spreadsheet.
        problems = [
            Problem(
                "Actions",
                None,
                "Reference",
                action.reference,
                "has progress updates, so it cannot be removed from the plan. Put its row back "
                "(its owner can mark it Complete).",
            )
            for action in existing_actions.values()
            if action.pk in reported()
        ] + [
            Problem(
                "Actions",
                None,
                "Status",
                ActionStatus(status).label,
                f"differs from what the owner of action {action.reference} reported "
                f"({action.get_status_display()}). Leave Status empty or as reported: owners "
                "change it with a progress update.",
            )
            for action, status in reported_elsewhere
        ]
        if problems:
            raise ImportRejected(problems)
        # Remove what the file no longer holds, children first; the history keeps them.
        for sheet, leftover in [
            ("Inspection references", existing_references), ("Success criteria", existing_criteria),
            ("Actions", existing_actions), ("Objectives", existing_objectives),
            ("Priority areas", existing_areas),
        ]:  # fmt: skip
            for instance in leftover.values():
                try:
                    writer.remove(sheet.lower(), [instance])
                except ProtectedError as error:
                    # Another part of the tracker keeps something that refers to it (a decision
                    # asked of the board, say): nothing is written, and the author is told.
                    problems.append(_kept_elsewhere(sheet, instance, error))
        if problems:
            raise ImportRejected(problems)
    return summary


def _kept_elsewhere(sheet: str, instance, error: ProtectedError) -> Problem:
    kept = next(iter(error.protected_objects))
    return Problem(
        sheet, None, "Reference", instance.reference,
        f"cannot be removed from the plan: the {kept._meta.verbose_name} “{kept}” refers to it. "
        "Put its row back.",
    )  # fmt: skip


def import_plan_file(*, filename: str, content: bytes, by) -> ImportSummary:
    """Read, check and import a plan file; raises WorkbookError or ImportRejected on bad input."""
    return plan_import(data=parse_plan(read_sheets(filename, content)), by=by)
