"""Reading the plan workbook: every sheet checked against the template and the rules, into the
plan's records (`PlanData`), nothing written."""

from dataclasses import dataclass

from plans.models import (
    Action,
    ActionStatus,
    InspectionKind,
    InspectionReference,
    Objective,
    Partner,
    Post,
    PriorityArea,
    SuccessCriterion,
)
from plans.rag import Direction
from plans.spreadsheets import Row, Sheet
from plans.workbook import PLAN_FIELDS, PLAN_SHEET, SHEETS
from plans.workbook_checks import (
    PLAN_FIELD_LENGTHS,
    PLAN_REFERENCE_PATTERN,
    REQUIRED_PLAN_FIELDS,
    ImportRejected,
    Problem,
    SheetChecker,
    check_unique,
    field_max_length,
    find_sheets,
)


# What the file says, once every cell has been checked.
@dataclass
class PlanData:
    plan: dict
    posts: dict[str, str]  # name -> description
    priority_areas: list[dict]
    objectives: list[dict]
    actions: list[dict]
    success_criteria: list[dict]
    inspection_references: list[dict]

    def all_dates(self):
        """(record, field) pairs of every date, for tools that move the whole plan in time."""
        yield self.plan, "published"
        for objective in self.objectives:
            yield objective, "target_date"
            yield objective, "second_target_date"
        for action in self.actions:
            yield action, "due_date"


