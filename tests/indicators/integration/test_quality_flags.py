"""Data-quality flags, each raised and cleared by data built for it, shown in words on the
indicators page (and filterable), on the board summary and in the pack; and audit results
resting on a small sample say so. The RAG ratings do not change."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from indicators.importers import INDICATOR_SHEETS, load_indicator_file, only_plan
from indicators.models import Indicator
from indicators.quality import Flag, flag_rows, is_unusual, last_month_due, working_days_after
from indicators.selectors import indicator_rows
from plans.accounts import system_account
from plans.models import SuccessCriterion
from plans.rag import Direction, Rag
from plans.roles import Role
from plans.services import audit_result_record
from tests.factories import UserFactory
from tests.papers import fetch_paper
from tests.pdf_text import pdf_text
from tests.plan_files import xlsx
from tests.report_world import at, make_plan_world

pytestmark = pytest.mark.django_db
D = Decimal


def test_working_days_skip_weekends_and_bank_holidays():
    assert working_days_after(date(2026, 11, 30), 10) == date(2026, 12, 14)
    # Christmas Day, Boxing Day (moved to Monday 28th) and New Year's Day are not working days.
    assert working_days_after(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 29)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 12, 14), date(2026, 10, 1)),  # November's figure is due after the 14th
        (date(2026, 12, 15), date(2026, 11, 1)),
        (date(2027, 1, 20), date(2026, 12, 1)),
    ],
)
def test_the_month_a_figure_is_due_for(settings, today, due):
    settings.FIGURES_DUE_WORKING_DAYS = 10
    assert last_month_due(today) == due


@pytest.mark.parametrize(
    ("figure", "run", "unusual"),
    [
        (D(140), [D(100), D(102), D(98), D(101), D(99), D(100)], True),
        (D(103), [D(100), D(102), D(98), D(101), D(99), D(100)], False),
        (D(101), [D(100)] * 6, False),  # a flat run's small wobble (under 17.5%)
        (D(130), [D(100)] * 6, True),
        (D(500), [D(100)] * 5, False),  # too few earlier figures to judge
        (D(1), [D(0)] * 6, True),
    ],
)
def test_unusual_is_far_from_the_indicators_own_run(figure, run, unusual):
    assert is_unusual(figure, run) is unusual


def monthly(values: dict[str, object], provisional: set[str] = frozenset()) -> bytes:
    sheets = {name: [columns] for name, columns in INDICATOR_SHEETS.items()}
    sheets["Indicators"].append([
        "CIC-01", "Children in care", "Children in care", "Number", "Snapshot",
        "Lower is better", None, 1800, None, "", "1,800", "1",
    ])  # fmt: skip
    for month, value in values.items():
        sheets["Values"].append(
            ["CIC-01", month, value, None, None, "", "Yes" if month in provisional else ""]
        )
    return xlsx(sheets)


RUN = {f"{m}-26": 1800 + i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun"])}


def flags_on(day: date) -> list[Flag]:
    with time_machine.travel(at(day), tick=False):
        (row,) = flag_rows(indicator_rows(Indicator.objects.all()), today=day)
    return row.flags


def load(content: bytes, day: date, by=None):
    with time_machine.travel(at(day), tick=False):
        load_indicator_file(
            plan=only_plan(), by=by or system_account(), filename="f.xlsx", content=content
        )


def test_each_flag_is_raised_by_its_data_and_cleared_when_it_is_put_right():
    make_plan_world()
    load(monthly(RUN), date(2026, 7, 3))
    assert flags_on(date(2026, 7, 3)) == []
    # July closed and ten working days passed: its figure is late until it comes.
    assert flags_on(date(2026, 8, 17)) == [Flag.LATE]
    load(monthly(RUN | {"Jul-26": 1807}, provisional={"Jul-26"}), date(2026, 8, 17))
    assert flags_on(date(2026, 8, 17)) == [Flag.PROVISIONAL]
    load(monthly(RUN | {"Jul-26": 2400}), date(2026, 8, 18))  # confirmed, far from the run
    assert flags_on(date(2026, 8, 18)) == [Flag.RESTATED, Flag.UNUSUAL]
    load(monthly(RUN | {"Jul-26": 2400, "Aug-26": 1810}), date(2026, 9, 2))
    assert flags_on(date(2026, 9, 2)) == []


def test_the_flags_are_words_filterable_on_the_indicators_page_with_a_legend(client):
    make_plan_world()
    load(monthly(RUN), date(2026, 7, 3))
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))
    with time_machine.travel(at(date(2026, 8, 17)), tick=False):
        page = client.get("/plans/ip/indicators/").content.decode()
        late = client.get("/plans/ip/indicators/?flag=late").content.decode()
        unusual = client.get("/plans/ip/indicators/?flag=unusual").content.decode()
        summary = client.get("/plans/ip/indicators/summary/").content.decode()

    assert ">Late</strong>" in page
    assert "Late: no figure for a month that closed more than 10 working days ago." in page
    assert "CIC-01" in late and "CIC-01" not in unusual.split("<table", 1)[1]
    assert ">Late</strong>" in summary and "Late: no figure for a month" in summary


def test_the_pack_prints_the_flags_and_their_legend(client, celery_eager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan, _, _, meeting = make_plan_world()
    load(monthly(RUN | {"Jul-26": 1807}, provisional={"Jul-26"}), date(2026, 8, 3))
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))
    with time_machine.travel(at(date(2026, 8, 5)), tick=False):
        pdf = fetch_paper(client, f"/plans/{plan.reference}/board-pack.pdf?meeting={meeting.pk}")

    text = " ".join(pdf_text(pdf.content).split())
    assert "1,807 (provisional)" in text
    assert "Provisional: the loader marked it so." in text


def test_an_audit_result_on_a_small_sample_says_so(client, settings):
    settings.SMALL_SAMPLE_CASES = 10
    plan, objective, _, _ = make_plan_world()
    criterion = SuccessCriterion.objects.create(
        objective=objective, reference="1.1-a", criterion="Assessments good or better",
        unit="%", direction=Direction.HIGHER_IS_BETTER, red=50, amber=60, green=70,
    )  # fmt: skip
    manager = UserFactory(role=Role.PERFORMANCE_MANAGER)
    audit_result_record(
        criterion=criterion, month=date(2026, 10, 1), audited=6, good_or_outstanding=3, by=manager
    )
    client.force_login(manager)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "Small sample: 6 cases, fewer than 10" in page
    criterion.refresh_from_db()
    assert criterion.rag == Rag.RED  # the rating itself does not change

    audit_result_record(
        criterion=criterion, month=date(2026, 11, 1), audited=12, good_or_outstanding=9, by=manager
    )
    assert "Small sample" not in client.get(objective.get_absolute_url()).content.decode()
