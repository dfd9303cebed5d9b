import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from boards.models import AreaAssessment
from boards.report import build_exception_report
from demo.loading import (
    DEMO_ACCOUNTS,
    DEMO_LOADER,
    DEMO_PLAN_FILE,
    DEMO_PLAN_REFERENCE,
    DEMO_PROVISIONAL,
    add_months,
    create_demo_accounts,
    load_demo_indicators,
    load_demo_plan,
    months_to_present,
    schedule_demo_board_meetings,
)
from indicators.models import IndicatorValue
from indicators.quality import Flag, flag_rows
from indicators.selectors import indicator_rows, latest_month
from indicators.versions import indicator_versions
from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.models import Action, BoardMeeting, InspectionReference, Objective, Plan, PriorityArea
from plans.rag import Rag
from progress.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def import_demo_file():
    return import_plan_file(
        by=system_account(), filename=DEMO_PLAN_FILE.name, content=DEMO_PLAN_FILE.read_bytes()
    )


def test_the_real_plan_imports_with_all_ten_priority_areas():
    import_demo_file()

    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    assert plan.period == "2021–22"
    titles = list(PriorityArea.objects.values_list("title", flat=True))
    assert len(titles) == 10
    assert titles[0].lower() == "effective assessment and intervention"
    assert "workforce" in titles[8].lower() and "systems" in titles[9].lower()
    # Every objective row of the plan has its actions; none is left empty.
    assert Objective.objects.count() >= 60
    assert not Objective.objects.filter(actions__isnull=True).exists()
    assert InspectionReference.objects.filter(source="Ofsted", year=2019).exists()


def test_the_in_house_foster_carers_objective_is_there_in_full():
    import_demo_file()

    objective = Objective.objects.get(outcome__startswith="15 new carers per year")
    assert {p.name for p in objective.responsible_posts.all()} == {
        "Service Manager Fostering",
        "Head of Service",
    }
    assert objective.actions.count() == 5


def test_reimporting_the_demo_file_changes_nothing():
    import_demo_file()
    assert not import_demo_file().changed


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2022, 1, 15), 58, date(2026, 11, 15)),
        (date(2021, 12, 31), 58, date(2026, 10, 31)),
        (date(2022, 3, 31), 58, date(2027, 1, 31)),
        (date(2021, 11, 30), 3, date(2022, 2, 28)),
        (date(2022, 1, 31), 1, date(2022, 2, 28)),
        (date(2022, 2, 28), 1, date(2022, 3, 31)),  # a month end stays a month end
        (date(2022, 6, 1), 0, date(2022, 6, 1)),
    ],
)
def test_demo_dates_move_by_whole_months(day, months, expected):
    assert add_months(day, months) == expected


def test_the_demo_moves_january_2022_into_the_current_month():
    today = date(2026, 11, 22)
    assert months_to_present(today) == 58

    load_demo_plan(today=today)

    moved = Objective.objects.filter(target_date__year=2026, target_date__month=11)
    assert moved.exists()
    # A live mix: some actions overdue, some not yet due.
    overdue = Action.objects.overdue(today).count()
    assert 0 < overdue < Action.objects.count()


def test_the_importer_itself_never_moves_dates():
    import_demo_file()
    assert Objective.objects.filter(target_date=date(2021, 12, 31)).exists()


@override_settings(DEMO_MODE=True)
def test_demo_accounts_cover_every_role_and_hold_the_plans_posts():
    load_demo_plan(today=date(2026, 11, 22))
    accounts = create_demo_accounts()

    assert {a.role for a, _ in accounts} == {a.role for a in DEMO_ACCOUNTS}
    quality, password = next((a, p) for a, p in accounts if a.username == "hos.quality")
    user = authenticate(RequestFactory().post("/"), username="hos.quality", password=password)
    assert user is not None
    assert "HoS Quality Assurance" in {post.name for post in user.posts.all()}


def test_demo_accounts_cannot_sign_in_outside_demo_mode():
    load_demo_plan(today=date(2026, 11, 22))
    with override_settings(DEMO_MODE=True):
        accounts = create_demo_accounts()
    username, password = accounts[0][0].username, accounts[0][1]

    request = RequestFactory().post("/")
    assert authenticate(request, username=username, password=password) is None


def test_demo_accounts_are_not_created_outside_demo_mode():
    with pytest.raises(RuntimeError, match="only in demo mode"):
        create_demo_accounts()


def test_the_demo_board_meets_every_other_month_this_month_included():
    today = date(2026, 11, 22)
    load_demo_plan(today=today)
    schedule_demo_board_meetings(today=today)
    schedule_demo_board_meetings(today=today)  # running the demo again adds none

    meetings = BoardMeeting.objects.order_by("date")
    assert [(m.date, m.papers_due) for m in meetings] == [
        (date(2026, 7, 30), date(2026, 7, 23)),  # the last Thursday of July
        (date(2026, 9, 24), date(2026, 9, 17)),
        (date(2026, 11, 26), date(2026, 11, 19)),
        (date(2027, 1, 28), date(2027, 1, 21)),
    ]


