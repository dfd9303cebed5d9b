"""Are we getting better? Each board's counts of Red, Amber, Green and Complete actions as its
papers stood, for the plan and each area, and what changed since the last board's papers."""

import io
from datetime import date

import docx
import pytest
import time_machine

from boards.models import RecordedPapers
from boards.pack import board_pack, board_pack_html
from boards.report import build_exception_report
from boards.travel import changes_since_last_board, plan_travel, report_travel
from boards.word import pack_docx
from plans.documents import pdf_from_html
from plans.models import BoardMeeting
from plans.roles import Role
from tests.factories import ObjectiveFactory, PriorityAreaFactory, UserFactory
from tests.pdf_text import pdf_text
from tests.report_world import LOADED, TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db

RATINGS = ("red", "amber", "green", "complete")


def counts(tally) -> tuple[int, ...]:
    return tuple(tally.counts[rating] for rating in RATINGS)


@pytest.fixture
def world():
    """Area 1 with four actions and area 2 with one. Between the October papers (8 October)
    and today, 1.1.1 went from Amber to Red, 1.1.2 from Red to Green, 1.1.3 moved to area 2
    and was completed, 1.1.4 fell overdue (due 1 November) and 2.1.1 was completed."""
    plan, objective, head, meeting = make_plan_world()
    with time_machine.travel(at(LOADED), tick=False):
        second = PriorityAreaFactory(plan=plan, reference="2", title="Contact")
        elsewhere = ObjectiveFactory(
            priority_area=second, reference="2.1", target_date=date(2027, 3, 31),
            responsible_posts=list(objective.responsible_posts.all()),
        )  # fmt: skip
    actions = {ref: new_action(objective, ref) for ref in ("1.1.1", "1.1.2", "1.1.3")}
    actions["1.1.4"] = new_action(objective, "1.1.4", due_date=date(2026, 11, 1))
    actions["2.1.1"] = new_action(elsewhere, "2.1.1")
    for reference, status in [("1.1.1", "at_risk"), ("1.1.2", "off_track"), ("1.1.3", "on_track"),
                              ("1.1.4", "on_track"), ("2.1.1", "on_track")]:  # fmt: skip
        update(actions[reference], head, at(date(2026, 10, 5)), status=status, commentary="So.")
    with time_machine.travel(at(date(2026, 10, 20)), tick=False):
        moved = actions["1.1.3"]
        moved.refresh_from_db()
        moved.objective = elsewhere
        moved.save()
    for reference, status in [("1.1.1", "off_track"), ("1.1.2", "on_track"),
                              ("1.1.3", "complete"), ("2.1.1", "complete")]:  # fmt: skip
        update(actions[reference], head, at(date(2026, 11, 10)), status=status, commentary="Now.")
    return plan, meeting


def test_each_board_is_counted_as_its_papers_stood_for_the_plan_and_each_area(world):
    plan, meeting = world
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=TODAY, meeting=meeting)
        whole, first_area, second_area = report_travel(report)

    assert [t.label for t in whole.tallies] == ["15 Oct 2026", "These papers"]
    assert [counts(t) for t in whole.tallies] == [(1, 1, 3, 0), (2, 0, 1, 2)]
    # 1.1.3 was in area 1 when the October papers were written: counted there, then.
    assert first_area.name == "1 Assessment"
    assert [counts(t) for t in first_area.tallies] == [(1, 1, 2, 0), (2, 0, 1, 0)]
    assert [counts(t) for t in second_area.tallies] == [(0, 0, 1, 0), (0, 0, 0, 2)]
    assert whole.summary == (
        "Actions by rating, the whole plan, at 2 boards from 15 Oct 2026 to These papers: "
        "Red up from 1 to 2; Amber down from 1 to 0; Green down from 3 to 1; "
        "Complete up from 0 to 2."
    )


def test_papers_recorded_before_tallies_were_get_theirs_from_history_once(world):
    plan, meeting = world
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=TODAY, meeting=meeting)
        expected = [[counts(t) for t in travel.tallies] for travel in report_travel(report)]
        RecordedPapers.objects.update(tallies=None)  # as papers recorded before tallies were

        again = [[counts(t) for t in travel.tallies] for travel in report_travel(report)]

    assert again == expected
    assert RecordedPapers.objects.filter(tallies__isnull=True).count() == 0


