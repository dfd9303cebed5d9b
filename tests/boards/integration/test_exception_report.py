"""The exception rules (product rule 5) at their boundaries, and the report as at past dates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boards.exceptions import ItemKind
from boards.models import RecordedPapers
from boards.report import build_exception_report
from indicators.models import Indicator, IndicatorUnit, IndicatorValue, PeriodType
from plans.models import AuditResult, BoardMeeting, Partner, Plan, SuccessCriterion
from plans.rag import Direction, Rag
from plans.roles import Role
from tests.factories import (
    ObjectiveFactory,
    PlanFactory,
    PostFactory,
    PriorityAreaFactory,
    UserFactory,
)
from tests.report_world import (
    LOADED,
    PREVIOUS,
    TODAY,
    at,
    make_plan_world,
    new_action,
    update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_world():
    return make_plan_world()


def items_by_reference(report):
    return {item.reference: item for item in report.items}


def test_an_action_due_today_is_not_overdue_but_one_due_yesterday_is(plan_world):
    plan, objective, head, meeting = plan_world
    due_today = new_action(objective, "1.1.1", due_date=TODAY)
    due_yesterday = new_action(objective, "1.1.2", due_date=TODAY - timedelta(days=1))
    for action in (due_today, due_yesterday):
        update(action, head, at(date(2026, 11, 1)))

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    items = items_by_reference(report)
    assert "1.1.1" not in items
    assert items["1.1.2"].rag == Rag.RED
    assert items["1.1.2"].reasons == ["Overdue: due 21 November 2026; its owner reports on track"]
    assert report.overdue == 1


def test_an_items_link_is_the_page_reverse_gives_its_reference_quoted_alike(plan_world):
    plan, objective, head, meeting = plan_world
    action = new_action(objective, "1.1 (a&b) é%", due_date=TODAY - timedelta(days=1))
    update(action, head, at(date(2026, 11, 1)))

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    items = items_by_reference(report)
    assert items["1.1 (a&b) é%"].url == action.get_absolute_url()
    assert items[objective.reference].url == objective.get_absolute_url()


def test_an_update_made_as_the_previous_meeting_day_began_counts_as_since_it(plan_world):
    plan, objective, head, meeting = plan_world
    on_the_day = new_action(objective, "1.1.1")
    just_before = new_action(objective, "1.1.2")
    update(on_the_day, head, at(PREVIOUS, 0, 0, 0))
    update(just_before, head, at(PREVIOUS, 0, 0, 0) - timedelta(seconds=1))

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    items = items_by_reference(report)
    assert "1.1.1" not in items
    assert items["1.1.2"].reasons == [
        "No progress update since the previous meeting (15 October 2026)"
    ]
    assert items["1.1.2"].rag == Rag.GREEN  # an exception by its missing update alone
    assert report.not_updated == 1


def test_a_complete_action_needs_no_further_update(plan_world):
    plan, objective, head, meeting = plan_world
    action = new_action(objective, "1.1.1")
    update(action, head, at(date(2026, 9, 1)), status="complete")

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    assert report.items == [] and report.not_updated == 0


def test_with_no_previous_meeting_an_action_never_updated_is_an_exception(plan_world):
    plan, objective, head, _ = plan_world
    first_meeting = BoardMeeting.objects.get(date=PREVIOUS)
    never = new_action(objective, "1.1.1")
    updated = new_action(objective, "1.1.2")
    update(updated, head, at(date(2026, 9, 1)))

    report = build_exception_report(plan, as_at=date(2026, 10, 8), meeting=first_meeting)

    assert report.previous is None
    assert [(i.reference, i.reasons) for i in report.items] == [
        ("1.1.1", ["No progress update yet"])
    ]
    assert never.pk == report.items[0].pk


def test_red_and_amber_actions_and_their_objective_are_exceptions_with_reasons(plan_world):
    plan, objective, head, meeting = plan_world
    at_risk = new_action(objective, "1.1.1")
    off_track = new_action(objective, "1.1.2")
    update(at_risk, head, at(date(2026, 11, 2)), status="at_risk", commentary="Two vacancies.")
    update(off_track, head, at(date(2026, 11, 3)), status="off_track", commentary="Late.")

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    items = items_by_reference(report)
    assert items["1.1"].kind == ItemKind.OBJECTIVE
    assert items["1.1"].reasons == ["Red: the worst of its parts (Action 1.1.2)"]
    assert (items["1.1.1"].rag, items["1.1.1"].reasons) == (Rag.AMBER, ["Amber: at risk"])
    assert (items["1.1.2"].rag, items["1.1.2"].reasons) == (Rag.RED, ["Red: off track"])
    assert items["1.1.1"].commentary == "Two vacancies."
    assert items["1.1.1"].commentary_date == date(2026, 11, 2)
    assert items["1.1.1"].posts == ["HoS Early Help"]
    assert items["1.1.1"].holders == ["Erin Help"]


def test_a_criterion_rated_red_by_its_audits_is_an_exception(plan_world):
    plan, objective, head, meeting = plan_world
    with time_machine.travel(at(date(2026, 11, 5)), tick=False):
        criterion = SuccessCriterion.objects.create(
            objective=objective, reference="1.1-a", criterion="Audits good or outstanding",
            direction=Direction.HIGHER_IS_BETTER, red=50, amber=60, green=70, unit="%",
        )  # fmt: skip
        AuditResult.objects.create(
            criterion=criterion, month=date(2026, 10, 1), audited=20, good_or_outstanding=11
        )

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    items = items_by_reference(report)
    assert items["1.1-a"].rag == Rag.RED
    assert (
        items["1.1-a"]
        .reasons[0]
        .startswith("Red: 55.0% of 20 audits good or outstanding in October 2026.")
    )


def make_indicator(reference, **fields):
    """An indicator of the report world's plan."""
    indicator = Indicator.objects.create(
        reference=reference, area="Front door", title=f"Indicator {reference}",
        unit=IndicatorUnit.PERCENTAGE, period_type=PeriodType.SNAPSHOT,
        polarity=Direction.HIGHER_IS_BETTER, minimum=Decimal(60), upper_target=Decimal(80),
        **fields,
    )  # fmt: skip
    indicator.plans.add(Plan.objects.get(reference="ip"))
    return indicator


