"""The yearly rollover and the plans list, in Chromium: the performance manager checks, then
confirms, and finds the archived plan beside the new one; every page passes axe at 1280 and
320 px."""

from datetime import date

import pytest
from playwright.sync_api import expect

from plans.roles import Role
from tests.e2e.checks import assert_accessible
from tests.e2e.test_plan_pages import PASSWORD
from tests.factories import UserFactory
from tests.report_world import at, make_plan_world, new_action, update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def accessible_at_both_widths(page):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
        assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_performance_manager_rolls_the_plan_over_to_next_year(page, live_server):
    plan, objective, head, meeting = make_plan_world()
    action = new_action(objective, "1.1.1")
    update(action, head, at(date(2026, 8, 3)), commentary="The audit tool is agreed.")
    new_action(objective, "1.1.2", status="complete")
    manager = UserFactory(username="priya", role=Role.PERFORMANCE_MANAGER)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")

    page.get_by_role("link", name="Roll over to next year's plan").click()
    accessible_at_both_widths(page)
    page.get_by_label("Reference").fill("ip-2027-28")
    page.get_by_label("Title").fill("Improvement Plan 2027–28")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Check what it will do").click()

    expect(page.get_by_text("1 unfinished action", exact=True)).to_be_visible()
    expect(page.get_by_text("1 complete action", exact=True)).to_be_visible()
    accessible_at_both_widths(page)
    page.get_by_role("button", name=f"Roll over and archive {plan.title}").click()

    expect(page.get_by_role("heading", name="Improvement Plan 2027–28")).to_be_visible()
    expect(page.locator("p.govuk-body", has_text=f"Carries on from {plan.title}")).to_be_visible()
    page.get_by_role("link", name="Switch plan").click()
    expect(page.get_by_role("heading", name="Archived plans")).to_be_visible()
    accessible_at_both_widths(page)
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_text("Archived", exact=True).first).to_be_visible()
    accessible_at_both_widths(page)
    page.goto(f"{live_server.url}/plans/ip-2027-28/actions/1.1.1/")
    # As it stands, carried over; and the update it came from, read from last year's plan.
    expect(page.get_by_text("The audit tool is agreed.")).to_have_count(2)
    expect(page.get_by_role("heading", name=f"Before the rollover: {plan.title}")).to_be_visible()
    accessible_at_both_widths(page)
    page.goto(f"{live_server.url}/plans/ip-2027-28/readers/")
    accessible_at_both_widths(page)