def parse_plan(sheets: dict[str, Sheet]) -> PlanData:
    """Check every sheet and cell; return the plan's data, or raise ImportRejected listing all."""
    problems: list[Problem] = []
    found = find_sheets(sheets, SHEETS, problems)
    checkers = {name: SheetChecker(sheet, problems) for name, sheet in found.items()}

    # Plan: one field per row.
    plan_checker = checkers[PLAN_SHEET]
    plan_fields: dict[str, Row] = {}
    known_fields = {f.casefold(): f for f in PLAN_FIELDS}
    for row in found[PLAN_SHEET].rows:
        field_name = plan_checker.text(row, "Field")
        canonical = known_fields.get(field_name.casefold())
        if canonical is None:
            plan_checker.problem(
                row,
                "Field",
                field_name,
                "is not a plan field. Use one of: " + ", ".join(PLAN_FIELDS) + ".",
            )
        elif canonical in plan_fields:
            plan_checker.problem(row, "Field", field_name, "appears twice. Keep one row for it.")
        else:
            plan_fields[canonical] = row
    for name in PLAN_FIELDS:
        # A missing row would otherwise blank the field on re-import, so every row must be there.
        if name not in plan_fields:
            plan_checker.problem(
                None,
                "Field",
                "",
                f"The plan's '{name}' row is missing. Add it"
                + (
                    " with its value."
                    if name in REQUIRED_PLAN_FIELDS
                    else " (its value may be empty)."
                ),
            )
        elif name in REQUIRED_PLAN_FIELDS and not plan_checker.text(plan_fields[name], "Value"):
            plan_checker.problem(
                plan_fields[name], "Value", "", f"The plan's {name} is empty. Fill it in."
            )

    def plan_value(name, reader="text"):
        row = plan_fields.get(name)
        if row is None:
            return None if reader == "date" else ""
        if reader == "date":
            return plan_checker.date(row, "Value")
        return plan_checker.text(row, "Value", max_length=PLAN_FIELD_LENGTHS.get(name))

    plan_reference = plan_value("Reference")
    if plan_reference and not PLAN_REFERENCE_PATTERN.match(plan_reference):
        plan_checker.problem(
            plan_fields["Reference"],
            "Value",
            plan_reference,
            "is not a valid plan reference. Use letters, digits, '-' or '_' without spaces.",
        )
    plan = {
        "reference": plan_reference,
        "title": plan_value("Title"),
        "organisation": plan_value("Organisation"),
        "period": plan_value("Period"),
        "vision": plan_value("Vision"),
        "governance": plan_value("Governance"),
        "board_membership": plan_value("Board membership"),
        "published": plan_value("Published", "date"),
    }

    # Posts.
    checker = checkers["Posts"]
    post_rows = [
        (
            row,
            {
                "name": checker.text(
                    row, "Post", required=True, max_length=field_max_length(Post, "name")
                ),
                "description": checker.text(row, "Description"),
            },
        )
        for row in found["Posts"].rows
    ]
    check_unique(checker, post_rows, "name", "Post", "post")
    posts = {record["name"]: record["description"] for _, record in post_rows if record["name"]}

    # Priority areas.
    checker = checkers["Priority areas"]
    area_rows = [
        (
            row,
            {
                "reference": checker.reference(
                    row, "Reference", max_length=field_max_length(PriorityArea, "reference")
                ),
                "position": position,
                "title": checker.text(
                    row, "Title", required=True, max_length=field_max_length(PriorityArea, "title")
                ),
                "assurance": checker.text(row, "How we will provide assurance"),
                "linked_service_plans": "; ".join(
                    checker.names(row, "Linked service delivery plans")
                ),
            },
        )
        for position, row in enumerate(found["Priority areas"].rows, start=1)
    ]
    check_unique(checker, area_rows, "reference", "Reference", "priority area")
    area_refs = {record["reference"]: record for _, record in area_rows}

    # Objectives.
    checker = checkers["Objectives"]
    objective_rows = []
    for position, row in enumerate(found["Objectives"].rows, start=1):
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=field_max_length(Objective, "reference")
            ),
            "position": position,
            "priority_area": checker.reference_to(
                row, "Priority area", area_refs, "Priority areas"
            ),
            "responsible_posts": checker.names(row, "Responsible posts"),
            "responsible_officers_as_written": checker.text(row, "Responsible officers as written"),
            "differently_or_better": checker.text(
                row, "What we want to do differently or better", required=True
            ),
            "outcome": checker.text(row, "The outcome we want to achieve"),
            "target_date": checker.date(row, "Target date"),
            "second_target_date": checker.date(row, "Second target date"),
            "target_date_note": checker.text(row, "Target date note"),
            "partners": checker.names(
                row, "Key partners", max_length=field_max_length(Partner, "name")
            ),
        }
        if not record["responsible_posts"]:
            checker.problem(
                row,
                "Responsible posts",
                "",
                "is empty. Name at least one post from the 'Posts' sheet.",
            )
        for post in record["responsible_posts"]:
            checker.known(row, "Responsible posts", post, posts, "Posts")
        if record["second_target_date"] and not record["target_date"]:
            checker.problem(
                row,
                "Second target date",
                record["second_target_date"],
                "is given without a first 'Target date'. Move it to 'Target date'.",
            )
        objective_rows.append((row, record))
    check_unique(checker, objective_rows, "reference", "Reference", "objective")
    objective_refs = {record["reference"]: record for _, record in objective_rows}

    # Actions.
    checker = checkers["Actions"]
    action_rows = []
    for position, row in enumerate(found["Actions"].rows, start=1):
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=field_max_length(Action, "reference")
            ),
            "position": position,
            "objective": checker.reference_to(row, "Objective", objective_refs, "Objectives"),
            "description": checker.text(row, "Action", required=True),
            "owners": checker.names(row, "Owners"),
            "due_date": checker.date(row, "Due date"),
            "status": checker.choice(row, "Status", ActionStatus.choices),
        }
        for post in record["owners"]:
            checker.known(row, "Owners", post, posts, "Posts")
        action_rows.append((row, record))
    check_unique(checker, action_rows, "reference", "Reference", "action")

    # Success criteria.
    checker = checkers["Success criteria"]
    criterion_rows = []
    for position, row in enumerate(found["Success criteria"].rows, start=1):
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=field_max_length(SuccessCriterion, "reference")
            ),
            "position": position,
            "objective": checker.reference_to(row, "Objective", objective_refs, "Objectives"),
            "criterion": checker.text(row, "Criterion", required=True),
            "unit": checker.text(
                row, "Unit", max_length=field_max_length(SuccessCriterion, "unit")
            ),
            "direction": checker.choice(row, "Direction", Direction.choices),
            "red": checker.number(row, "Red"),
            "amber": checker.number(row, "Amber"),
            "green": checker.number(row, "Green"),
        }
        _check_band(checker, row, record)
        criterion_rows.append((row, record))
    check_unique(checker, criterion_rows, "reference", "Reference", "success criterion")

    # Inspection references.
    checker = checkers["Inspection references"]
    inspection_rows = []
    for row in found["Inspection references"].rows:
        record = {
            "reference": checker.reference(
                row, "Reference", max_length=field_max_length(InspectionReference, "reference")
            ),
            "objective": checker.reference_to(row, "Objective", objective_refs, "Objectives"),
            "source": checker.text(
                row,
                "Source",
                required=True,
                max_length=field_max_length(InspectionReference, "source"),
            ),
            "year": checker.year(row, "Year"),
            "kind": checker.choice(row, "Kind", InspectionKind.choices, required=True),
            "text": checker.text(row, "Text"),
        }
        inspection_rows.append((row, record))
    check_unique(checker, inspection_rows, "reference", "Reference", "inspection reference")

    if problems:
        raise ImportRejected(problems)
    return PlanData(
        plan=plan,
        posts=posts,
        priority_areas=[record for _, record in area_rows],
        objectives=[record for _, record in objective_rows],
        actions=[record for _, record in action_rows],
        success_criteria=[record for _, record in criterion_rows],
        inspection_references=[record for _, record in inspection_rows],
    )


def _check_band(checker: SheetChecker, row: Row, record: dict):
    levels = {name: record[name.lower()] for name in ("Red", "Amber", "Green")}
    given = [name for name, level in levels.items() if level is not None]
    if not given and not record["direction"]:
        return
    if len(given) < 3 or not record["direction"]:
        missing = [name for name, level in levels.items() if level is None]
        if not record["direction"] and not checker.text(row, "Direction"):
            missing.append("Direction")
        checker.problem(
            row,
            ", ".join(missing),
            "",
            "is empty. A banded criterion needs Direction, Red, "
            "Amber and Green; a plain criterion leaves all four empty.",
        )
        return
    red, amber, green = levels["Red"], levels["Amber"], levels["Green"]
    shown = ", ".join(f"{level.normalize():f}" for level in (red, amber, green))
    if record["direction"] == Direction.HIGHER_IS_BETTER and not red < amber < green:
        checker.problem(
            row,
            "Red, Amber, Green",
            shown,
            "are not in order. When higher is better, Red < Amber < Green.",
        )
    if record["direction"] == Direction.LOWER_IS_BETTER and not red > amber > green:
        checker.problem(
            row,
            "Red, Amber, Green",
            shown,
            "are not in order. When lower is better, Red > Amber > Green.",
        )
