"""A previous meeting's papers, once settled, are recorded once and read by every report."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError

from boards import papers, report
from boards.models import RecordedPapers
from boards.papers import SETTLED_AFTER, papers_entries, record_previous_papers
from boards.report import build_exception_report
from plans.as_at import end_of_day
from plans.models import BoardMeeting
from tests.report_world import TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db

PAPERS_DAY = date(2026, 10, 8)  # the previous board's papers, as report_world has them


@pytest.fixture
def plan_world():
    """Three actions whose ratings changed between the October papers and today."""
    plan, objective, head, meeting = make_plan_world()
    actions = {ref: new_action(objective, ref) for ref in ("1.1.1", "1.1.2", "1.1.3")}
    update(actions["1.1.1"], head, at(date(2026, 10, 5)), status="at_risk", commentary="Slow.")
    update(actions["1.1.2"], head, at(date(2026, 10, 5)), status="off_track", commentary="Stuck.")
    update(actions["1.1.3"], head, at(date(2026, 10, 5)))
    update(actions["1.1.1"], head, at(date(2026, 11, 10)), status="off_track", commentary="Worse.")
    update(actions["1.1.2"], head, at(date(2026, 11, 10)), status="on_track")
    update(actions["1.1.3"], head, at(date(2026, 11, 10)), status="at_risk", commentary="Risk.")
    return plan, meeting


@pytest.fixture
def papers_built(monkeypatch):
    """The as-at dates of the papers built from history (the rest were recorded)."""
    built = []
    build = papers.papers_as_at

    def counting(plan, *, as_at, meeting, **given):
        built.append(as_at)
        return build(plan, as_at=as_at, meeting=meeting, **given)

    # Where the report reads its own papers, and where the previous papers are built.
    monkeypatch.setattr(report, "papers_as_at", counting)
    monkeypatch.setattr(papers, "papers_as_at", counting)
    return built


def comparison(report):
    changes = {item.reference: item.change for item in report.items}
    resolved = [(e.reference, e.title, e.rag, e.rag_now, e.url) for e in report.resolved]
    return changes, resolved


def test_a_later_report_reads_the_previous_papers_as_recorded(plan_world, papers_built):
    plan, meeting = plan_world
    with time_machine.travel(at(TODAY), tick=False):
        first = build_exception_report(plan, as_at=TODAY, meeting=meeting)
        assert papers_built == [TODAY, PAPERS_DAY]
        assert RecordedPapers.objects.count() == 1

        papers_built.clear()
        again = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    assert papers_built == [TODAY]  # the October papers were read as recorded
    assert RecordedPapers.objects.count() == 1
    assert comparison(again) == comparison(first)
    assert comparison(first) == (
        {"1.1": "unchanged", "1.1.1": "worsened", "1.1.3": "new"},
        [("1.1.2", first.resolved[0].title, "red", "green", "/plans/ip/actions/1.1.2/")],
    )


def test_each_meetings_papers_are_recorded_apart(plan_world, papers_built):
    plan, meeting = plan_world
    held = date(2026, 11, 20)  # an extra board, its papers due the same day
    with time_machine.travel(at(date(2026, 7, 2)), tick=False):
        BoardMeeting.objects.create(plan=plan, date=held, papers_due=held)

    def reports():
        return [
            build_exception_report(plan, as_at=TODAY, meeting=meeting),  # since the extra board
            build_exception_report(plan, as_at=date(2026, 11, 10)),  # since October's
        ]

    with time_machine.travel(at(TODAY), tick=False):
        first = reports()
        papers_built.clear()
        again = reports()

    assert papers_built == [TODAY, date(2026, 11, 10)]  # both previous papers read as recorded
    assert RecordedPapers.objects.count() == 2
    assert [comparison(report) for report in again] == [comparison(report) for report in first]
    assert comparison(first[0]) != comparison(first[1])


@pytest.mark.parametrize(("after", "recorded"), [(timedelta(minutes=59), 0), (SETTLED_AFTER, 1)])
def test_papers_are_recorded_only_once_their_moment_has_settled(plan_world, after, recorded):
    plan, meeting = plan_world
    with time_machine.travel(end_of_day(PAPERS_DAY) + after, tick=False):
        entries = papers_entries(plan, as_at=PAPERS_DAY, meeting=None)

    assert [entry.reference for entry in entries] == ["1.1", "1.1.1", "1.1.2"]
    assert RecordedPapers.objects.count() == recorded


def test_the_papers_todays_reports_compare_with_are_recorded_before_anyone_asks(
    plan_world, papers_built
):
    plan, meeting = plan_world
    with time_machine.travel(at(TODAY), tick=False):
        out = StringIO()
        call_command("record_papers", stdout=out)  # as after a deploy, and hourly by beat
        assert out.getvalue() == (
            "Previous meetings' papers recorded: 1.\n"
            # the same papers: the plan's one board before today
            "Papers the direction of travel shows, recorded: 1.\n"
        )
        assert papers_built == [PAPERS_DAY]

        papers_built.clear()
        build_exception_report(plan, as_at=TODAY, meeting=meeting)
        build_exception_report(plan, as_at=TODAY)

    assert papers_built == [TODAY, TODAY]  # each report's own papers only
    assert RecordedPapers.objects.count() == 1


@pytest.mark.parametrize(("after", "recorded"), [(timedelta(minutes=59), 0), (SETTLED_AFTER, 1)])
def test_papers_are_recorded_ahead_only_once_settled(plan_world, papers_built, after, recorded):
    plan, meeting = plan_world
    held = date(2026, 11, 20)  # an extra board, its papers due the same day
    with time_machine.travel(at(date(2026, 7, 2)), tick=False):
        BoardMeeting.objects.create(plan=plan, date=held, papers_due=held)

    with time_machine.travel(end_of_day(held) + after, tick=False):
        assert record_previous_papers(today=held + timedelta(days=1)) == recorded

    # The extra board's papers, and only once settled; with them, the ratings the report shows
    # at the board before (15 October, papers due 8 October), recorded with its papers.
    assert sorted(papers_built) == [date(2026, 10, 8), held][: recorded * 2]
    assert RecordedPapers.objects.count() == recorded * 2
    assert RecordedPapers.objects.filter(ratings__isnull=True).count() == 0


def test_papers_that_cannot_be_recorded_still_make_the_report(plan_world, monkeypatch, caplog):
    plan, meeting = plan_world

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(RecordedPapers.objects, "bulk_create", busy)
    with time_machine.travel(at(TODAY), tick=False):
        report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    assert [entry.reference for entry in report.resolved] == ["1.1.2"]
    assert RecordedPapers.objects.count() == 0
    assert "Could not record the papers" in caplog.text