def test_indicators_red_or_fallen_a_band_are_exceptions_steady_amber_is_not(plan_world):
    plan, _, _, meeting = plan_world
    with time_machine.travel(at(date(2026, 11, 9)), tick=False):
        figures = {
            "RED": (Decimal(70), Decimal(50)),  # Amber to Red: red, and fell
            "FELL": (Decimal(85), Decimal(70)),  # Green to Amber
            "STEADY": (Decimal(70), Decimal(72)),  # Amber to Amber
            "GAP": (None, Decimal(70)),  # no figure the month before: no fall to see
        }
        for reference, (before, latest) in figures.items():
            indicator = make_indicator(reference)
            IndicatorValue.objects.create(indicator=indicator, month=date(2026, 9, 1), value=before)
            IndicatorValue.objects.create(
                indicator=indicator, month=date(2026, 10, 1), value=latest
            )

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    items = items_by_reference(report)
    assert set(items) == {"RED", "FELL"}
    assert items["RED"].reasons == [
        "Red: 50% in October 2026 (target 80%, higher is better)",
        "Fell from Amber (70%) to Red since September 2026",
    ]  # fmt: skip
    assert items["FELL"].reasons == ["Fell from Green (85%) to Amber since September 2026"]
    assert items["FELL"].area is None  # linked to no priority area: shown in its own section


def test_change_since_the_previous_meeting_new_worsened_improved_and_resolved(plan_world):
    plan, objective, head, meeting = plan_world
    actions = {ref: new_action(objective, ref) for ref in ("1.1.1", "1.1.2", "1.1.3", "1.1.4")}
    before_papers = at(date(2026, 10, 5))
    update(actions["1.1.1"], head, before_papers, status="at_risk", commentary="Slow.")
    update(actions["1.1.2"], head, before_papers, status="off_track", commentary="Stuck.")
    update(actions["1.1.3"], head, before_papers, status="at_risk", commentary="Slow.")
    update(actions["1.1.4"], head, before_papers)
    since = at(date(2026, 11, 10))
    update(actions["1.1.1"], head, since, status="off_track", commentary="Worse.")
    update(actions["1.1.2"], head, since, status="at_risk", commentary="Better.")
    update(actions["1.1.3"], head, since, status="on_track")
    update(actions["1.1.4"], head, since, status="at_risk", commentary="New risk.")

    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    changes = {item.reference: item.get_change_display() for item in report.items}
    assert changes == {
        "1.1": "No change", "1.1.1": "Worsened", "1.1.2": "Improved", "1.1.4": "New exception"
    }  # fmt: skip
    assert report.compared_with == date(2026, 10, 8)
    assert [item.reference for item in report.resolved] == ["1.1.3"]
    assert report.new_count == 1


