"""Decisions asked of the board: an action's owner sets one out, it leads the report and the
pack, the board's decision is recorded with the meeting, and a past report still shows it open."""

from datetime import date

import pytest
import time_machine

from boards.models import DecisionRequest, DecisionState
from boards.pack import board_pack_html, exception_report_html
from boards.report import build_exception_report
from plans.accounts import system_account
from plans.documents import pdf_from_html
from plans.importers import import_plan_file
from plans.models import Action, BoardMeeting, Plan
from plans.roles import Role
from plans.workbook_checks import ImportRejected
from tests.factories import UserFactory
from tests.pdf_text import pdf_text
from tests.plan_files import small_plan, xlsx
from tests.report_world import TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db

ASKED = {
    "title": "Move the audit date to March",
    "problem": "Two auditors left in the autumn.",
    "consequence": "The December audit cannot be finished.",
    "options": "Agency auditors (£12,000), or a new date of 31 March.",
    "recommendation": "A new date of 31 March: agency staff would not know our cases.",
}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan, objective, head, meeting = make_plan_world()
    action = new_action(objective, "1.1.1", due_date=date(2026, 11, 1))
    update(action, head, at(date(2026, 10, 20)), "off_track", "Auditors left.")
    return plan, action, head, meeting


def ask(client, head, meeting):
    client.force_login(head)
    return client.post("/plans/ip/actions/1.1.1/ask-the-board/", ASKED | {"meeting": meeting.pk})


def test_the_actions_owner_asks_and_the_request_leads_the_report(client, world):
    plan, action, head, meeting = world
    with time_machine.travel(at(TODAY, 10), tick=False):
        client.force_login(head)
        incomplete = client.post("/plans/ip/actions/1.1.1/ask-the-board/", {"meeting": meeting.pk})
        response = ask(client, head, meeting)
        page = client.get("/plans/ip/report/").content.decode()

    assert incomplete.status_code == 400
    assert "Set out the options the board could take." in incomplete.content.decode()
    assert response.status_code == 302
    asked = DecisionRequest.objects.get()
    assert (asked.action, asked.priority_area, asked.asked_by) == (
        action, action.objective.priority_area, head,
    )  # fmt: skip
    assert asked.state == DecisionState.OPEN
    # Open requests come before every exception.
    assert page.index("Decisions asked of the board (1)") < page.index('id="discuss"')
    assert "Move the audit date to March" in page and "Agency auditors (£12,000)" in page


def test_someone_who_neither_owns_nor_leads_cannot_ask(client, world):
    _, _, _, meeting = world
    outsider = UserFactory(role=Role.HEAD_OF_SERVICE)
    with time_machine.travel(at(TODAY, 10), tick=False):
        response = ask(client, outsider, meeting)

    assert response.status_code == 403
    assert not DecisionRequest.objects.exists()


def test_the_decision_is_recorded_and_a_past_report_still_shows_it_open(client, world):
    plan, _, head, meeting = world
    manager = UserFactory(role=Role.PERFORMANCE_MANAGER)
    with time_machine.travel(at(TODAY, 10), tick=False):
        ask(client, head, meeting)
    asked = DecisionRequest.objects.get()
    with time_machine.travel(at(date(2026, 12, 15), 16), tick=False):
        client.force_login(manager)
        missing = client.post(f"/plans/ip/decisions/{asked.pk}/", {"outcome": "decided"})
        recorded = client.post(
            f"/plans/ip/decisions/{asked.pk}/",
            {"outcome": "decided", "decision": "Agreed: new date 31 March 2027."},
        )
    with time_machine.travel(at(date(2026, 12, 16), 9), tick=False):
        then = build_exception_report(plan, as_at=TODAY, meeting=meeting)
        now = build_exception_report(plan, as_at=date(2026, 12, 15), meeting=meeting)
        pack = pdf_text(pdf_from_html(board_pack_html(now)))
        report_pdf = pdf_text(pdf_from_html(exception_report_html(then, then.items)))

    assert missing.status_code == 400 and recorded.status_code == 302
    asked.refresh_from_db()
    assert (asked.state, asked.decided_by) == (DecisionState.DECIDED, manager)
    # As the papers stood on 22 November, the request was open; by the meeting, decided.
    assert [(p.asked.state, p.asked.decision) for p in then.decisions] == [("open", "")]
    assert [p.asked.state for p in now.decisions] == ["decided"]
    assert "Agreed: new date 31 March 2027." in " ".join(pack.split())
    # The pack opens with the decisions, before the RAG overview.
    pack = " ".join(pack.split())
    assert pack.index("Decisions asked of the board Move the audit date") < pack.index(
        "1. RAG overview by priority area Th"
    )
    assert "Awaiting the board's decision" in " ".join(report_pdf.split())


def test_a_plan_import_cannot_remove_an_action_the_board_was_asked_about(settings):
    """Nothing half-written: the import is refused, saying why, and the action stays."""
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))
    plan = Plan.objects.get()
    action = Action.objects.get(reference="1.1.2")
    meeting = BoardMeeting.objects.create(
        plan=plan, date=date(2027, 1, 28), papers_due=date(2027, 1, 21)
    )
    DecisionRequest.objects.create(
        meeting=meeting, priority_area=action.objective.priority_area, action=action,
        asked_by=UserFactory(), **ASKED,
    )  # fmt: skip
    without = small_plan()
    without["Actions"] = [row for row in without["Actions"] if row[0] != "1.1.2"]

    with pytest.raises(ImportRejected) as refused:
        import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(without))

    (problem,) = refused.value.problems
    assert (problem.sheet, problem.value) == ("Actions", "1.1.2")
    assert (
        "“Move the audit date to March" in problem.message and "Put its row back" in problem.message
    )
    assert Action.objects.filter(reference="1.1.2").exists()


def test_a_board_whose_papers_are_due_can_no_longer_be_asked(client, world):
    """Its papers are as at their due date: a request made later would not be in them."""
    _, _, head, meeting = world
    with time_machine.travel(at(date(2026, 12, 10), 10), tick=False):  # papers due 8 December
        client.force_login(head)
        form = client.get("/plans/ip/actions/1.1.1/ask-the-board/").content.decode()
        response = ask(client, head, meeting)

    assert response.status_code == 400
    assert "No Improvement Board meeting to come still has its papers open" in form
    assert not DecisionRequest.objects.exists()
