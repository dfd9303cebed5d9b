"""The plan import writes in bulk: its number of queries does not grow with the file's rows."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.models import Action, Objective, Partner, Plan, Post
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db


def larger_plan(extra: int, **changes) -> dict:
    """The small plan with `extra` more objectives, each with an action, a criterion and an
    inspection reference, named posts and partners."""
    sheets = small_plan(**changes)
    for n in range(1, extra + 1):
        objective = f"1.{n + 1}"
        sheets["Objectives"].append(
            [objective, "1", "HoS Early Help; HoS Quality Assurance", "", f"Better {n}", "",
             "31/12/2024", None, "", f"Partner {n}; Police"]
        )  # fmt: skip
        sheets["Actions"].append(
            [f"{objective}.1", objective, f"We will do {n}", "HoS Quality Assurance", "", ""]
        )
        sheets["Success criteria"].append(
            [f"{objective}-a", objective, f"Criterion {n}", "", "", None, None, None]
        )
        sheets["Inspection references"].append(
            [f"{objective}-ofsted", objective, "Ofsted", 2019, "Area for improvement", ""]
        )
    return sheets


def queries_to_import(sheets) -> tuple[int, object]:
    content, by = xlsx(sheets), system_account()
    with CaptureQueriesContext(connection) as queries:
        summary = import_plan_file(by=by, filename="plan.xlsx", content=content)
    return len(queries), summary


def reworded(sheets) -> dict:
    sheets = copy.deepcopy(sheets)
    for row in sheets["Actions"][1:]:
        row[2] += " (reworded)"
    return sheets


def queries_to_create_update_and_reimport(sheets) -> list[int]:
    counts = []
    for changed in [sheets, reworded(sheets), reworded(sheets)]:
        count, summary = queries_to_import(changed)
        counts.append(count)
    assert not summary.changed
    # Start again from an empty tracker.
    Plan.objects.all().delete()
    Post.objects.all().delete()
    Partner.objects.all().delete()
    return counts


@pytest.mark.parametrize("extra", [1, 12])
def test_an_import_takes_the_same_number_of_queries_whatever_the_number_of_rows(extra):
    small = queries_to_create_update_and_reimport(small_plan())

    large = queries_to_create_update_and_reimport(larger_plan(extra))

    assert large == small


def test_each_created_record_gets_one_history_row_with_its_many_to_many_rows():
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(larger_plan(2)))

    for objective in Objective.objects.all():
        (row,) = objective.history.all()
        assert row.history_type == "+"
        assert {link.post_id for link in row.responsible_posts.all()} == {
            post.pk for post in objective.responsible_posts.all()
        }
        assert {link.partner_id for link in row.partners.all()} == {
            partner.pk for partner in objective.partners.all()
        }
    action = Action.objects.get(reference="1.2.1")
    (row,) = action.history.all()
    assert [link.post.name for link in row.owners.all()] == ["HoS Quality Assurance"]
