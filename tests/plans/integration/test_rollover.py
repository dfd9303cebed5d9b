"""The yearly rollover (plans.rollover): next year's plan carries on this year's unfinished
actions, the old plan is archived, read-only, and every report as at a past date reads as it did."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from demo.loading import (
    create_demo_accounts,
    load_demo_indicators,
    load_demo_plan,
    schedule_demo_board_meetings,
)
from demo.story import play_demo_history
from indicators.models import Indicator
from plans.models import Action, ActionStatus, Objective, Plan, SuccessCriterion
from plans.roles import Role
from plans.rollover import plan_rolled_over, rollover_plan
from reminders.models import ReminderSettings
from tests.factories import UserFactory
from tests.report_world import at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db
START = date(2027, 4, 1)


@pytest.fixture
def world():
    """A plan with one action, on track with one update."""
    plan, objective, head, meeting = make_plan_world()
    action = new_action(objective, "1.1.1")
    update(action, head, at(date(2026, 8, 3)), commentary="The audit tool is agreed.")
    action.refresh_from_db()
    return plan, head, action


def roll(plan, by, **changes):
    details = {"reference": "ip-2027-28", "title": "Improvement Plan 2027–28", "start": START}
    return rollover_plan(plan, **details | changes, by=by)


def test_unfinished_actions_carry_on_and_complete_ones_stay(world):
    plan, head, action = world
    done = Action.objects.create(
        objective=action.objective, reference="1.1.2", description="Finished",
        status=ActionStatus.COMPLETE,
    )  # fmt: skip
    board = UserFactory(role=Role.BOARD_MEMBER)
    plan.members.add(board)
    ReminderSettings.objects.create(plan=plan, due_soon_days=21)
    indicator = Indicator.objects.create(
        reference="CIN-1", area="Assessment", title="Assessments in time", unit="percentage",
        period_type="snapshot",
    )  # fmt: skip
    indicator.plans.add(plan)
    indicator.priority_areas.add(plan.priority_areas.get())
    SuccessCriterion.objects.create(objective=action.objective, reference="a", criterion="Audits")
    manager = UserFactory(role=Role.PERFORMANCE_MANAGER)

    new = roll(plan, manager)

    plan.refresh_from_db()
    assert plan.archived == timezone.localdate() and new.rolled_over_from == plan
    assert (new.period, new.published, new.organisation) == ("2027–28", START, plan.organisation)
    [carried] = Action.objects.filter(objective__plan=new)
    assert carried.reference == action.reference and carried.carried_over_from == action
    assert action.carried_over_to == carried
    assert (carried.status, carried.commentary) == (action.status, action.commentary)
    assert list(carried.owners.all()) == list(action.owners.all())
    assert Action.objects.get(pk=done.pk).objective.plan == plan  # complete work stays
    objective = Objective.objects.get(plan=new)
    assert list(objective.responsible_posts.all()) == list(action.objective.responsible_posts.all())
    assert objective.success_criteria.get().criterion == "Audits"
    assert list(new.members.all()) == [board]
    assert ReminderSettings.objects.get(plan=new).due_soon_days == 21
    assert list(new.priority_areas.get().indicators.all()) == [indicator]  # the same measure
    assert set(indicator.plans.all()) == {plan, new}  # shown by both, loaded once
    assert new.history.get().history_user == manager
    assert plan.history.first().history_user == manager  # who archived it


def test_a_failing_part_undoes_the_whole_rollover(world):
    plan, head, action = world

    def refuse(**kwargs):
        raise RuntimeError("a receiver failed")

    plan_rolled_over.connect(refuse)
    try:
        with pytest.raises(RuntimeError):
            roll(plan, head)
    finally:
        plan_rolled_over.disconnect(refuse)
    assert list(Plan.objects.all()) == [plan]
    plan.refresh_from_db()
    assert plan.archived is None and Action.objects.count() == 1


def test_the_command_checks_then_rolls_over_or_writes_nothing(world):
    plan, head, action = world
    said = StringIO()
    call_command("rollover_plan", "ip", "--slug", "ip-2027-28", "--title", "IP 2027–28",
                 "--start", "2027-04-01", "--dry-run", stdout=said)  # fmt: skip
    assert "1 action not complete carried over, 0 actions complete staying." in said.getvalue()
    assert Plan.objects.count() == 1

    with pytest.raises(CommandError) as same_year:
        call_command(
            "rollover_plan", "ip", "--slug", "ip-b", "--title", "B", "--start", "2024-09-01"
        )  # fmt: skip  (the factory plan covers 2024–25)
    with pytest.raises(CommandError) as taken:
        call_command("rollover_plan", "ip", "--slug", "ip", "--title", "B",
                     "--start", "2027-04-01")  # fmt: skip
    with pytest.raises(CommandError) as not_a_date:
        call_command("rollover_plan", "ip", "--slug", "x", "--title", "B", "--start", "1/4/27")

    assert "give a start date in the next year" in str(same_year.value)
    assert "A plan with the reference ip exists already" in str(taken.value)
    assert "write it as 2027-04-01" in str(not_a_date.value)
    assert Plan.objects.count() == 1
    call_command("rollover_plan", "ip", "--slug", "ip-2027-28", "--title", "IP 2027–28",
                 "--start", "2027-04-01", stdout=said)  # fmt: skip
    assert "is archived" in said.getvalue()
    with pytest.raises(CommandError, match="was rolled over already"):
        call_command("rollover_plan", "ip", "--slug", "again", "--title", "Again",
                     "--start", "2028-04-01")  # fmt: skip


def test_the_page_checks_then_confirms(client, world):
    plan, head, action = world
    client.force_login(UserFactory(role=Role.PERFORMANCE_MANAGER))
    typed = {"reference": "ip-2027-28", "title": "Improvement Plan 2027–28",
             "start_day": "1", "start_month": "4", "start_year": "2027"}  # fmt: skip

    checked = client.post("/plans/ip/rollover/", typed | {"check": ""})
    assert checked.status_code == 200 and "1 unfinished action" in checked.text
    assert Plan.objects.count() == 1
    done = client.post("/plans/ip/rollover/", typed | {"confirm": ""}, follow=True)

    assert done.redirect_chain[-1][0] == "/plans/ip-2027-28/"
    assert "carries on from" in done.text
    assert client.post("/plans/ip/rollover/", typed | {"check": ""}).status_code == 403


def test_the_archived_plan_is_read_only_and_its_history_is_read_from_the_new_one(client, world):
    plan, head, action = world
    new = roll(plan, head)
    client.force_login(head)

    refused = client.get(f"/plans/ip/actions/{action.reference}/update/")
    assert refused.status_code == 403 and "it can be read, not changed" in refused.text
    assert client.get(f"/plans/ip-2027-28/actions/{action.reference}/update/").status_code == 200
    page = client.get(f"/plans/ip-2027-28/actions/{action.reference}/").text
    assert "Before the rollover" in page and plan.title in page
    assert action.updates.get().commentary in page
    old_page = client.get(f"/plans/ip/actions/{action.reference}/").text
    assert f'Carried on in <a class="govuk-link" href="/plans/{new.reference}/' in old_page
    my_actions = client.get("/my-actions/").text
    assert f"/plans/ip-2027-28/actions/{action.reference}/" in my_actions
    assert f"/plans/ip/actions/{action.reference}/" not in my_actions


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT, settings.DEMO_MODE = tmp_path, True
    today, started = timezone.localdate(), timezone.now()
    load_demo_plan(today=today)
    load_demo_indicators(today=today)
    schedule_demo_board_meetings(today=today)
    create_demo_accounts()
    play_demo_history(today=today, since=started)
    return Plan.objects.get()


def test_every_report_as_at_a_past_board_reads_as_it_did_before_the_rollover(client, demo):
    client.force_login(UserFactory(role=Role.PERFORMANCE_MANAGER))
    past = demo.board_meetings.filter(date__lt=timezone.localdate()).order_by("date")
    assert past.count() >= 2

    def papers():
        return {
            meeting.pk: client.get(
                f"/plans/{demo.reference}/report.csv?meeting={meeting.pk}"
            ).content
            for meeting in past
        }

    before = papers()
    new = roll(demo, UserFactory(), reference="demo-next", start=date(2030, 4, 1))

    assert papers() == before
    assert Action.objects.filter(objective__plan=new).exists()
