from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Action, ActionStatus, InspectionKind, InspectionReference
from plans.roles import Role
from tests.factories import (
    ActionFactory,
    ObjectiveFactory,
    PlanFactory,
    PostFactory,
    PriorityAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


@pytest.fixture
def plan_with_actions():
    plan = PlanFactory(reference="plan")
    quality = PostFactory(name="HoS Quality Assurance")
    social = PostFactory(name="HoS Social Care")
    area_one = PriorityAreaFactory(plan=plan, reference="1", title="Assessment")
    area_two = PriorityAreaFactory(plan=plan, reference="2", title="Corporate parenting")
    past = ObjectiveFactory(
        priority_area=area_one,
        reference="1.1",
        target_date=date(2026, 10, 31),
        responsible_posts=[quality],
    )
    future = ObjectiveFactory(
        priority_area=area_two,
        reference="2.1",
        target_date=date(2027, 3, 31),
        responsible_posts=[social],
    )
    InspectionReference.objects.create(
        objective=past,
        reference="1.1-ofsted",
        source="Ofsted",
        year=2019,
        kind=InspectionKind.CORE_RECOMMENDATION,
    )
    actions = {
        "overdue-quality": ActionFactory(objective=past, reference="1.1.1"),
        "complete-quality": ActionFactory(
            objective=past, reference="1.1.2", status=ActionStatus.COMPLETE
        ),
        "future-quality-owner": ActionFactory(
            objective=future, reference="2.1.1", owners=[quality], status=ActionStatus.AT_RISK
        ),
        "future-social": ActionFactory(objective=future, reference="2.1.2"),
        "overdue-own-date-social": ActionFactory(
            objective=future, reference="2.1.3", due_date=date(2026, 11, 1)
        ),
    }
    return plan, {"quality": quality, "social": social, "area_two": area_two}, actions


def references(response):
    return [row.record.reference for row in response.context["table"].paginated_rows]


@pytest.fixture
def reader_client(client, plan_with_actions):
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))  # given the plan, as its board
    return client


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["1.1.1", "1.1.2", "2.1.1", "2.1.2", "2.1.3"]),
        ("overdue=true", ["1.1.1", "2.1.3"]),
        ("responsible_post={quality}", ["1.1.1", "1.1.2", "2.1.1"]),
        ("responsible_post={quality}&overdue=true", ["1.1.1"]),
        ("responsible_post={social}", ["2.1.2", "2.1.3"]),
        ("priority_area={area_two}", ["2.1.1", "2.1.2", "2.1.3"]),
        ("status=at_risk", ["2.1.1"]),
        ("due_before=01/11/2026", ["1.1.1", "1.1.2", "2.1.3"]),
        ("due_before=31/10/2026", ["1.1.1", "1.1.2"]),
        ("due_after=01/12/2026", ["2.1.1", "2.1.2"]),
        ("inspection_reference=Ofsted|core_recommendation|2019", ["1.1.1", "1.1.2"]),
    ],
)
def test_action_list_filters(reader_client, plan_with_actions, query, expected):
    plan, ids, _ = plan_with_actions
    query = query.format(**{name: obj.pk for name, obj in ids.items()})

    response = reader_client.get(f"/plans/{plan.reference}/actions/?{query}")

    assert response.status_code == 200
    assert references(response) == expected


@time_machine.travel(TODAY)
def test_an_overdue_action_shows_red_and_overdue_in_words(reader_client, plan_with_actions):
    plan, _, _ = plan_with_actions
    response = reader_client.get(f"/plans/{plan.reference}/actions/?overdue=true")
    assert "Red – overdue" in response.content.decode()


@time_machine.travel(TODAY)
def test_a_bad_date_filter_says_what_to_do(reader_client, plan_with_actions):
    plan, _, _ = plan_with_actions
    response = reader_client.get(f"/plans/{plan.reference}/actions/?due_before=31/13/2026")
    assert "Enter the date as day/month/year, for example 31/03/2022." in response.content.decode()


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due_by", ["1.1.1", "1.1.2", "2.1.3", "2.1.1", "2.1.2"]),
        ("-reference", ["2.1.3", "2.1.2", "2.1.1", "1.1.2", "1.1.1"]),
        ("status", ["1.1.1", "2.1.2", "2.1.3", "2.1.1", "1.1.2"]),  # as work moves on
        ("-due_by", ["2.1.1", "2.1.2", "2.1.3", "1.1.1", "1.1.2"]),
    ],
)
def test_action_list_sorts_by_column(reader_client, plan_with_actions, sort, expected):
    plan, _, _ = plan_with_actions
    response = reader_client.get(f"/plans/{plan.reference}/actions/?sort={sort}")
    assert references(response) == expected


def test_the_database_and_python_agree_on_which_actions_are_overdue(plan_with_actions):
    overdue_in_sql = set(Action.objects.overdue(TODAY).values_list("reference", flat=True))
    overdue_in_python = {a.reference for a in Action.objects.all() if a.is_overdue(TODAY)}
    assert overdue_in_sql == overdue_in_python == {"1.1.1", "2.1.3"}


def add_rows(plan, count):
    area = PriorityAreaFactory(plan=plan)
    for _ in range(count):
        objective = ObjectiveFactory(priority_area=area, responsible_posts=[PostFactory()])
        ActionFactory(objective=objective, owners=[PostFactory()])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/plans/plan/actions/",
        "/plans/plan/actions/?overdue=true&sort=due_by",
        "/plans/plan/",
        "/plans/plan/areas/1/",
    ],
)
def test_page_queries_do_not_grow_with_the_number_of_rows(reader_client, plan_with_actions, url):
    plan, _, _ = plan_with_actions
    reader_client.get(url)  # the first visit notes the plan in the session (plans.navigation)
    few = count_queries(reader_client, url)
    add_rows(plan, 15)
    assert count_queries(reader_client, url) == few


@time_machine.travel(TODAY)
@pytest.mark.parametrize("sort", ["due_by", "-due_by"])
def test_actions_with_no_date_anywhere_sort_last_either_way(reader_client, plan_with_actions, sort):
    plan, _, _ = plan_with_actions
    undated = ObjectiveFactory(priority_area=plan.priority_areas.first(), reference="1.9")
    ActionFactory(objective=undated, reference="1.9.1")

    response = reader_client.get(f"/plans/{plan.reference}/actions/?sort={sort}")

    assert references(response)[-1] == "1.9.1"
    assert "No date given" in response.content.decode()


def test_an_inspection_source_containing_a_bar_still_filters(reader_client, plan_with_actions):
    plan, _, _ = plan_with_actions
    objective = plan.objectives.get(reference="2.1")
    InspectionReference.objects.create(
        objective=objective, reference="2.1-jtai", source="Ofsted|JTAI", year=2021,
        kind=InspectionKind.AREA_FOR_IMPROVEMENT,
    )  # fmt: skip

    response = reader_client.get(
        f"/plans/{plan.reference}/actions/?inspection_reference=Ofsted|JTAI|area_for_improvement|2021"
    )

    assert references(response) == ["2.1.1", "2.1.2", "2.1.3"]
