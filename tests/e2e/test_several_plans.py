"""Several plans in Chromium: the yearly rollover (the performance manager checks, then
confirms, and finds the archived plan beside the new one) and the demo's two live plans sharing
the council's indicators; every page passes axe at 1280 and 320 px."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from demo.loading import DEMO_PLAN_REFERENCE
from demo.send_plan import SEND_PLAN_REFERENCE
from indicators.models import IndicatorValue
from plans.models import Plan
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


def test_the_demo_runs_two_plans_that_share_the_councils_indicators(page, demo):
    """A head of service holding posts in both demo plans: My actions groups the work by plan,
    the switcher moves between the plans, and a shared indicator shows the same figure in each."""
    user = User.objects.get(username="hos.young-people")
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{demo}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    improvement = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    send = Plan.objects.get(reference=SEND_PLAN_REFERENCE)
    for plan in (improvement, send):
        expect(page.get_by_role("heading", name=plan.title, level=2)).to_be_visible()
    accessible_at_both_widths(page)

    page.get_by_role("link", name="Plans", exact=True).click()
    page.get_by_role("link", name=send.title, exact=True).click()
    expect(page.get_by_text(f"{send.title} · Switch plan")).to_be_visible()
    page.get_by_role("link", name="Indicators", exact=True).click()
    row = page.locator("tr", has_text="SEND-01")
    figure = IndicatorValue.objects.filter(indicator__reference="SEND-01", value__isnull=False)
    latest = figure.order_by("-month").first()
    expect(row).to_contain_text(latest.indicator.format_figure(latest.value))
    expect(page.locator("tr", has_text="CP-01")).to_have_count(0)  # not this plan's
    accessible_at_both_widths(page)
    row.get_by_role("link", name="SEND-01").click()
    expect(page.get_by_role("link", name=improvement.title)).to_be_visible()  # "Also in"
    accessible_at_both_widths(page)

    page.get_by_role("link", name="Switch plan").click()
    page.get_by_role("link", name=improvement.title, exact=True).click()
    page.get_by_role("link", name="Indicators", exact=True).click()
    expect(page.locator("tr", has_text="SEND-01")).to_contain_text(
        latest.indicator.format_figure(latest.value)
    )  # the same figure, loaded once
