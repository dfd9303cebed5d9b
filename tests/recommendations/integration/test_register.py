"""The recommendations register: who may record what, the live-list rule, the monitoring report
and its downloads, and the board pack's section."""

import io
import re
from datetime import date

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import BoardMeeting, Committee, InspectionKind, InspectionReference
from plans.roles import Role
from recommendations.models import (
    PanelDecision,
    PanelDecisionKind,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    RecommendationUpdate,
)
from recommendations.monitoring import monitoring_report
from recommendations.services import (
    recommendation_create,
    recommendation_record_decision,
    recommendation_record_update,
    recommendations_from_inspection_references,
)
from tests.dates import day_month_year
from tests.factories import ObjectiveFactory, PostFactory, UserFactory
from tests.papers import fetch_paper
from tests.pdf_text import pdf_text
from tests.report_world import LOADED, TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db

EARLIER_PANEL = date(2026, 9, 30)
PANEL = date(2026, 11, 18)  # papers due 11 November


@pytest.fixture
def world():
    """The report world's plan, with two Scrutiny Panel meetings, a clerk, a performance
    manager, and one panel recommendation the head of service answers for (via the objective)."""
    plan, objective, head, board = make_plan_world()
    with time_machine.travel(at(LOADED), tick=False):
        earlier = BoardMeeting.objects.create(
            plan=plan, committee=Committee.SCRUTINY_PANEL, date=EARLIER_PANEL,
            papers_due=date(2026, 9, 23),
        )  # fmt: skip
        panel = BoardMeeting.objects.create(
            plan=plan, committee=Committee.SCRUTINY_PANEL, date=PANEL,
            papers_due=date(2026, 11, 11),
        )  # fmt: skip
        clerk = UserFactory(role=Role.PANEL_CLERK, first_name="Cal", last_name="Clerk")
        manager = UserFactory(role=Role.PERFORMANCE_MANAGER)
        recommendation = add(plan, earlier, "Post 16 participation", [objective], by=clerk)
    with time_machine.travel(at(TODAY, 12), tick=True):
        yield {
            "plan": plan, "objective": objective, "head": head, "board": board,
            "earlier": earlier, "panel": panel, "clerk": clerk, "manager": manager,
            "recommendation": recommendation,
        }  # fmt: skip


def add(plan, meeting, title, objectives, *, by, posts=()):
    return recommendation_create(
        Recommendation(
            plan=plan, source=RecommendationSource.MEETING, committee=meeting.committee,
            made_at=meeting, title=title, action_proposed=f"That officers report on {title}.",
        ),
        objectives=objectives, posts=list(posts), by=by,
    )  # fmt: skip


def record(recommendation, by, when, status, text="Done what was asked."):
    with time_machine.travel(when, tick=False):
        return recommendation_record_update(
            recommendation, by=by, taken_on=when.date(), action_taken=text, status=status,
            today=when.date(),
        )  # fmt: skip


def decide(recommendation, by, meeting, decision, when, reason=""):
    with time_machine.travel(when, tick=False):
        return recommendation_record_decision(
            recommendation, by=by, meeting=meeting, decision=decision, reason=reason,
            today=when.date(),
        )  # fmt: skip


def progress(recommendation):
    return Recommendation.objects.get(pk=recommendation.pk).progress()


