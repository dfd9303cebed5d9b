"""A head of service records progress, in a real browser, by keyboard alone, checked with axe."""

import re

import pytest
from django.utils import timezone

from demo.loading import load_demo_plan, schedule_demo_board_meetings
from plans.models import Action, Post
from plans.roles import Role
from progress.models import ProgressUpdate
from tests.e2e.checks import assert_accessible, new_context
from tests.e2e.test_plan_pages import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    load_demo_plan(today=today)
    schedule_demo_board_meetings(today=today)
    return live_server.url


def head_of(post_name: str):
    user = UserFactory(role=Role.HEAD_OF_SERVICE)
    Post.objects.get(name=post_name).holders.add(user)
    return user


def tab_to(page, selector: str, limit: int = 80):
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def sign_in_by_keyboard(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="My actions").wait_for()


def test_a_head_of_service_marks_an_overdue_action_off_track_by_keyboard(page, demo, tmp_path):
    head = head_of("HoS Quality Assurance")
    sign_in_by_keyboard(page, demo, head)
    assert_accessible(page)  # My actions

    assert page.locator("main tbody th").first.inner_text().startswith("Overdue (")
    first_row = page.locator("main tbody tr:not(.app-group-row)").first
    assert "Red – overdue" in first_row.inner_text()  # overdue comes first
    assert "Overdue: complete it, or revise its date with a reason" in first_row.inner_text()
    reference = first_row.get_by_role("link").first.inner_text()
    tab_to(page, f"main tbody a[href$='/actions/{reference}/']")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile(".")).first.wait_for()
    assert_accessible(page)  # the action page

    tab_to(page, "a.govuk-button[href$='/update/']")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Update the action").wait_for()

    # Submitting Off track without commentary shows the error summary first.
    # Tab reaches the radio group at its checked option; arrow keys choose within it.
    tab_to(page, "input[name=status]:checked")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # Not started -> On track -> At risk -> Off track
    assert page.locator("#id_status_3").is_checked()
    tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)  # the form with its error summary

    tab_to(page, "#id_commentary")
    page.keyboard.type("Recruitment to the audit team has stalled.")
    tab_to(page, "#id_revised_due_date_day")  # a GOV.UK date input: day, month, year
    page.keyboard.type("31")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type(str(timezone.localdate().year + 1))
    tab_to(page, "#id_revision_reason")
    page.keyboard.type("Two auditors left in the autumn.")
    evidence = tmp_path / "audit-plan.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% minimal test file\n")
    # GOV.UK's file upload puts a button in front of the input: files go to the input.
    page.locator("input[name=evidence_file]").set_input_files(str(evidence))
    tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")

    page.get_by_text(f"Action {reference} updated.").wait_for()
    history = page.locator("main").inner_text()
    assert "Changed from Not started to Off track" in history
    assert "Recruitment to the audit team has stalled." in history
    assert "Originally due:" in history and "Two auditors left in the autumn." in history
    assert "audit-plan.pdf" in history
    assert_accessible(page)

    action = Action.objects.get(objective__plan__reference="IP-2021-22", reference=reference)
    assert action.status == "off_track" and action.version == 1
    assert ProgressUpdate.objects.get(action=action).created_by == head


def test_another_head_of_service_cannot_reach_the_form(browser, demo):
    owner = head_of("HoS Quality Assurance")
    action = Action.objects.held_by(owner).first()
    outsider = head_of("HoS Early Help")
    assert not Action.objects.held_by(outsider).filter(pk=action.pk).exists()

    context = new_context(browser)
    page = context.new_page()
    sign_in_by_keyboard(page, demo, outsider)
    response = page.goto(f"{demo}/plans/IP-2021-22/actions/{action.reference}/update/")

    assert response.status == 404
    page.goto(f"{demo}/plans/IP-2021-22/actions/{action.reference}/")
    assert page.get_by_role("link", name="Update this action").count() == 0
    context.close()
