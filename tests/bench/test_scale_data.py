"""generate_scale_data (bench/scale/): synthetic plans with two years of history, written
as the app writes them, so that reports "as at" any date read them as they would real data.

One quarter-size plan is generated for the module (about 80 actions and 1,900 updates): once
through the function and rolled back, then through the command, and the two compared.
"""

import hashlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Min

from bench.scale.generate import count_rows, generate_scale_data
from bench.scale.loading import history_models
from bench.scale.story import MONTHS_OF_FIGURES, StoryCalendar, plan_sizes
from boards.exceptions import ItemKind
from boards.report import build_exception_report
from indicators.as_at import indicators_as_at
from indicators.models import Benchmark, Indicator, IndicatorValue
from plans.as_at import end_of_day
from plans.models import Action, ActionStatus, BoardMeeting, Committee, Plan, Post
from plans.roles import Role
from progress.as_at import plan_as_at
from progress.models import ProgressUpdate
from recommendations.models import Recommendation
from recommendations.monitoring import monitoring_report
from tests.factories import restore_role_groups

TODAY = date(2026, 11, 20)
SEED = 7
COMMAND = ["--scale", "0.25", "--plans", "1", "--seed", str(SEED), "--today", TODAY.isoformat()]


def _digest(rows) -> str:
    """A fingerprint of the rows, in an order that does not depend on the database."""
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def key_facts() -> dict:
    """What the same seed must reproduce, by references and names rather than database keys."""
    plan = "objective__plan__reference"
    return {
        "counts": count_rows(),
        "actions": _digest(
            Action.objects.values_list(
                plan,
                "objective__reference",
                "reference",
                "description",
                "status",
                "version",
                "due_date",
                "revised_due_date",
                "commentary",
                "last_updated_by__username",
            )
        ),
        "updates": _digest(
            ProgressUpdate.objects.values_list(
                f"action__{plan}",
                "action__objective__reference",
                "action__reference",
                "version",
                "created_at",
                "created_by__username",
                "status",
                "commentary",
                "revised_due_date",
                "revision_reason",
                "evidence_link",
            )
        ),
        "holders": _digest(Post.objects.values_list("name", "holders__username")),
        "values": _digest(
            IndicatorValue.objects.values_list("indicator__reference", "month", "value", "note")
        ),
        "recommendations": _digest(
            (r.plan.reference, r.number, r.title, r.progress().label)
            for r in Recommendation.objects.select_related("plan")
        ),
    }


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Generate through the function (facts kept, rows rolled back), then through the command;
    the data stays for the module's tests and is rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        restore_role_groups()  # before the per-test fixture would: a module's data needs them
        with transaction.atomic():
            generate_scale_data(scale=0.25, plans=1, seed=SEED, today=TODAY)
            first = key_facts()
            transaction.set_rollback(True)
        assert not Plan.objects.exists()
        output = StringIO()
        call_command("generate_scale_data", *COMMAND, stdout=output)
        yield {"first": first, "output": output.getvalue()}
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_same_seed_makes_the_same_data(generated):
    assert key_facts() == generated["first"]


def test_the_command_says_what_it_made_and_how_long_it_took(generated):
    output = generated["output"]
    updates = ProgressUpdate.objects.count()
    assert f"{updates:,} progress updates" in output
    assert "Plans: scale-01." in output
    assert "Done in" in output


def test_counts_are_those_of_a_quarter_size_plan(generated):
    plan = Plan.objects.get()
    assert plan.priority_areas.count() == 10
    objectives = plan.objectives.count()
    actions = Action.objects.filter(objective__plan=plan).count()
    updates = ProgressUpdate.objects.count()
    assert 10 <= objectives <= 30
    assert 3 <= actions / objectives <= 5
    assert 18 <= updates / actions <= 30  # about 24 an action over two years
    assert Post.objects.count() == 8
    indicators = Indicator.objects.count()
    assert indicators == 10
    assert IndicatorValue.objects.count() == indicators * MONTHS_OF_FIGURES
    assert Benchmark.objects.count() == indicators * 5
    for committee in Committee:
        assert BoardMeeting.objects.filter(committee=committee, date__gt=TODAY).exists()
    assert BoardMeeting.objects.filter(committee=Committee.IMPROVEMENT_BOARD).count() >= 12
    assert Recommendation.objects.filter(source="inspection").exists()
    assert Recommendation.objects.filter(source="meeting").count() == 3


def test_a_standard_council_and_the_split_over_plans():
    assert plan_sizes(scale=10, plans=10) == plan_sizes(scale=10, plans=10)
    assert [size.councils for size in plan_sizes(scale=10, plans=10)] == [1.0] * 10
    standard = plan_sizes(scale=1, plans=1)[0]
    assert (standard.posts, standard.indicators) == (30, 40)
    assert [size.councils for size in plan_sizes(scale=10, plans=4)] == [2.5] * 4
    with pytest.raises(ValueError):
        plan_sizes(scale=0, plans=1)


def test_posts_have_holders_and_escalate_to_the_deputy_director(generated):
    posts = Post.objects.annotate(n=Count("holders"))
    assert all(1 <= post.n <= 3 for post in posts)
    deputy = Post.objects.get(name__endswith="Deputy Director")
    assert set(posts.exclude(pk=deputy.pk).values_list("escalation_contact", flat=True)) == {
        deputy.pk
    }
    holders = {user.groups.get().name for post in posts for user in post.holders.all()}
    assert holders == {Role.HEAD_OF_SERVICE.value, Role.PERFORMANCE_MANAGER.value}