def report_rows(report):
    return [
        (i.kind, i.reference, i.rag, tuple(i.reasons), i.commentary, i.due, i.revised_due,
         tuple(i.posts), tuple(i.holders), i.change)
        for i in report.items
    ]  # fmt: skip


def test_a_report_as_at_a_past_date_is_unchanged_by_later_updates_corrections_and_reloads(
    plan_world,
):
    plan, objective, head, meeting = plan_world
    action = new_action(objective, "1.1.1", due_date=date(2026, 11, 15))
    update(action, head, at(date(2026, 10, 20)), status="at_risk", commentary="Short-staffed.")
    with time_machine.travel(at(date(2026, 10, 21)), tick=False):
        indicator = make_indicator("CP-1")
        IndicatorValue.objects.create(indicator=indicator, month=date(2026, 9, 1), value=55)
    as_at = date(2026, 10, 31)
    with time_machine.travel(at(date(2026, 11, 1)), tick=False):
        before = build_exception_report(plan, as_at=as_at, meeting=meeting)
    assert {i.reference for i in before.items} == {"1.1", "1.1.1", "CP-1"}

    # Later: an update, a correction of the plan, an indicator reload, a new threshold, and
    # a change of post holder.
    update(action, head, at(date(2026, 11, 5)), status="complete", commentary="Done.")
    with time_machine.travel(at(date(2026, 11, 6)), tick=False):
        action.refresh_from_db()
        action.due_date = date(2027, 1, 31)
        action.description = "Corrected wording"
        action.save()
        value = IndicatorValue.objects.get(indicator=indicator)
        value.value = Decimal(90)
        value.save()
        indicator.minimum = Decimal(10)
        indicator.save()
        post = objective.responsible_posts.get()
        post.holders.set([UserFactory(first_name="New", last_name="Holder")])

    after = build_exception_report(plan, as_at=as_at, meeting=meeting)

    assert report_rows(after) == report_rows(before)
    assert after.action_counts == before.action_counts
    assert after.indicator_counts == before.indicator_counts
    assert items_by_reference(after)["1.1.1"].holders == ["Erin Help"]
    assert items_by_reference(after)["1.1.1"].title != "Corrected wording"
    today_report = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    assert {i.reference for i in today_report.items} == set()


def test_a_report_before_the_plan_was_loaded_says_so(plan_world):
    plan, _, _, _ = plan_world

    report = build_exception_report(plan, as_at=LOADED - timedelta(days=1))

    assert report.exists is False and report.items == []


def test_the_report_takes_the_same_queries_for_few_or_many_items(plan_world):
    plan, objective, head, meeting = plan_world

    def queries() -> tuple[int, int]:
        """Built from history, with the previous papers built too, then with them recorded."""
        counts = []
        RecordedPapers.objects.all().delete()
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                build_exception_report(plan, as_at=TODAY, meeting=meeting)
            counts.append(len(captured.captured_queries))
        return tuple(counts)

    manager = UserFactory(role=Role.PERFORMANCE_MANAGER)
    for number in range(2):
        action = new_action(objective, f"1.1.{number + 1}")
        update(action, manager, at(date(2026, 11, 2)), "at_risk", "Risk.")
    few = queries()
    for number in range(2, 22):
        with time_machine.travel(at(LOADED), tick=False):
            area = PriorityAreaFactory(plan=plan, reference=f"{number + 1}")
            other = ObjectiveFactory(
                priority_area=area, reference=f"{number + 1}.1", responsible_posts=[PostFactory()]
            )
        action = new_action(other, f"{number + 1}.1.1")
        update(action, manager, at(date(2026, 11, 2)), "off_track", "Late.")
    many = queries()

    assert few == many
    assert many[1] < many[0]  # the previous papers read as recorded, not built
    assert len(build_exception_report(plan, as_at=TODAY, meeting=meeting).items) >= 40


