"""The direction of travel on the plan's overview, in a real browser, on the demo's history:
the chart is named by its summary, its figures are a table, and axe finds nothing at 1280 and
320 pixels with every priority area's chart open."""

import re

import pytest

from demo.loading import DEMO_PLAN_REFERENCE
from plans.models import Plan
from plans.roles import Role
from tests.e2e.checks import assert_accessible, new_context
from tests.e2e.test_plan_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_the_board_sees_which_way_the_plan_is_going(browser, demo, width):
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, demo, Role.BOARD_MEMBER)
    page.goto(f"{demo}/plans/{DEMO_PLAN_REFERENCE}/")

    page.get_by_role("heading", name="Direction of travel", exact=True).wait_for()
    chart = page.get_by_role("img", name="Actions by rating, the whole plan")
    assert "Red" in chart.get_attribute("aria-label")
    table = page.get_by_role("table", name="Actions by rating, the whole plan")
    rows = table.get_by_role("row").all_inner_texts()
    assert len(rows) >= 3 and rows[-1].startswith("Today")  # past boards, then today
    page.get_by_text("Direction of travel by priority area").click()
    areas = Plan.objects.get(reference=DEMO_PLAN_REFERENCE).priority_areas.count()
    tables = page.get_by_role("table", name=re.compile("^Actions by rating, priority area "))
    tables.first.wait_for()
    assert tables.count() == areas

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    context.close()
