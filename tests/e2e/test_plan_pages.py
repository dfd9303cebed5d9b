"""The plan pages in a real browser, each checked with axe for WCAG 2.2 AA."""

import re

import pytest
from django.utils import timezone

from demo.loading import load_demo_plan
from plans.models import Objective, Plan, Post
from plans.roles import Role
from tests.e2e.checks import assert_accessible, new_context
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def demo(live_server):
    load_demo_plan(today=timezone.localdate())
    return live_server.url


def sign_in(page, base_url, role):
    user = UserFactory(role=role)
    page.goto(f"{base_url}/")
    assert_accessible(page)  # the sign-in page
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return user


def test_a_board_member_finds_the_foster_carers_objective(page, demo):
    sign_in(page, demo, Role.BOARD_MEMBER)

    page.get_by_role("heading", name=Plan.objects.get().title).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^5\. Robust corporate parenting", re.I)).click()
    page.get_by_role("heading", name=re.compile("Robust corporate parenting", re.I)).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("in-house foster carers")).click()
    main = page.locator("main")
    main.get_by_text("15 new carers per year").first.wait_for()
    assert "Service Manager Fostering" in main.inner_text()
    assert page.locator("tr[id^='action-']").count() == 5
    assert_accessible(page)


def test_filter_the_action_list_to_what_is_overdue_for_a_post(page, demo):
    sign_in(page, demo, Role.HEAD_OF_SERVICE)
    page.get_by_role("link", name="Actions", exact=True).click()
    page.get_by_role("heading", name="Actions", exact=True).wait_for()
    assert_accessible(page)

    page.get_by_label("Responsible post").select_option(label="HoS Quality Assurance")
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"overdue=true"))

    rows = page.locator("main table tbody tr")
    assert rows.count() > 0
    quality = Post.objects.get(name="HoS Quality Assurance")
    for index in range(rows.count()):
        text = rows.nth(index).inner_text()
        assert "Red – overdue" in text
    expected = Objective.objects.filter(responsible_posts=quality).exists()
    assert expected
    assert_accessible(page)


def test_a_bad_date_filter_is_explained_accessibly(page, demo):
    sign_in(page, demo, Role.BOARD_MEMBER)
    page.goto(f"{demo}/plans/IP-2021-22/actions/?due_before=31/13/2026")
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)


def test_the_import_page_and_its_error_report_are_accessible(page, demo, tmp_path):
    sign_in(page, demo, Role.PERFORMANCE_MANAGER)
    page.get_by_role("link", name="Plan", exact=True).click()  # the plan's page offers imports
    page.get_by_role("link", name="Import a plan").click()
    page.get_by_role("heading", name="Import a plan").wait_for()
    assert_accessible(page)

    bad = tmp_path / "plan.xlsx"
    bad.write_bytes(b"not a workbook")
    page.locator("input[name=file]").set_input_files(str(bad))  # behind the upload button
    page.get_by_role("button", name="Import plan").click()
    page.get_by_text("There is a problem").wait_for()
    assert "could not be read" in page.locator("main").inner_text()
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/plans/IP-2021-22/",
        "/plans/IP-2021-22/areas/5/",
        "/plans/IP-2021-22/objectives/5.12/",
        "/plans/IP-2021-22/actions/?sort=due_by&page=2",
        "/plans/IP-2021-22/areas/99/",
        "/plans/import/",
    ],
)
def test_pages_reflow_at_320_pixels_and_pass_axe_there(browser, demo, path):
    # WCAG 1.4.10: no sideways scrolling of the page at 320 CSS pixels (tables scroll inside).
    context = new_context(browser, viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in(page, demo, Role.BOARD_MEMBER)
    page.goto(f"{demo}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    context.close()