def test_deleting_a_partner_or_an_indicators_area_leaves_reports_whole(plan_world):
    plan, objective, head, meeting = plan_world
    with time_machine.travel(at(LOADED), tick=False):
        partner = Partner.objects.create(name="Police")
        objective.partners.add(partner)
        other_area = PriorityAreaFactory(plan=plan, reference="2")
        indicator = make_indicator("X")
        indicator.priority_areas.add(other_area)
        IndicatorValue.objects.create(indicator=indicator, month=date(2026, 6, 1), value=10)
    with time_machine.travel(at(date(2026, 11, 10)), tick=False):
        partner.delete()
        other_area.delete()

    then = build_exception_report(plan, as_at=date(2026, 11, 1), meeting=meeting)
    now = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    # Linked to an area of this plan then; linked to none now, so it belongs to every plan.
    assert [(i.reference, i.area.reference) for i in then.items if i.kind == "indicator"] == [
        ("X", "2")
    ]
    assert [(i.reference, i.area) for i in now.items if i.kind == "indicator"] == [("X", None)]


def test_meetings_added_or_moved_later_do_not_rewrite_an_old_report(plan_world):
    plan, objective, head, meeting = plan_world
    action = new_action(objective, "1.1.1")
    update(action, head, at(date(2026, 10, 20)))
    with time_machine.travel(at(date(2026, 11, 1)), tick=False):
        before = build_exception_report(plan, as_at=date(2026, 10, 31), meeting=meeting)
    assert before.items == [] and before.previous.date == PREVIOUS

    with time_machine.travel(at(date(2026, 11, 5)), tick=False):
        BoardMeeting.objects.create(
            plan=plan, date=date(2026, 10, 29), papers_due=date(2026, 10, 22)
        )
        previous = BoardMeeting.objects.get(date=PREVIOUS)
        previous.date = date(2026, 10, 28)
        previous.save()

    after = build_exception_report(plan, as_at=date(2026, 10, 31), meeting=meeting)

    assert after.items == [] and after.previous.date == PREVIOUS
    assert build_exception_report(plan, as_at=TODAY, meeting=meeting).previous.date == date(
        2026, 10, 29
    )


def test_a_later_meetings_report_as_at_today_looks_back_only_to_meetings_before_today(plan_world):
    plan, objective, head, meeting = plan_world
    with time_machine.travel(at(LOADED), tick=False):
        february = BoardMeeting.objects.create(
            plan=plan, date=date(2027, 2, 15), papers_due=date(2027, 2, 8)
        )
    action = new_action(objective, "1.1.1")
    update(action, head, at(date(2026, 11, 2)))

    report = build_exception_report(plan, as_at=TODAY, meeting=february)

    assert report.previous.date == PREVIOUS  # not the December meeting, still to come
    assert report.items == []


def test_a_plans_report_reads_only_its_own_indicators_then_and_now(plan_world):
    plan, objective, head, meeting = plan_world
    other = PlanFactory(reference="send")
    with time_machine.travel(at(LOADED), tick=False):
        for reference, plans, areas in [
            ("OWN-1", [plan], [objective.priority_area]),
            ("OTHER-1", [other], [PriorityAreaFactory(plan=other, reference="9")]),
            ("BOTH-1", [plan, other], []),
            ("NONE-1", [], []),
        ]:
            indicator = Indicator.objects.create(
                reference=reference, area="Front door", title=reference,
                unit=IndicatorUnit.PERCENTAGE, period_type=PeriodType.SNAPSHOT, upper_target=80,
                polarity=Direction.HIGHER_IS_BETTER,
            )  # fmt: skip
            indicator.plans.set(plans)
            indicator.priority_areas.set(areas)
            IndicatorValue.objects.create(indicator=indicator, month=date(2026, 6, 1), value=50)
    with time_machine.travel(at(date(2026, 11, 10)), tick=False):  # after the papers' day
        late = Indicator.objects.get(reference="OTHER-1")
        late._history_user = head
        late.plans.add(plan)

    then = build_exception_report(plan, as_at=date(2026, 11, 2), meeting=None)
    now = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    assert [i.reference for i in then.indicators.indicators] == ["BOTH-1", "OWN-1"]
    assert set(then.indicators.values) == {i.pk for i in then.indicators.indicators}
    assert {item.reference for item in then.items if item.kind == ItemKind.INDICATOR} == {
        "BOTH-1", "OWN-1",
    }  # fmt: skip
    assert [i.reference for i in now.indicators.indicators] == ["BOTH-1", "OTHER-1", "OWN-1"]


