"""Indicators belong to plans: the council keeps each measure once, and each plan shows those
linked into it. A file loaded into a plan adds its indicators to that plan; one measure can
evidence two plans with its figures loaded once; each board's summary is its own."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.importers import load_indicator_file
from indicators.models import Indicator, IndicatorSummaryChoice, IndicatorValue
from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.models import Plan
from plans.roles import Role
from tests.factories import UserFactory
from tests.indicator_files import small_indicators
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans():
    """Two live plans from the template, with the same area references; the indicators loaded
    into the first."""
    import_plan_file(by=system_account(), filename="a.xlsx", content=xlsx(small_plan()))
    send = small_plan(**{"Plan!2!1": "SEND-PLAN", "Plan!3!1": "SEND priority actions"})
    import_plan_file(by=system_account(), filename="b.xlsx", content=xlsx(send))
    first, second = Plan.objects.get(reference="TEST-PLAN"), Plan.objects.get(reference="SEND-PLAN")
    load_indicator_file(
        plan=first, by=system_account(), filename="i.xlsx", content=xlsx(small_indicators())
    )
    return first, second


def signed_in(client, role=Role.PERFORMANCE_MANAGER):
    client.force_login(UserFactory(role=role))
    return client


def references(response) -> set[str]:
    text = response.content.decode()
    return {i.reference for i in Indicator.objects.all() if f">{i.reference}<" in text}


def test_each_plan_shows_its_own_indicators(client, plans):
    first, second = plans
    client = signed_in(client, Role.BOARD_MEMBER)
    assert references(client.get("/plans/TEST-PLAN/indicators/")) == {"AS-01", "FD-01", "FD-02"}
    assert references(client.get("/plans/SEND-PLAN/indicators/")) == set()
    assert client.get("/plans/SEND-PLAN/indicators/AS-01/").status_code == 404


def test_loading_into_a_second_plan_links_the_same_measures_and_figures(client, plans):
    first, second = plans
    values = IndicatorValue.objects.count()
    area_of_first = Indicator.objects.get(reference="AS-01").priority_areas.get()

    summary = load_indicator_file(
        plan=second, by=system_account(), filename="i.xlsx", content=xlsx(small_indicators())
    )

    assert sorted(summary.joined) == ["AS-01", "FD-01", "FD-02"]
    assert "3 indicators already kept for another plan join this one" in str(summary)
    assert IndicatorValue.objects.count() == values  # no figure entered twice
    indicator = Indicator.objects.get(reference="AS-01")
    assert set(indicator.plans.all()) == {first, second}
    # Linked to area 1 of each plan: the first plan's link is kept beside the second's.
    assert {(a.plan, a.reference) for a in indicator.priority_areas.all()} == {
        (first, "1"), (second, "1"),
    }  # fmt: skip
    assert area_of_first in indicator.priority_areas.all()
    page = signed_in(client, Role.BOARD_MEMBER).get("/plans/SEND-PLAN/indicators/AS-01/")
    assert "Also in" in page.content.decode() and first.title in page.content.decode()
    # Loading the first plan's file again leaves the second plan's links alone.
    load_indicator_file(
        plan=first, by=system_account(), filename="i.xlsx", content=xlsx(small_indicators())
    )
    assert set(Indicator.objects.get(reference="AS-01").plans.all()) == {first, second}
    assert Indicator.objects.get(reference="AS-01").priority_areas.count() == 2


def test_the_performance_manager_chooses_a_plans_indicators_and_history_keeps_it(client, plans):
    first, second = plans
    client = signed_in(client)
    ids = dict(Indicator.objects.values_list("reference", "pk"))

    page = client.get("/plans/SEND-PLAN/indicators/choose/").content.decode()
    assert "AS-01 Assessments in 45 working days (also in" in page
    response = client.post(
        "/plans/SEND-PLAN/indicators/choose/", {"indicators": [ids["AS-01"], ids["FD-01"]]}
    )
    assert response.status_code == 302
    assert set(second.indicators.values_list("reference", flat=True)) == {"AS-01", "FD-01"}
    assert first.indicators.count() == 3  # the first plan is as it was

    client.post("/plans/TEST-PLAN/indicators/choose/", {"indicators": [ids["FD-01"]]})
    as_01 = Indicator.objects.get(reference="AS-01")
    assert list(as_01.plans.all()) == [second]
    assert not as_01.priority_areas.filter(plan=first).exists()  # its area link went with it
    newest = as_01.history.first()
    assert [link.plan_id for link in newest.plans.all()] == [second.pk]
    assert newest.history_user is not None
    # Its page is still found from the first plan's past papers, saying it has left.
    page = client.get("/plans/TEST-PLAN/indicators/AS-01/").content.decode()
    assert "Test Improvement Plan no longer shows this indicator" in page


def test_a_board_member_sees_only_the_other_plans_they_read(client, plans):
    first, second = plans
    load_indicator_file(
        plan=second, by=system_account(), filename="i.xlsx", content=xlsx(small_indicators())
    )
    board = UserFactory(role=Role.BOARD_MEMBER)
    board.member_of_plans.set([second])
    client.force_login(board)
    page = client.get("/plans/SEND-PLAN/indicators/AS-01/").content.decode()
    assert "Also in" not in page and first.title not in page
    assert client.get("/plans/TEST-PLAN/indicators/AS-01/").status_code == 404


def test_each_boards_summary_is_its_own(client, plans):
    first, second = plans
    load_indicator_file(
        plan=second, by=system_account(), filename="i.xlsx", content=xlsx(small_indicators())
    )
    client = signed_in(client)
    client.post("/plans/TEST-PLAN/indicators/summary/", {"list-AS-01": "ones_to_watch"})

    (choice,) = IndicatorSummaryChoice.objects.all()
    assert (choice.plan, choice.indicator.reference) == (first, "AS-01")
    first_page = client.get("/plans/TEST-PLAN/indicators/summary/").content.decode()
    second_page = client.get("/plans/SEND-PLAN/indicators/summary/").content.decode()
    assert "moved here by the performance manager" in first_page
    assert "moved here by the performance manager" not in second_page


def test_an_archived_plans_indicators_are_read_not_changed(client, plans):
    first, _ = plans
    Plan.objects.filter(pk=first.pk).update(archived=date(2027, 4, 1))
    client = signed_in(client)
    assert client.get("/plans/TEST-PLAN/indicators/").status_code == 200
    for address in ("choose/", "load/"):
        assert client.get(f"/plans/TEST-PLAN/indicators/{address}").status_code == 403
    response = client.post("/plans/TEST-PLAN/indicators/summary/", {"list-AS-01": "do_better"})
    assert response.status_code == 403
    upload = SimpleUploadedFile("i.xlsx", xlsx(small_indicators()))
    assert client.post("/plans/TEST-PLAN/indicators/load/", {"file": upload}).status_code == 403


def test_the_old_addresses_lead_into_the_plan_last_opened(client, plans):
    client = signed_in(client, Role.BOARD_MEMBER)
    assert client.get("/indicators/")["Location"] == "/plans/"  # two live plans: choose one
    client.get("/plans/SEND-PLAN/")
    assert client.get("/indicators/summary/")["Location"] == "/plans/SEND-PLAN/indicators/summary/"
    assert client.get("/indicators/?rag=red")["Location"] == "/plans/SEND-PLAN/indicators/?rag=red"


def test_the_command_asks_which_plan_when_there_are_several(plans, tmp_path):
    file = tmp_path / "i.xlsx"
    file.write_bytes(xlsx(small_indicators()))
    with pytest.raises(CommandError, match="several live plans .*Give --plan"):
        call_command("import_indicators", str(file), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no live plan 'NOPE'"):
        call_command("import_indicators", str(file), plan="NOPE", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_indicators", str(file), plan="SEND-PLAN", stdout=out)
    assert "join this one" in out.getvalue()
    assert Plan.objects.get(reference="SEND-PLAN").indicators.count() == 3


def test_choosing_many_indicators_takes_no_more_queries_than_a_few(client, plans):
    client = signed_in(client)

    def queries_to_choose_all() -> int:
        ids = list(Indicator.objects.values_list("pk", flat=True))
        client.post("/plans/SEND-PLAN/indicators/choose/", {"indicators": []})
        with CaptureQueriesContext(connection) as made:
            client.post("/plans/SEND-PLAN/indicators/choose/", {"indicators": ids})
        return len(made)

    few = queries_to_choose_all()
    for n in range(10):
        Indicator.objects.create(
            reference=f"ZZ-{n}", area="Extra", title="Extra", unit="number", period_type="snapshot"
        )
    assert queries_to_choose_all() == few
    assert Plan.objects.get(reference="SEND-PLAN").indicators.count() == 13
    client.post("/plans/SEND-PLAN/indicators/choose/", {})  # nothing ticked: none shown
    assert not Plan.objects.get(reference="SEND-PLAN").indicators.exists()
