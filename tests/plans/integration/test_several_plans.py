"""Several live plans in one tracker: each plan's pages take the same queries however many plans
there are, My actions is grouped by plan, and the navigation leads into the plan last opened."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.models import Plan, Post
from plans.roles import Role
from tests.factories import (
    ActionFactory,
    ObjectiveFactory,
    PlanFactory,
    PostFactory,
    PriorityAreaFactory,
    UserFactory,
)
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db
PAGES = [
    "/plans/p1/",
    "/plans/p1/actions/",
    "/plans/p1/report/",
    "/plans/p1/meetings/",
    "/plans/p1/recommendations/",
    "/plans/p1/reminders/",
    "/plans/p1/indicators/",
    "/plans/p1/indicators/summary/",
    "/my-actions/",
    "/plans/",
]


def a_plan(number: int, post) -> None:
    plan = PlanFactory(reference=f"p{number}", title=f"Plan {number}", period=f"20{number:02d}–x")
    area = PriorityAreaFactory(plan=plan, reference="1")
    for n in range(3):
        objective = ObjectiveFactory(priority_area=area, reference=f"1.{n}",
                                     responsible_posts=[post])  # fmt: skip
        ActionFactory(objective=objective, reference=f"1.{n}.1", owners=[post])


def queries(client, address: str) -> int:
    client.get(address)  # the first visit may note the plan in the session
    with CaptureQueriesContext(connection) as made:
        assert client.get(address).status_code == 200, address
    return len(made)


@pytest.mark.parametrize("role", [Role.HEAD_OF_SERVICE, Role.BOARD_MEMBER])
def test_each_plans_pages_take_the_same_queries_with_ten_plans_as_with_one(client, role):
    post = PostFactory()
    a_plan(1, post)
    person = UserFactory(role=role)
    post.holders.add(person)
    client.force_login(person)
    with_one = {address: queries(client, address) for address in PAGES}

    others = PostFactory()  # My actions reads each plan the person's posts act in: here one
    for number in range(2, 11):
        a_plan(number, others)
    person.member_of_plans.add(*person.member_of_plans.model.objects.all())

    with_ten = {address: queries(client, address) for address in PAGES}
    assert with_ten == with_one


def test_my_actions_are_grouped_by_plan_in_the_plans_order(client):
    post = PostFactory()
    a_plan(21, post)
    a_plan(22, post)
    head = UserFactory(role=Role.HEAD_OF_SERVICE)
    post.holders.add(head)
    client.force_login(head)

    page = client.get("/my-actions/").text

    assert "In 2 plans" in page
    assert page.index('<h2 class="govuk-heading-m" id="p22">Plan 22</h2>') < page.index(
        '<h2 class="govuk-heading-m" id="p21">Plan 21</h2>'
    )  # the newest period first
    assert 'id="p21-no_date"' in page and 'id="p22-no_date"' in page


def test_the_navigation_leads_into_the_plan_last_opened_and_no_other(client):
    post = PostFactory()
    a_plan(1, post)
    a_plan(2, post)
    client.force_login(UserFactory(role=Role.PERFORMANCE_MANAGER))

    assert 'href="/plans/p1/report/"' not in client.get("/plans/").text  # none chosen yet
    client.get("/plans/p2/")
    after = client.get("/plans/").text
    assert 'href="/plans/p2/report/"' in after and 'href="/plans/p1/report/"' not in after
    plan_page = client.get("/plans/p1/").text
    assert 'href="/plans/p1/report/"' in plan_page and "Switch plan" in plan_page


def test_someone_reading_one_plan_is_led_into_it(client):
    post = PostFactory()
    a_plan(1, post)
    a_plan(2, post)
    board = UserFactory(role=Role.BOARD_MEMBER)
    board.member_of_plans.clear()
    board.member_of_plans.add(*board.member_of_plans.model.objects.filter(reference="p2"))
    client.force_login(board)

    assert client.get("/")["Location"] == "/plans/p2/"
    assert 'href="/plans/p2/report/"' in client.get("/plans/").text


def test_the_performance_manager_gives_a_plan_to_its_board(client):
    post = PostFactory()
    a_plan(1, post)
    chair = UserFactory(role=Role.BOARD_MEMBER, first_name="Ada", last_name="Chair")
    chair.member_of_plans.clear()
    client.force_login(UserFactory(role=Role.PERFORMANCE_MANAGER))

    form = client.get("/plans/p1/readers/").text
    assert "Ada Chair" in form
    client.post("/plans/p1/readers/", {"readers": [chair.pk]})

    assert list(chair.member_of_plans.values_list("reference", flat=True)) == ["p1"]
    client.force_login(chair)
    assert client.get("/plans/p1/").status_code == 200


def test_a_second_plan_imports_beside_the_first_with_the_same_references():
    import_plan_file(by=system_account(), filename="a.xlsx", content=xlsx(small_plan()))
    second_plan = small_plan(**{"Plan!2!1": "SEND-PLAN", "Plan!3!1": "SEND priority actions"})
    import_plan_file(by=system_account(), filename="b.xlsx", content=xlsx(second_plan))
    # The first again, as a new version of it: the second is untouched.
    import_plan_file(by=system_account(), filename="a.xlsx", content=xlsx(small_plan()))

    test_plan, send = (
        Plan.objects.get(reference="TEST-PLAN"),
        Plan.objects.get(reference="SEND-PLAN"),
    )
    for plan in (test_plan, send):
        assert list(plan.priority_areas.values_list("reference", flat=True)) == ["1", "2"]
        assert plan.objectives.count() == test_plan.objectives.count() > 0
    assert send.title == "SEND priority actions"
    assert Post.objects.filter(name="HoS Early Help").count() == 1  # the posts are shared