def test_the_overview_counts_the_boards_before_today_and_today(world, client):
    plan, meeting = world
    with time_machine.travel(at(TODAY), tick=False):
        whole = plan_travel(plan, TODAY)[0]
        client.force_login(UserFactory(role=Role.PERFORMANCE_MANAGER))
        page = client.get("/plans/ip/").content.decode()

    assert [(t.label, counts(t)) for t in whole.tallies] == [
        ("15 Oct 2026", (1, 1, 3, 0)), ("Today", (2, 0, 1, 2)),
    ]  # fmt: skip
    assert "Direction of travel" in page
    assert f'aria-label="{whole.summary}"' in page  # the chart's name is its summary
    assert "<caption" in page and "Actions by rating, the whole plan" in page


def test_what_changed_since_the_last_board(world):
    plan, meeting = world
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    changes = changes_since_last_board(report)

    def actions(items):
        return [(item.reference, item.note) for item in items if item.kind == "action"]

    assert changes.previous.date == date(2026, 10, 15)
    assert actions(changes.newly_red) == [("1.1.1", "was Amber"), ("1.1.4", "was Green")]
    assert actions(changes.newly_overdue) == [("1.1.4", "due 1 Nov 2026")]
    assert actions(changes.recovered) == [("1.1.2", "now Green")]
    assert actions(changes.completed) == [("1.1.3", ""), ("2.1.1", "")]  # the plan's order
    assert [group.heading for group in changes.groups] == [
        "Newly Red", "Newly overdue", "Recovered", "Completed",
    ]  # fmt: skip


def test_a_first_board_has_nothing_to_compare_with(world):
    plan, meeting = world
    with time_machine.travel(at(date(2026, 7, 2)), tick=False):  # before any papers
        BoardMeeting.objects.exclude(pk=meeting.pk).delete()
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=TODAY, meeting=meeting)
        pack = board_pack(report)

    assert pack.changes.previous is None and not pack.changes.newly_red
    assert [t.label for t in pack.travel[0].tallies] == ["These papers"]


def test_the_pack_opens_with_what_changed_and_shows_the_direction_of_travel(world):
    plan, meeting = world
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=TODAY, meeting=meeting)
        text = " ".join(pdf_text(pdf_from_html(board_pack_html(report))).split())

    changed = text.index("What changed since the last board Every rating")
    assert changed < text.index("1. RAG overview by priority area The RAG")
    assert "Newly overdue 1 1 action" in text
    assert "Actions: 1.1.4 (due 1 Nov 2026)" in text
    assert "Direction of travel" in text
    assert "15 Oct 2026 1 1 3 0 These papers 2 0 1 2" in text


def test_the_word_pack_has_each_chart_as_a_picture_with_its_summary_as_alt_text(world):
    plan, meeting = world
    with time_machine.travel(at(TODAY), tick=False):
        pack = board_pack(build_exception_report(plan, as_at=TODAY, meeting=meeting))
        document = docx.Document(io.BytesIO(pack_docx(pack)))

    pictures = document.inline_shapes
    assert len(pictures) == 3  # the whole plan and each area
    descriptions = [shape._inline.docPr.get("descr") for shape in pictures]
    assert descriptions == [travel.summary for travel in pack.travel]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("What changed since the last board") < headings.index(
        "1. RAG overview by priority area"
    )
    assert "Actions by rating, 2 Contact" in headings
    images = [part for part in document.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 3 and all(part.blob.startswith(b"\x89PNG") for part in images)


def test_a_pack_as_at_an_earlier_date_shows_only_boards_that_had_met_by_then(world):
    plan, meeting = world
    with time_machine.travel(at(date(2026, 7, 2)), tick=False):
        BoardMeeting.objects.create(
            plan=plan, date=date(2026, 11, 15), papers_due=date(2026, 11, 8)
        )
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=date(2026, 11, 1), meeting=meeting)
        whole = report_travel(report)[0]

    assert [t.label for t in whole.tallies] == ["15 Oct 2026", "These papers"]
    assert changes_since_last_board(report).previous.date == date(2026, 10, 15)


def test_a_board_before_the_plan_was_in_the_tracker_is_nothing_to_compare_with(world):
    plan, meeting = world
    with time_machine.travel(at(date(2026, 7, 2)), tick=False):
        BoardMeeting.objects.exclude(pk=meeting.pk).delete()
        BoardMeeting.objects.create(plan=plan, date=date(2026, 6, 20), papers_due=date(2026, 6, 13))
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    assert report.previous.date == date(2026, 6, 20)  # a board met, before the plan was here
    changes = changes_since_last_board(report)
    assert changes.previous is None and not changes.newly_red and not changes.completed
