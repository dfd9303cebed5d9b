"""The demo's register: the Scrutiny Panel's 2021 recommendations as its November papers list
them, the resolutions of its July meeting, and the Ofsted findings the plan cites."""

from datetime import date

import pytest
from django.test import override_settings

from demo.loading import (
    create_demo_accounts,
    load_demo_plan,
    load_demo_recommendations,
    months_to_present,
)
from plans.models import BoardMeeting, Committee
from recommendations.models import Recommendation
from recommendations.monitoring import monitoring_report

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)  # 58 months after the demo's anchor month, January 2022


@pytest.fixture
def demo():
    load_demo_plan(today=TODAY)
    with override_settings(DEMO_MODE=True):
        create_demo_accounts()
    return load_demo_recommendations(today=TODAY)


def test_the_november_papers_list_returns_with_dates_action_taken_and_status(demo):
    assert months_to_present(TODAY) == 58
    # 25 November 2021, moved on 58 months; its papers were due a week before.
    meeting = BoardMeeting.objects.get(committee=Committee.SCRUTINY_PANEL, date=date(2026, 9, 25))

    report = monitoring_report(meeting.plan, meeting, TODAY)

    rows = [(r.date, r.title, r.progress().get_status_display()) for r in report.recommendations]
    assert rows[0] == (date(2026, 4, 17), "Ofsted Focused Letter", "Partially complete")
    assert rows[-3:] == [
        (date(2026, 7, 31), "Post 16 Provision and Participation", "Complete (proposed)"),
        (
            date(2026, 9, 4),
            "Children and Adolescent Mental Health Support – Looked After Children",
            "Complete (proposed)",
        ),
        (date(2026, 9, 4), "Children and Learning Service Improvement Plan", "Complete (proposed)"),
    ]
    # Between them, the resolutions minuted on 22 July 2021, with nothing recorded yet.
    july = [row for row in rows if row[0] == date(2026, 5, 22)]
    assert len(july) == 5 and {row[2] for row in july} == {"Not started"}
    assert report.awaiting_decision == 3
    post_16 = next(r for r in report.recommendations if r.title.startswith("Post 16"))
    taken = [u.action_taken for u in post_16.progress().updates]
    assert taken[0].startswith("The Service Manager – Education Strategy")
    assert taken[1].startswith("Response to additional recommendation")
    assert {p.name for p in post_16.answering_posts()} == {"HoS Young People"}
    assert post_16.progress().updates[-1].created_by.username == "hos.young-people"


def test_the_plans_ofsted_findings_are_tracked_by_the_board_and_linked(demo):
    mash = Recommendation.objects.get(action_proposed__startswith="Decision making in the MASH")

    assert mash.committee == Committee.IMPROVEMENT_BOARD
    assert mash.source_label == "Ofsted core recommendation (2019)"
    assert sorted(o.reference for o in mash.objectives.all()) == ["1.7", "4.2", "4.6"]
    cited_without_words = Recommendation.objects.filter(source="inspection", action_proposed="")
    assert cited_without_words.exists()
    assert all(r.objectives.count() == 1 for r in cited_without_words)


def test_loading_the_demo_again_adds_no_recommendation(demo):
    count = Recommendation.objects.count()

    assert load_demo_recommendations(today=TODAY) == 0
    assert Recommendation.objects.count() == count == demo