def test_every_history_row_is_dated_within_the_story(generated):
    calendar = StoryCalendar.ending(TODAY)
    for model in history_models():
        dates = model.objects.aggregate(first=Min("history_date"), last=Max("history_date"))
        if dates["first"] is not None:
            assert calendar.loaded_at <= dates["first"], model.__name__
            assert dates["last"] <= calendar.until, model.__name__
    updates = ProgressUpdate.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert calendar.loaded_at < updates["first"] and updates["last"] <= calendar.until


def test_each_update_has_the_action_history_row_the_app_would_write(generated):
    history = Action.history.model
    assert history.objects.filter(history_type="~").count() == ProgressUpdate.objects.count()
    update = ProgressUpdate.objects.filter(action__owners__isnull=False).order_by("pk")[0]
    row = history.objects.get(id=update.action_id, version=update.version)
    assert (row.history_date, row.history_user, row.status, row.commentary) == (
        update.created_at, update.created_by, update.status, update.commentary
    )  # fmt: skip
    assert {link.post_id for link in row.owners.all()} == set(
        update.action.owners.values_list("pk", flat=True)
    )
    for action in Action.objects.annotate(n=Count("updates"), last=Max("updates__created_at")):
        assert action.version == action.n
        assert action.last_updated_at == action.last
        if action.n:
            latest = action.updates.order_by("-version").first()
            assert (action.status, action.commentary) == (latest.status, latest.commentary)
            assert action.last_updated_by_id == latest.created_by_id
    assert ProgressUpdate.objects.exclude(revised_due_date=None).exists()


def test_the_plan_a_year_back_is_the_updates_made_by_then(generated):
    plan = Plan.objects.get()
    moment = end_of_day(TODAY - timedelta(days=365))
    then = plan_as_at(plan, moment)
    now = plan_as_at(plan, end_of_day(TODAY))
    assert {a.pk: a.status for a in then.actions} != {a.pk: a.status for a in now.actions}
    owners = {
        a.pk: {p.pk for p in a.owners.all()} for a in Action.objects.prefetch_related("owners")
    }
    assert any(owners.values())
    for action in then.actions:
        latest = (
            ProgressUpdate.objects.filter(action_id=action.pk, created_at__lt=moment)
            .order_by("-version")
            .first()
        )
        expected = (latest.status, latest.version) if latest else (ActionStatus.NOT_STARTED, 0)
        assert (action.status, action.version) == expected
        assert {post.pk for post in action.owners.all()} == owners[action.pk]
    assert not plan_as_at(plan, StoryCalendar.ending(TODAY).loaded_at).exists


def test_a_post_that_changed_hands_shows_its_holder_of_the_time(generated):
    plan = Plan.objects.get()
    now = plan_as_at(plan, end_of_day(TODAY)).posts
    loaded = StoryCalendar.ending(TODAY).loaded_at
    change = (
        Post.history.filter(history_date__gt=loaded + timedelta(hours=1), id__in=list(now))
        .order_by("history_date")
        .first()
    )
    assert change is not None
    then = plan_as_at(plan, change.history_date - timedelta(minutes=1)).posts[change.id]

    def holders(post) -> set[int]:
        return {user.pk for user in post.holders.all()}

    assert holders(then) != holders(now[change.id])
    assert holders(now[change.id]) == holders(Post.objects.get(pk=change.id))


def test_figures_arrive_month_by_month(generated):
    plan = Plan.objects.get()
    year_back = end_of_day(TODAY - timedelta(days=365))
    then = indicators_as_at(year_back, plan_id=plan.pk)
    latest = max(value.month for values in then.values.values() for value in values)
    assert latest < year_back.date().replace(day=1)
    now = indicators_as_at(end_of_day(TODAY), plan_id=plan.pk)
    assert sum(map(len, now.values.values())) > sum(map(len, then.values.values()))


def test_the_exception_report_builds_now_and_a_year_back(generated):
    plan = Plan.objects.get()
    boards = BoardMeeting.objects.filter(plan=plan, committee=Committee.IMPROVEMENT_BOARD)
    meeting = boards.filter(date__gte=TODAY).order_by("date").first()
    report = build_exception_report(plan, as_at=meeting.as_at(TODAY), meeting=meeting)
    assert report.exists and report.previous is not None and report.compared_with is not None
    assert {item.kind for item in report.items} >= {ItemKind.ACTION, ItemKind.OBJECTIVE}
    assert report.resolved or any(item.change != "new" for item in report.items)
    past = boards.filter(date__lte=TODAY - timedelta(days=365)).order_by("-date").first()
    earlier = build_exception_report(plan, as_at=past.papers_due, meeting=past)
    assert earlier.items and earlier.action_counts != report.action_counts


def test_the_register_has_decisions_and_open_items(generated):
    plan = Plan.objects.get()
    progress = [r.progress() for r in Recommendation.objects.all()]
    assert any(p.closed_by for p in progress) and any(p.is_open for p in progress)
    assert all(p.updates for p in progress if p.closed_by)
    panel = BoardMeeting.objects.filter(committee=Committee.SCRUTINY_PANEL, date__lte=TODAY)
    meeting = panel.order_by("-date").first()
    report = monitoring_report(plan, meeting, TODAY)
    assert report.as_at == meeting.papers_due


def test_the_command_refuses_a_database_that_holds_a_plan(generated):
    with pytest.raises(CommandError, match="already holds 1 plan.*empty one"):
        call_command("generate_scale_data", *COMMAND, stdout=StringIO())


def test_the_command_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="not a date"):
        call_command("generate_scale_data", "--scale", "1", "--today", "20/11/2026")