def test_papers_shared_by_two_reports_keep_each_reports_own_ratings(plan_world):
    plan, objective, head, meeting = plan_world
    action = new_action(objective, "1.1.1", due_date=date(2027, 1, 31))
    update(action, head, at(date(2026, 10, 1)), status="at_risk", commentary="Short-staffed.")
    update(action, head, at(date(2026, 11, 2)), status="on_track", commentary="Recovered.")
    update(action, head, at(date(2026, 11, 12)), status="complete", commentary="Done.")

    with time_machine.travel(at(TODAY), tick=False):
        # Both are compared with the October papers, recorded once for both.
        early = build_exception_report(plan, as_at=date(2026, 11, 5))
        late = build_exception_report(plan, as_at=date(2026, 11, 15))
        early_again = build_exception_report(plan, as_at=date(2026, 11, 5))

    def rating_now(report):
        return {item.reference: item.rag_now for item in report.resolved}["1.1.1"]

    assert rating_now(early) == Rag.GREEN
    assert rating_now(late) == Rag.COMPLETE
    assert rating_now(early_again) == Rag.GREEN


def test_a_report_shows_what_is_recorded_as_soon_as_it_is_recorded(plan_world):
    plan, objective, head, meeting = plan_world
    action = new_action(objective, "1.1.1", due_date=date(2027, 1, 31))
    update(action, head, at(TODAY, hour=8), status="at_risk", commentary="Short-staffed.")

    with time_machine.travel(at(TODAY, hour=10), tick=False):
        first = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    with time_machine.travel(at(TODAY, hour=10, minute=10), tick=False):
        again = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    assert report_rows(again) == report_rows(first)

    # The day is not over: the report follows what is recorded since, of any kind.
    update(action, head, at(TODAY, hour=10, minute=15), status="off_track", commentary="Worse.")
    with time_machine.travel(at(TODAY, hour=10, minute=20), tick=False):
        indicator = make_indicator("NEW")
        IndicatorValue.objects.create(indicator=indicator, month=date(2026, 10, 1), value=40)
    with time_machine.travel(at(TODAY, hour=10, minute=30), tick=False):
        after = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    assert items_by_reference(first)["1.1.1"].rag == Rag.AMBER
    assert items_by_reference(after)["1.1.1"].rag == Rag.RED
    assert "NEW" in items_by_reference(after) and "NEW" not in items_by_reference(first)

    # Once the day has settled, its report stays as it was at the end of the day.
    with time_machine.travel(at(TODAY + timedelta(days=1)), tick=False):
        update(action, head, timezone.now(), status="complete", commentary="Done.")
        settled = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    assert report_rows(settled) == report_rows(after)
    assert settled.meeting is meeting


def test_a_progress_update_and_a_new_figure_both_show_at_once(plan_world):
    plan, objective, head, meeting = plan_world
    action = new_action(objective, "1.1.1", due_date=date(2027, 1, 31))
    update(action, head, at(TODAY, hour=8), status="on_track", commentary="Fine.")
    with time_machine.travel(at(TODAY, hour=9), tick=False):
        indicator = make_indicator("FIRST")
        IndicatorValue.objects.create(indicator=indicator, month=date(2026, 10, 1), value=40)
    with time_machine.travel(at(TODAY, hour=10), tick=False):
        build_exception_report(plan, as_at=TODAY, meeting=meeting)

    update(action, head, at(TODAY, hour=10, minute=15), status="off_track", commentary="Worse.")
    with time_machine.travel(at(TODAY, hour=10, minute=30), tick=False):
        after_update = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    assert items_by_reference(after_update)["1.1.1"].rag == Rag.RED
    assert "FIRST" in items_by_reference(after_update)

    # A figure recorded since: the indicators are read again.
    with time_machine.travel(at(TODAY, hour=10, minute=40), tick=False):
        later = make_indicator("LATER")
        IndicatorValue.objects.create(indicator=later, month=date(2026, 10, 1), value=40)
    with time_machine.travel(at(TODAY, hour=10, minute=50), tick=False):
        after_figure = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    assert {"FIRST", "LATER", "1.1.1"} <= set(items_by_reference(after_figure))
