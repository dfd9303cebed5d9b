"""The chair's journey in a real browser: the exception report, a filter, the PDF, last month;
and the performance manager's meeting pages. Every page is checked with axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from demo.loading import (
    DEMO_PLAN_REFERENCE,
    add_months,
)
from plans.models import BoardMeeting
from plans.roles import Role
from tests.e2e.checks import assert_accessible
from tests.e2e.journeys import open_the_improvement_plan
from tests.e2e.test_plan_pages import sign_in
from tests.pdf_text import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def fill_date(page, legend: str, day):
    """Type a date into a GOV.UK date input, found by its legend."""
    group = page.get_by_role("group", name=legend)
    for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(part).fill(str(value))


def test_the_chair_reviews_the_exceptions_and_takes_the_pdf(page, demo, tmp_path, celery_eager):
    sign_in(page, demo, Role.BOARD_MEMBER)
    open_the_improvement_plan(page)
    page.get_by_role("link", name="Exception report").click()
    page.get_by_role("heading", name="Exception report", exact=True).wait_for()
    today = timezone.localdate()
    next_board = (
        BoardMeeting.objects.filter(plan__reference=DEMO_PLAN_REFERENCE, date__gte=today)
        .order_by("date")
        .first()
    )
    as_at = next_board.as_at(today)  # this month's board: its papers date, once it has come
    assert page.locator(".app-as-at").inner_text() == (
        f"As at {long_date(as_at)}, for the Improvement Board on {long_date(next_board.date)}"
    )
    main = page.locator("main").inner_text()
    assert "Overdue: due" in main and "Red" in main
    assert re.search(r"“[^”]+” \(\d+ \w+ \d{4}\)", main)  # the latest commentary, its date
    # The first Red item shows without scrolling; the choices are folded away until opened.
    first_red = page.locator("main .app-exception").first
    assert "Red" in first_red.inner_text()
    assert first_red.bounding_box()["y"] + 30 < page.viewport_size["height"]
    assert not page.get_by_label("RAG").is_visible()
    assert_accessible(page)

    page.get_by_text("Choose the meeting, date, filters and order").click()
    page.get_by_label("RAG").select_option("red")
    page.get_by_label("Kind").select_option("action")
    page.get_by_role("button", name="Show the report").click()
    status = page.get_by_role("status").inner_text()
    assert re.match(r"\d+ exceptions? match", status)
    tags = page.locator("main .app-exception .app-rag").all_inner_texts()
    assert tags and set(tags) == {"Red"}
    assert_accessible(page)

    # The PDF is made by a worker (here at once, eager): its page then offers the download.
    page.get_by_role("link", name="PDF").first.click()
    page.get_by_role("heading", name="The exception report (filtered) as a PDF").wait_for()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download the exception report")).click()
    pdf = download_info.value.path().read_bytes()
    text = pdf_text(pdf)
    assert "Exception report" in text and f"As at {long_date(as_at)}" in text
    assert "Page 1 of" in text
    page.go_back()  # from the PDF's page to the report

    last_month = add_months(as_at, -1)
    page.get_by_label("As at").fill(f"{last_month:%d/%m/%Y}")
    page.get_by_role("button", name="Show the report").click()
    page.get_by_text(f"As at {long_date(last_month)}").first.wait_for()
    assert_accessible(page)

    page.get_by_label("As at").fill("31/02/2026")
    page.get_by_role("button", name="Show the report").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)  # the error summary


def test_the_performance_manager_records_a_meeting_and_a_risk_rating(page, demo):
    sign_in(page, demo, Role.PERFORMANCE_MANAGER)
    page.goto(f"{demo}/plans/IP-2021-22/meetings/")
    page.get_by_role("heading", name="Board meetings").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Scrutiny Panel").check()
    meeting_day = timezone.localdate() + timedelta(days=40)
    fill_date(page, "Meeting date", meeting_day)
    fill_date(page, "Papers due", meeting_day + timedelta(days=1))
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_text("Papers must be due on or before the meeting date.").first.wait_for()
    assert_accessible(page)
    fill_date(page, "Papers due", meeting_day - timedelta(days=7))
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_role("heading", name=re.compile("^Scrutiny Panel")).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Record a rating for 1\\.")).click()
    page.get_by_role("button", name="Save the rating").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Red – high risk").check()
    page.get_by_label("Analysis").fill("Assessments are late in two teams.")
    page.get_by_label("Next steps").fill("Weekly tracking until March.")
    page.get_by_role("button", name="Save the rating").click()
    assert "Red – high risk" in page.locator("main table").last.inner_text()

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{demo}/plans/IP-2021-22/report/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
