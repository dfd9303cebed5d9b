"""A performance manager loads next month's figures in a real browser; every page passes axe."""

import openpyxl
import pytest
from django.utils import timezone

from demo.loading import load_demo_indicators, load_demo_plan
from plans.roles import Role
from tests.e2e.checks import assert_accessible
from tests.e2e.test_plan_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    today = timezone.localdate()
    load_demo_plan(today=today)
    load_demo_indicators(today=today)
    return live_server.url


def test_load_next_months_figures_from_the_downloaded_template(page, demo, tmp_path):
    sign_in(page, demo, Role.PERFORMANCE_MANAGER)
    page.get_by_role("link", name="Indicators", exact=True).click()
    page.get_by_role("heading", name="Measures that matter").wait_for()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template for the next month (.xlsx)").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    values = book["Values"]
    for row in values.iter_rows(min_row=2):
        if row[0].value == "AS-01":
            row[2].value = 91
            month = row[1].value
    book.save(template)

    page.get_by_role("link", name="Load a month of figures").click()
    assert_accessible(page)
    page.locator("input[name=file]").set_input_files(str(template))  # behind the upload button
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Check your upload").wait_for()
    assert "1 new" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Confirm and load").click()
    page.get_by_text("values: 1 new").wait_for()
    page.get_by_role("link", name="AS-01").click()
    page.get_by_role("heading", name="Month by month").wait_for()
    assert f"{month:%B %Y}" in page.locator("main table").first.inner_text()
    assert "91%" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto(f"{demo}/plans/IP-2021-22/indicators/summary/")
    page.get_by_role("heading", name="Indicator summary for the board").wait_for()
    assert_accessible(page)
