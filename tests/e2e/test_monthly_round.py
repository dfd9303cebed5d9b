"""The monthly round read in minutes, measured in a real browser on the whole demo: My actions
shows every overdue action and the first due soon in the first screen; the exception report's
first Red item shows without scrolling and the page is at most a third of its old height; the
indicators fit the page; the menu folds into a button on a phone; axe finds nothing at either
width. The figures from before are in docs/screenshots/before/measurements.md."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from boards.pack import board_pack_html
from boards.report import build_exception_report
from demo.loading import DEMO_PLAN_REFERENCE
from plans.documents import pdf_from_html
from plans.models import Plan
from plans.updates_due import next_meeting
from tests.e2e.checks import assert_accessible, new_context
from tests.e2e.test_plan_pages import PASSWORD
from tests.pdf_text import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Measured on the demo before issue 26 (docs/screenshots/before/measurements.md).
REPORT_HEIGHT_BEFORE = 29_169
PACK_EXCEPTION_PAGES_BEFORE = 18
FIRST_SCREEN = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}


def signed_in(browser, base_url, username, viewport):
    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    context = new_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_my_actions_shows_every_overdue_action_and_the_first_due_soon_in_the_first_screen(
    browser, demo
):
    page = signed_in(browser, demo, "hos.social-care", FIRST_SCREEN)
    page.goto(f"{demo}/my-actions/")

    overdue = page.locator("tbody:has([id$='-overdue']) tr:not(.app-group-row)")
    soon = page.locator("tbody:has([id$='-before_board']) tr:not(.app-group-row), "
                        "tbody:has([id$='-later']) tr:not(.app-group-row)").first  # fmt: skip
    assert overdue.count() > 0
    assert all(bottom(overdue.nth(i)) <= 800 for i in range(overdue.count()))
    assert bottom(soon) <= 800
    # Complete work is folded away, its count shown; none of it asks for an update.
    folded = page.locator("details", has_text="Complete:")
    assert re.search(r"Complete: \d+ actions?", folded.inner_text())
    assert not folded.locator("tbody").is_visible()
    assert "Update before the board" not in folded.inner_text()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)
    assert_accessible(page)


def test_the_report_reads_summary_first_and_is_a_third_of_its_old_height(browser, demo):
    page = signed_in(browser, demo, "chair", FIRST_SCREEN)
    page.goto(f"{demo}/plans/IP-2021-22/report/")

    first_red = page.locator("main .app-exception").first
    assert "Red" in first_red.locator(".app-rag").inner_text()
    assert first_red.bounding_box()["y"] + 30 <= 800  # its rating and title, unscrolled
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= REPORT_HEIGHT_BEFORE / 3, height
    # The decisions asked of the board lead the parts; the filters are folded away.
    text = page.locator("main").inner_text()
    assert text.index("Decisions asked of the board") < text.index("For discussion: Red")
    assert text.index("For discussion: Red") < text.index("\nAmber (") < text.index("To chase")
    assert not page.get_by_label("Responsible post").is_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)
    assert_accessible(page)


def test_the_packs_exception_section_is_at_most_half_its_old_length(demo):
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    meeting = next_meeting(plan, today=timezone.localdate())
    report = build_exception_report(plan, as_at=meeting.as_at(meeting.papers_due), meeting=meeting)

    contents = " ".join(pdf_text(pdf_from_html(board_pack_html(report))).split())

    starts = re.search(r"2\. Exception report, page (\d+) 3\. Indicators, page (\d+)", contents)
    pages = int(starts[2]) - int(starts[1])
    assert pages <= PACK_EXCEPTION_PAGES_BEFORE / 2, pages


def test_the_indicators_fit_the_page_and_the_menu_folds_on_a_phone(browser, demo):
    page = signed_in(browser, demo, "chair", FIRST_SCREEN)
    page.goto(f"{demo}/plans/IP-2021-22/indicators/")

    assert no_sideways_scroll(page)
    table, main = page.locator("main table"), page.locator("main")
    assert bottom(page.locator("nav .govuk-service-navigation__item").last) < 130  # one row
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= (
        main.bounding_box()["x"] + main.bounding_box()["width"]
    )
    not_rated = page.locator("main tbody tr", has_text="Not rated").first
    assert re.search(r"Not rated\s+(Target to be confirmed|No target|No figure yet|Which way)",
                     not_rated.inner_text())  # fmt: skip
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible() and not page.get_by_role("link", name="Indicators").is_visible()
    cells = page.locator("main tbody tr").first.locator("td")
    assert [cells.nth(i).get_attribute("data-label") for i in range(3)] == [None, "Latest", "RAG"]
    tops = [cells.nth(i).bounding_box()["y"] for i in range(3)]
    assert tops == sorted(tops) and len(set(tops)) == 3  # stacked: name, latest figure, RAG
    assert no_sideways_scroll(page)
    assert_accessible(page)
    menu.click()
    page.get_by_role("link", name="Recommendations").click()
    page.get_by_role("heading", name="Recommendations", exact=True).wait_for()
    assert no_sideways_scroll(page)
    assert "Linked actions:" in page.locator("main").inner_text()
    assert_accessible(page)


def test_every_page_this_issue_changed_passes_axe_and_fits_a_phone(browser, demo):
    """The pages around the monthly round, at 320 px and at 1280 px, as a performance manager
    (who may use every form)."""
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    meeting = next_meeting(plan, today=timezone.localdate())
    action = plan.objectives.order_by("position").first().actions.order_by("position").first()
    asked = meeting.decision_requests.first()
    assert asked is not None  # the demo asks the coming board for a decision
    pages = [
        f"/plans/{plan.reference}/",
        f"/plans/{plan.reference}/actions/{action.reference}/",
        f"/plans/{plan.reference}/actions/{action.reference}/update/",
        f"/plans/{plan.reference}/actions/{action.reference}/ask-the-board/",
        f"/plans/{plan.reference}/areas/1/",
        f"/plans/{plan.reference}/areas/1/ask-the-board/",
        f"/plans/{plan.reference}/decisions/{asked.pk}/",
        f"/plans/{plan.reference}/meetings/{meeting.pk}/",
        f"/plans/{plan.reference}/meetings/{meeting.pk}/edit/",
        f"/plans/{plan.reference}/recommendations/1/",
        f"/plans/{plan.reference}/recommendations/1/update/",
        "/plans/import/",
        f"/plans/{plan.reference}/indicators/load/",
        f"/plans/{plan.reference}/indicators/choose/",
    ]
    page = signed_in(browser, demo, "performance", PHONE)
    for width in (PHONE, FIRST_SCREEN):
        page.set_viewport_size(width)
        for path in pages:
            response = page.goto(f"{demo}{path}")
            assert response.status == 200, path
            assert no_sideways_scroll(page), path
            assert_accessible(page)
    # A form's date boxes and error summary, as a phone shows them.
    page.set_viewport_size(PHONE)
    page.goto(f"{demo}/plans/{plan.reference}/meetings/{meeting.pk}/edit/")
    page.get_by_role("group", name="Meeting date").get_by_label("Month").fill("")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.get_by_text("The meeting date must include a month.").first.wait_for()
    assert_accessible(page)