def test_the_demo_indicators_load_with_the_right_rag_and_move_with_the_plan():
    today = date(2026, 11, 22)
    load_demo_plan(today=today)
    summary = load_demo_indicators(today=today)
    assert summary.created["indicators"] >= 40
    rows = {row.indicator.reference: row for row in indicator_rows()}

    # Assessments within 45 days: 88% against a target of 87%, higher is better.
    assessments = rows["AS-01"]
    assert assessments.latest.value == 88 and assessments.rag == Rag.GREEN
    # NEET at 17-18: 45% against 20%, lower is better.
    assert rows["CL-04"].rag == Rag.RED
    # Contacts, "1400 per month": the January paper asks to reduce them, so lower is better.
    assert rows["FD-01"].rag == Rag.RED
    # Referrals, "300 per month", direction not stated: never a colour.
    assert rows["FD-05"].rag == Rag.NOT_RATED
    # December 2021, the papers' last month, falls in October 2026.
    assert latest_month(list(rows.values())) == date(2026, 10, 1)
    assert not load_demo_indicators(today=today).changed


def test_running_the_demo_again_in_a_later_month_moves_the_figures_without_mixing_months():
    load_demo_plan(today=date(2026, 11, 22))
    load_demo_indicators(today=date(2026, 11, 22))
    load_demo_plan(today=date(2026, 12, 5))
    load_demo_indicators(today=date(2026, 12, 5))

    contacts = IndicatorValue.objects.filter(indicator__reference="FD-01").order_by("month")
    # April 2021's 1828 is now in March 2026, and only there.
    assert [v.month for v in contacts if v.value == 1828] == [date(2026, 3, 1)]
    assert contacts.last().month == date(2026, 11, 1)


def test_the_demo_has_a_past_the_report_shows_and_running_it_again_adds_none(settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    with time_machine.travel(datetime(2026, 11, 22, 10, tzinfo=UTC), tick=False):
        call_command("load_demo", stdout=out)
        plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
        this_months = BoardMeeting.objects.get(plan=plan, date=date(2026, 11, 26))
        today = build_exception_report(plan, as_at=date(2026, 11, 19), meeting=this_months)
        month_ago = build_exception_report(plan, as_at=date(2026, 10, 19), meeting=this_months)
        updates = ProgressUpdate.objects.count()
        call_command("load_demo", stdout=io.StringIO())

    assert "Demo history: the plan loaded 01/07/2026" in out.getvalue()
    # A round of updates before each board's papers, all in the past, none from the future.
    made = ProgressUpdate.objects.filter(action__objective__plan=plan).values_list(
        "created_at", flat=True
    )
    assert {when.date() for when in made} == {
        date(2026, 7, 19), date(2026, 9, 13), date(2026, 11, 15)
    }  # fmt: skip
    assert ProgressUpdate.objects.count() == updates  # running again adds no history
    overdue = [i for i in today.items if any(r.startswith("Overdue") for r in i.reasons)]
    assert overdue and all(i.rag == Rag.RED for i in overdue)
    assert any(i.commentary and i.rag == Rag.RED for i in today.items)
    assert today.items != month_ago.items  # what changed since shows
    # Nothing is lost: as at a month ago is still the report it was.
    with time_machine.travel(datetime(2026, 11, 22, 11, tzinfo=UTC), tick=False):
        again = build_exception_report(plan, as_at=date(2026, 10, 19), meeting=this_months)
    assert [(i.key, i.rag, i.reasons) for i in again.items] == [
        (i.key, i.rag, i.reasons) for i in month_ago.items
    ]
    assert AreaAssessment.objects.filter(meeting__date=date(2026, 9, 24)).count() == 3


def test_the_demo_plans_title_period_and_words_move_with_its_dates():
    load_demo_plan(today=date(2026, 12, 7))  # 59 months after January 2022

    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    assert (plan.title, plan.period) == ("Improvement Plan 2026–27", "2026–27")
    assert plan.reference == "IP-2021-22"  # an identifier: kept as the papers give it
    action = Action.objects.get(reference="1.3.5")
    assert action.description.endswith("by 1 November 2026")  # "by 1 December 2021" in the plan
    assert InspectionReference.objects.filter(year=2019).exists()  # what happened stays


def test_the_demo_restates_a_count_after_the_last_papers_in_order(settings):
    settings.DEMO_MODE = True
    with time_machine.travel(datetime(2026, 11, 22, 10, tzinfo=UTC)):
        call_command("load_demo", stdout=io.StringIO())
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    # The last papers went out on 19 November, for the 26th: once that board has met, the
    # report for the one after footnotes the revision.
    after = BoardMeeting.objects.filter(plan=plan, date__gt=date(2026, 11, 26)).order_by("date")[0]
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=UTC)):
        report = build_exception_report(plan, as_at=date(2026, 12, 1), meeting=after)

    restated = IndicatorValue.history.filter(history_user__username="performance")
    indicator = restated.first().indicator
    versions = indicator_versions(indicator)
    months = sorted(month for month, found in versions.items() if found.restated)
    assert months, "the demo restates a run of months"
    values = {value.month: value.value for value in indicator.values.all()}
    for month in months:
        first, *later = versions[month].versions
        assert first.by == DEMO_LOADER[1] and [v.by for v in later] == ["Priya Patel"]
        assert later[-1].value == values[month] < first.value  # the newest is what stands
    # The revision of a month the last papers showed is footnoted, from what they showed.
    assert [(r.indicator, r.month) for r in report.revisions] == [(indicator, months[0])]
    assert report.revisions[0].before == versions[months[0]].first.value
    # The latest figures: one restated, two provisional.
    rows = flag_rows(indicator_rows(), today=date(2026, 11, 22))
    assert [row.indicator for row in rows if Flag.RESTATED in row.flags] == [indicator]
    assert sum(Flag.PROVISIONAL in row.flags for row in rows) == DEMO_PROVISIONAL