def test_a_head_proposes_complete_and_only_the_panel_closes_it(client, world):
    recommendation, head, clerk = world["recommendation"], world["head"], world["clerk"]
    record(recommendation, head, at(date(2026, 11, 2)), RecommendationStatus.COMPLETE_PROPOSED)
    assert progress(recommendation).awaiting_decision

    # A head of service cannot close it: not by the service, not through the page.
    with pytest.raises(PermissionDenied):
        decide(recommendation, head, world["panel"], PanelDecisionKind.ACCEPTED, at(PANEL, 19))
    client.force_login(head)
    url = f"/plans/ip/recommendations/{recommendation.number}/decision/"
    post = {"meeting": world["panel"].pk, "decision": "accepted"}
    assert client.post(url, post).status_code == 403
    # Nor by choosing a status that is not offered to them.
    response = client.post(
        f"/plans/ip/recommendations/{recommendation.number}/update/",
        {
            **day_month_year("taken_on", "20/11/2026"),
            "action_taken": "Closed.",
            "status": "accepted",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert PanelDecision.objects.count() == 0 and progress(recommendation).is_open

    client.force_login(clerk)
    response = client.post(url, post)

    assert response.status_code == 302
    closed = progress(recommendation)
    assert not closed.is_open and closed.closed_by.recorded_by == clerk
    assert closed.decision_note("Scrutiny Panel") == (
        "Accepted as complete by the Scrutiny Panel on 18 November 2026"
    )
    # It stays in the register, off the live list, and takes no more updates.
    page = client.get("/plans/ip/recommendations/").content.decode()
    assert "Post 16 participation" not in page and "<strong>1</strong> closed" in page
    page = client.get("/plans/ip/recommendations/?show=closed").content.decode()
    assert "Post 16 participation" in page
    with pytest.raises(ValidationError, match="closed by the committee"):
        record(recommendation, head, at(TODAY, 13), RecommendationStatus.IN_PROGRESS)


def test_not_accepted_needs_the_reason_and_keeps_it_until_proposed_again(world):
    recommendation, head, clerk = world["recommendation"], world["head"], world["clerk"]
    record(recommendation, head, at(date(2026, 11, 2)), RecommendationStatus.COMPLETE_PROPOSED)

    with pytest.raises(ValidationError) as refused:
        decide(recommendation, clerk, world["panel"], "not_accepted", at(PANEL, 19))
    assert "reason" in refused.value.message_dict
    decide(
        recommendation, clerk, world["panel"], "not_accepted", at(PANEL, 19),
        reason="The precis of findings has not been circulated.",
    )  # fmt: skip

    sent_back = progress(recommendation)
    assert sent_back.is_open and not sent_back.awaiting_decision
    assert sent_back.get_status_display() == "Complete (proposed)"
    assert sent_back.decision_note("Scrutiny Panel") == (
        "Not accepted by the Scrutiny Panel on 18 November 2026: The precis of findings has not "
        "been circulated."
    )
    # A second decision on the same proposal is refused; a new proposal awaits one again.
    with pytest.raises(ValidationError, match="not awaiting a decision"):
        decide(recommendation, clerk, world["panel"], "accepted", at(PANEL, 20))
    record(recommendation, head, at(TODAY, 10), RecommendationStatus.COMPLETE_PROPOSED)
    assert progress(recommendation).awaiting_decision


def test_a_rejected_panel_recommendation_leaves_only_once_reported(world):
    recommendation, head, clerk = world["recommendation"], world["head"], world["clerk"]
    record(
        recommendation, head, at(date(2026, 11, 2)), RecommendationStatus.REJECTED,
        "The Cabinet Member will not take this forward: the powers sit with the Government.",
    )  # fmt: skip
    rejected = progress(recommendation)
    assert rejected.is_open and rejected.awaiting_decision
    assert [c.value for c in rejected.decision_choices()] == [
        "rejection_reported", "not_accepted",
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        decide(recommendation, clerk, world["panel"], "accepted", at(PANEL, 19))

    decide(recommendation, clerk, world["panel"], "rejection_reported", at(PANEL, 19))

    assert not progress(recommendation).is_open


def test_an_inspection_finding_cannot_be_rejected(world):
    finding = recommendation_create(
        Recommendation(
            plan=world["plan"], source=RecommendationSource.INSPECTION,
            committee=Committee.IMPROVEMENT_BOARD, inspectorate="Ofsted", inspection_year=2021,
            inspection_kind=InspectionKind.AREA_FOR_IMPROVEMENT, title="Supervision",
            action_proposed="The quality of supervision.",
        ),
        objectives=[world["objective"]], posts=[], by=world["manager"],
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        record(finding, world["head"], at(TODAY, 10), RecommendationStatus.REJECTED)

    assert "status" in refused.value.message_dict
    assert RecommendationUpdate.objects.filter(recommendation=finding).count() == 0


def test_only_the_posts_that_answer_record_action_taken(client, world):
    recommendation = world["recommendation"]
    other_head = UserFactory(role=Role.HEAD_OF_SERVICE)
    PostFactory(name="HoS Other").holders.add(other_head)
    url = f"/plans/ip/recommendations/{recommendation.number}/update/"
    data = {
        **day_month_year("taken_on", "20/11/2026"),
        "action_taken": "Met Bristol.",
        "status": "in_progress",
    }

    for user in (other_head, world["clerk"]):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    # Named posts replace the objective's: then only their holders answer.
    named = PostFactory(name="HoS Young People")
    named.holders.add(other_head)
    recommendation.responsible_posts.set([named])
    client.force_login(world["head"])
    assert client.post(url, data).status_code == 403
    client.force_login(other_head)
    assert client.post(url, data).status_code == 302

    entry = RecommendationUpdate.objects.get()
    assert (entry.created_by, entry.taken_on, entry.action_taken) == (
        other_head, date(2026, 11, 20), "Met Bristol.",
    )  # fmt: skip


def test_an_update_needs_words_and_a_date_that_has_come(client, world):
    client.force_login(world["head"])
    url = f"/plans/ip/recommendations/{world['recommendation'].number}/update/"

    response = client.post(
        url, {**day_month_year("taken_on", "30/11/2026"), "action_taken": " ", "status": ""}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Say what has been done." in page and "Choose the progress status." in page
    response = client.post(
        url,
        {**day_month_year("taken_on", "30/11/2026"), "action_taken": "x", "status": "in_progress"},
    )
    assert "The date must be today or earlier" in response.content.decode()
    assert RecommendationUpdate.objects.count() == 0


def test_a_decision_is_at_a_meeting_of_the_committee_held_since_the_update(world):
    recommendation, clerk = world["recommendation"], world["clerk"]
    record(recommendation, world["head"], at(date(2026, 10, 5)), "complete_proposed")

    for meeting, when in [
        (world["board"], at(TODAY)),  # another committee's (and not yet held)
        (world["earlier"], at(TODAY)),  # held before the update
        (world["panel"], at(date(2026, 11, 17))),  # not yet held on the day it is recorded
    ]:
        with pytest.raises(ValidationError) as refused:
            decide(recommendation, clerk, meeting, "accepted", when)
        assert "meeting" in refused.value.message_dict
    assert PanelDecision.objects.count() == 0


def test_the_clerk_adds_recommendations_numbered_in_turn_with_clear_errors(client, world):
    client.force_login(world["clerk"])

    response = client.post("/plans/ip/recommendations/new/", {"source": "meeting", "title": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the meeting that made the recommendation." in page
    assert "Enter the title." in page and "Enter the recommendation as it was made." in page
    response = client.post("/plans/ip/recommendations/new/", {"source": "inspection"})
    page = response.content.decode()
    assert "Enter the inspectorate, for example Ofsted." in page
    assert "Choose the board or panel that tracks it." in page

    response = client.post(
        "/plans/ip/recommendations/new/",
        {
            "source": "meeting", "made_at": world["panel"].pk, "committee": "Improvement Board",
            "title": "Missing children", "action_proposed": "Consider missing children in March.",
            "objectives": [world["objective"].pk],
        },
    )  # fmt: skip

    assert response.status_code == 302
    added = Recommendation.objects.get(title="Missing children")
    # A meeting's own recommendation is tracked by that meeting's committee.
    assert (added.reference, added.committee) == ("R2", "Scrutiny Panel")
    assert list(added.objectives.all()) == [world["objective"]]
    assert added.history.first().history_user == world["clerk"]


def test_the_pages_link_recommendations_and_objectives_with_their_rag(client, world):
    client.force_login(world["head"])

    page = client.get("/plans/ip/recommendations/1/").content.decode()
    assert "Objectives that answer it" in page and ">1.1</a>" in page
    assert re.search(r'class="app-rag app-rag--\w+">(Green|Amber|Red|Not rated|Complete)<', page)
    assert "HoS Early Help (Erin Help)" in page  # answered for through the objective
    assert "Record action taken" in page and "decision</a>" not in page
    assert "1 July 2026, 09:00: added by Cal Clerk" in page  # its history, with who

    page = client.get("/plans/ip/objectives/1.1/").content.decode()
    assert "R1 Post 16 participation" in page and "Not started" in page


def test_the_register_filters(client, world):
    plan, objective = world["plan"], world["objective"]
    other_objective = ObjectiveFactory(priority_area__plan=plan, plan=plan, reference="2.1")
    second = add(plan, world["panel"], "Sufficiency", [other_objective], by=world["clerk"])
    record(second, world["manager"], at(date(2026, 11, 19)), "complete_proposed")
    client.force_login(world["head"])

    def shown(query):
        page = client.get(f"/plans/ip/recommendations/?{query}").content.decode()
        titles = [t for t in ("Post 16 participation", "Sufficiency") if t in page]
        return sorted(titles, key=page.index)  # in the page's order

    assert shown("") == ["Post 16 participation", "Sufficiency"]
    assert shown("awaiting=true") == ["Sufficiency"]
    assert shown("status=not_started") == ["Post 16 participation"]
    assert shown(f"meeting={world['panel'].pk}") == ["Sufficiency"]
    assert shown(f"area={objective.priority_area.reference}") == ["Post 16 participation"]
    assert shown("source=inspection") == []
    assert shown("source=meeting&status=complete_proposed") == ["Sufficiency"]
    record(world["recommendation"], world["head"], at(TODAY, 10), "partially_complete")
    assert shown("sort=status") == ["Post 16 participation", "Sufficiency"]
    assert shown("sort=date") == ["Post 16 participation", "Sufficiency"]
    record(world["recommendation"], world["head"], at(TODAY, 11), "complete_proposed")
    record(second, world["manager"], at(TODAY, 11), "in_progress")
    assert shown("sort=status") == ["Sufficiency", "Post 16 participation"]
    assert shown("sort=number") == ["Post 16 participation", "Sufficiency"]


def test_the_monitoring_report_is_the_panels_open_list_as_its_papers_stood(world):
    plan, clerk, head = world["plan"], world["clerk"], world["head"]
    first = world["recommendation"]
    record(first, head, at(date(2026, 10, 5)), "in_progress", "Contacted Bristol and Coventry.")
    record(first, head, at(date(2026, 11, 2)), "complete_proposed", "Met Bristol; precis sent.")
    record(first, head, at(date(2026, 11, 14)), "complete_proposed", "After the papers.")
    with time_machine.travel(at(LOADED), tick=False):
        closed = add(plan, world["earlier"], "CareDirector", [], by=clerk)
    record(closed, world["manager"], at(date(2026, 9, 30)), "complete_proposed")
    decide(closed, clerk, world["earlier"], "accepted", at(date(2026, 10, 2)))
    with time_machine.travel(at(LOADED), tick=False):
        board_item = recommendation_create(
            Recommendation(
                plan=plan, source=RecommendationSource.INSPECTION,
                committee=Committee.IMPROVEMENT_BOARD, inspectorate="Ofsted",
                inspection_year=2019, inspection_kind=InspectionKind.CORE_RECOMMENDATION,
                title="MASH decisions", action_proposed="Decisions follow local guidance.",
            ),
            objectives=[], posts=[], by=world["manager"],
        )  # fmt: skip

    report = monitoring_report(plan, world["panel"], TODAY)

    assert report.as_at == date(2026, 11, 11)
    assert [r.title for r in report.recommendations] == ["Post 16 participation"]
    (row,) = report.recommendations
    assert [u.action_taken for u in row.progress().updates] == [
        "Contacted Bristol and Coventry.", "Met Bristol; precis sent.",
    ]  # fmt: skip
    assert report.awaiting_decision == 1
    # The board's report lists the board's items only.
    board_report = monitoring_report(plan, world["board"], TODAY)
    assert [r.title for r in board_report.recommendations] == ["MASH decisions"]
    assert board_item.progress().is_open

    # Accepted at this meeting: still in this meeting's papers, gone from the next one's.
    decide(first, clerk, world["panel"], "accepted", at(PANEL, 19))
    assert [r.title for r in monitoring_report(plan, world["panel"], TODAY).recommendations] == [
        "Post 16 participation"
    ]
    with time_machine.travel(at(date(2027, 1, 20)), tick=False):
        later = BoardMeeting.objects.create(
            plan=plan, committee=Committee.SCRUTINY_PANEL, date=date(2027, 1, 27),
            papers_due=date(2027, 1, 20),
        )  # fmt: skip
    assert monitoring_report(plan, later, date(2027, 1, 20)).recommendations == []


def _monitoring_world(world):
    first = world["recommendation"]
    record(first, world["head"], at(date(2026, 10, 5)), "in_progress", "Contacted Bristol.")
    record(first, world["head"], at(date(2026, 11, 2)), "complete_proposed", "Met Bristol.")
    with time_machine.travel(at(date(2026, 10, 1)), tick=False):
        second = add(world["plan"], world["earlier"], "Missing children", [], by=world["clerk"])
    return first, second


def test_the_monitoring_report_downloads_as_csv_and_xlsx_in_the_papers_layout(client, world):
    _monitoring_world(world)
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))
    query = f"?meeting={world['panel'].pk}"

    response = client.get(f"/plans/ip/recommendations/monitoring.csv{query}")

    assert response["Content-Disposition"] == (
        'attachment; filename="ip-scrutiny-panel-monitoring-2026-11-18.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "Reference,Date,Title,Action proposed,Action taken,Progress status,"
        "Committee's decision,Source"
    )
    text = response.content.decode("utf-8-sig")
    assert "R1,30/09/2026,Post 16 participation" in text
    assert "05/10/2026: Contacted Bristol.\n\n02/11/2026: Met Bristol." in text.replace("\r", "")
    assert "Complete (proposed),Awaiting the Scrutiny Panel's decision" in text
    assert "R2,30/09/2026,Missing children" in text and ",Not started,," in text

    response = client.get(f"/plans/ip/recommendations/monitoring.xlsx{query}")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Recommendations", "About"]
    rows = list(book["Recommendations"].values)
    assert (rows[1][0], rows[1][1].date(), rows[1][2]) == (
        "R1", date(2026, 9, 30), "Post 16 participation",
    )  # fmt: skip
    assert rows[1][5] == "Complete (proposed)"
    about = dict(list(book["About"].values)[1:])
    assert about["Open recommendations"] == 2 and about["Awaiting a decision"] == 1


def test_the_monitoring_report_pdf_reads_as_the_papers_do(client, world):
    _monitoring_world(world)
    client.force_login(world["head"])

    response = client.get(f"/plans/ip/recommendations/monitoring.pdf?meeting={world['panel'].pk}")

    text = " ".join(pdf_text(response.content).split())
    assert "Scrutiny Panel monitoring – 18 November 2026" in text
    assert "As at 11 November 2026" in text
    for heading in ("Date", "Title", "Action proposed", "Action taken", "Progress status"):
        assert heading in text
    assert "30/09/26" in text and "Post 16 participation" in text
    assert "05/10/26: Contacted Bristol." in text and "02/11/26: Met Bristol." in text
    assert "Awaiting the Scrutiny Panel's decision" in text
    assert "Missing children" in text and "None recorded yet." in text


def test_the_board_pack_has_the_open_recommendations_by_committee(
    client, world, celery_eager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _monitoring_world(world)
    client.force_login(world["head"])

    response = fetch_paper(client, f"/plans/ip/board-pack.pdf?meeting={world['board'].pk}")

    text = " ".join(pdf_text(response.content).split())
    assert "5. Recommendations still open" in text
    assert "Scrutiny Panel (2)" in text and "Post 16 participation" in text
    response = client.get(f"/plans/ip/board-pack.xlsx?meeting={world['board'].pk}")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["Recommendations"].values)
    assert rows[0][-1] == "Tracked by"
    assert [(row[0], row[-1]) for row in rows[1:]] == [
        ("R1", "Scrutiny Panel"), ("R2", "Scrutiny Panel"),
    ]  # fmt: skip


def test_the_plans_inspection_findings_join_the_register_once_each(world):
    plan, objective = world["plan"], world["objective"]
    second = ObjectiveFactory(priority_area=objective.priority_area, plan=plan, reference="1.2")
    words = "Decision making in the MASH follows local guidance."
    for cited_by, text in [(objective, words), (second, " " + words), (second, "")]:
        InspectionReference.objects.create(
            objective=cited_by, reference=f"{cited_by.reference}-{len(text)}", source="Ofsted",
            year=2019, kind=InspectionKind.CORE_RECOMMENDATION, text=text,
        )  # fmt: skip

    added = recommendations_from_inspection_references(
        plan, committee=Committee.IMPROVEMENT_BOARD, by=world["manager"]
    )

    assert added == 2
    findings = Recommendation.objects.filter(source="inspection").order_by("number")
    linked = [
        (r.action_proposed, sorted(o.reference for o in r.objectives.all())) for r in findings
    ]
    assert linked == [
        (words, ["1.1", "1.2"]), ("", ["1.2"]),
    ]  # fmt: skip
    # Titles tell findings apart: their opening words, else where the plan cites them.
    assert [f.title for f in findings] == [
        words,
        "Ofsted core recommendation (2019), answered by objective 1.2",
    ]
    assert findings[0].source_label == "Ofsted core recommendation (2019)"
    assert (
        recommendations_from_inspection_references(
            plan, committee=Committee.IMPROVEMENT_BOARD, by=world["manager"]
        )
        == 0
    )


def test_the_meeting_page_lists_what_the_panel_can_decide_and_what_it_decided(client, world):
    first, second = _monitoring_world(world)
    record(second, world["manager"], at(TODAY, 9), "complete_proposed")  # after the meeting
    client.force_login(world["clerk"])
    url = f"/plans/ip/meetings/{world['panel'].pk}/"

    page = client.get(url).content.decode()
    assert "Awaiting the Scrutiny Panel's decision (1)" in page
    assert f"/recommendations/{first.number}/decision/?meeting={world['panel'].pk}" in page
    assert "Missing children" not in page  # proposed after the meeting: for a later one

    decide(first, world["clerk"], world["panel"], "accepted", at(TODAY, 10))
    page = client.get(url).content.decode()
    assert "Awaiting the" not in page
    assert "Decisions recorded at this meeting (1)" in page
    assert "R1 Post 16 participation</a>: Accepted as complete" in page


def test_the_clerk_adds_the_findings_the_plan_cites_from_the_register(client, world):
    InspectionReference.objects.create(
        objective=world["objective"], reference="1.1-ofsted", source="Ofsted", year=2021,
        kind=InspectionKind.AREA_FOR_IMPROVEMENT, text="Visits to home educated children.",
    )  # fmt: skip
    client.force_login(world["clerk"])
    assert (
        "Add 1 finding from the plan" in client.get("/plans/ip/recommendations/").content.decode()
    )

    response = client.post("/plans/ip/recommendations/from-plan/", follow=True)

    page = response.content.decode()
    assert "1 inspection finding from the plan was added" in page
    assert "Add 1 finding" not in page and "Ofsted area for improvement (2021)" in page
    finding = Recommendation.objects.get(source="inspection")
    assert (finding.committee, list(finding.objectives.all())) == (
        "Improvement Board", [world["objective"]],
    )  # fmt: skip


def test_entries_stay_in_date_order_from_the_recommendations_date(world):
    recommendation, head = world["recommendation"], world["head"]
    with pytest.raises(ValidationError, match="30 September 2026 or later"):
        record(recommendation, head, at(date(2026, 9, 29)), "in_progress")
    record(recommendation, head, at(date(2026, 10, 5)), "in_progress")

    with time_machine.travel(at(TODAY), tick=False), pytest.raises(ValidationError) as refused:
        recommendation_record_update(
            recommendation, by=head, taken_on=date(2026, 10, 4), action_taken="Earlier.",
            status="in_progress", today=TODAY,
        )  # fmt: skip

    assert refused.value.message_dict["taken_on"] == [
        "The date must be 5 October 2026 or later: the recommendation's date or its latest entry's."
    ]


def test_the_objective_page_takes_the_same_queries_before_and_after_decisions(client, world):
    recommendation, head, clerk = world["recommendation"], world["head"], world["clerk"]
    client.force_login(head)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/plans/ip/objectives/1.1/").status_code == 200
        return len(captured)

    queries()  # the first visit notes the plan in the session (plans.navigation)
    before = queries()
    record(recommendation, head, at(date(2026, 11, 2)), RecommendationStatus.COMPLETE_PROPOSED)
    decide(recommendation, clerk, world["panel"], PanelDecisionKind.ACCEPTED, at(PANEL, 15))

    assert queries() == before


def test_beside_its_status_the_register_shows_how_far_the_linked_actions_have_got(client, world):
    objective, head = world["objective"], world["head"]
    done = new_action(objective, "1.1.1", due_date=date(2026, 10, 31))
    new_action(objective, "1.1.2", due_date=date(2026, 11, 1))  # overdue by today
    new_action(objective, "1.1.3", due_date=date(2027, 3, 31))
    update(done, head, at(date(2026, 10, 20)), "complete", "Done.")
    client.force_login(head)

    page = client.get("/plans/ip/recommendations/").content.decode()
    detail = client.get(world["recommendation"].get_absolute_url()).content.decode()

    assert "Not started" in page  # the status the committee has on record
    assert "Linked actions: 1 of 3 actions complete, 1 overdue" in page
    assert "Linked actions: 1 of 3 actions complete, 1 overdue" in detail
