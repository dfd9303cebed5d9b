"""The Word papers' template page in a real browser: a performance manager finds it from the
board meetings, a file Word cannot open is refused with what to do, and axe finds nothing at
1280 and 320 pixels."""

import pytest

from demo.loading import DEMO_PLAN_REFERENCE
from plans.roles import Role
from tests.e2e.checks import assert_accessible, new_context
from tests.e2e.test_plan_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_performance_manager_sets_the_councils_word_template(browser, demo, tmp_path, width):
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, demo, Role.PERFORMANCE_MANAGER)
    page.goto(f"{demo}/plans/{DEMO_PLAN_REFERENCE}/meetings/")
    page.get_by_role("link", name="your council's own Word template").click()
    page.get_by_role("heading", name="The Word papers' template").wait_for()
    assert "None: the papers are in the tracker's plain layout" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)

    wrong = tmp_path / "letterhead.dotx"
    wrong.write_bytes(b"not a Word document")
    page.locator("input[name=file]").set_input_files(str(wrong))
    page.get_by_role("button", name="Use this template").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Save As, Word Document (.docx)" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    context.close()
