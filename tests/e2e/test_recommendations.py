"""The recommendations register in a real browser, on the demo: the panel clerk minutes the
panel's decisions, a head of service proposes an item complete, a board member reads the
monitoring report and takes its PDF. Every page is checked with axe."""

import pytest
from django.contrib.auth.models import User

from recommendations.models import PanelDecision, Recommendation
from tests.e2e.checks import assert_accessible
from tests.e2e.journeys import open_the_improvement_plan
from tests.e2e.test_plan_pages import PASSWORD
from tests.pdf_text import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, base_url, username):
    """Sign in with one of the demo's accounts (given a known password)."""
    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    open_the_improvement_plan(page)
    page.get_by_role("link", name="Recommendations", exact=True).wait_for()


def open_recommendation(page, title):
    number = Recommendation.objects.get(title=title).number
    page.get_by_role("link", name=f"R{number}", exact=True).click()
    page.get_by_role("heading", name=title, level=1).wait_for()


def test_the_clerk_minutes_the_panels_decisions(page, demo):
    sign_in_as(page, demo, "clerk")
    page.get_by_role("link", name="Recommendations", exact=True).click()
    page.get_by_role("heading", name="Recommendations", exact=True).wait_for()
    assert_accessible(page)

    page.get_by_text("Filter and sort recommendations").click()  # folded away until opened
    page.get_by_label("Only those awaiting a decision").check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("status").inner_text() == "3 recommendations shown"
    assert_accessible(page)

    # The panel does not accept one: the reason is needed, and kept.
    open_recommendation(page, "Post 16 Provision and Participation")
    assert_accessible(page)
    page.get_by_role("link", name="Record the Scrutiny Panel's decision").click()
    page.get_by_label("Not accepted: it stays on the list with the reason").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)  # the form with its error
    page.get_by_label("The committee's reason").fill("Circulate the precis before it is closed.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("The decision on").wait_for()
    main = page.locator("main").inner_text()
    assert "Not accepted by the Scrutiny Panel on" in main
    assert "Circulate the precis before it is closed." in main
    assert page.get_by_role("link", name="Record the Scrutiny Panel's decision").count() == 0

    # It accepts another: off the live list, still in the register.
    page.get_by_role("link", name="Back to recommendations").click()
    open_recommendation(page, "Children and Learning Service Improvement Plan")
    page.get_by_role("link", name="Record the Scrutiny Panel's decision").click()
    page.get_by_label("Accepted as complete: it leaves the live list").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("closed, kept in the register").wait_for()
    page.get_by_role("link", name="Back to recommendations").click()
    page.get_by_text("Filter and sort recommendations").click()
    page.get_by_label("Show").select_option("closed")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("status").inner_text() == "1 recommendation shown"
    assert "Children and Learning Service Improvement Plan" in page.locator("main").inner_text()

    # The meeting's page: what the panel decided there, and what it can still decide.
    meeting = PanelDecision.objects.first().meeting
    page.goto(f"{demo}{meeting.get_absolute_url()}")
    main = page.locator("main").inner_text()
    assert "Decisions recorded at this meeting (2)" in main
    assert "Awaiting the Scrutiny Panel's decision (1)" in main
    assert_accessible(page)


def test_a_head_of_service_proposes_complete_and_cannot_close_it(page, demo):
    sign_in_as(page, demo, "hos.young-people")
    page.get_by_role("link", name="Recommendations", exact=True).click()
    open_recommendation(page, "Post 16 Provision and Participation")
    assert page.get_by_role("link", name="Record the Scrutiny Panel's decision").count() == 0
    page.get_by_role("link", name="Record action taken").click()
    page.get_by_role("heading", name="Record action taken").wait_for()
    assert_accessible(page)

    page.get_by_label("Action taken").fill("")
    page.get_by_role("button", name="Record it").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Action taken").fill("The precis of the Bristol findings was circulated.")
    page.get_by_label("Complete (proposed)").check()
    page.get_by_role("button", name="Record it").click()

    page.get_by_text("is recorded").wait_for()
    main = page.locator("main").inner_text()
    assert "Awaiting the Scrutiny Panel's decision" in main
    assert "The precis of the Bristol findings was circulated." in main
    assert "Recorded by Yusuf Young" in main


def test_a_board_member_reads_the_monitoring_report_and_takes_the_pdf(page, demo):
    sign_in_as(page, demo, "board")
    page.get_by_role("link", name="Recommendations", exact=True).click()
    page.get_by_role("link", name="Scrutiny Panel monitoring report").click()
    page.get_by_role("heading", name="Scrutiny Panel monitoring").wait_for()
    assert_accessible(page)
    table = page.get_by_role("table", name="Open recommendations").inner_text()
    assert "Ofsted Focused Letter" in table and "Partially complete" in table
    assert "Awaiting the Scrutiny Panel's decision" in table

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF, to print").click()
    text = " ".join(pdf_text(open(download.value.path(), "rb").read()).split())
    assert "Scrutiny Panel monitoring" in text and "Ofsted Focused Letter" in text

    # An objective's page names the recommendations it answers.
    page.goto(f"{demo}/plans/IP-2021-22/objectives/4.7/")
    assert "Ofsted Focused Letter" in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_add_form_explains_its_errors_accessibly(page, demo):
    sign_in_as(page, demo, "clerk")
    page.goto(f"{demo}/plans/IP-2021-22/recommendations/new/")
    assert_accessible(page)
    page.get_by_label("Board or panel meeting").check()
    page.get_by_role("button", name="Add to the register").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Choose the meeting that made the recommendation." in page.locator("main").inner_text()
    assert_accessible(page)
