import io
import re
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.importers import load_indicator_file, only_plan
from indicators.models import (
    Indicator,
    IndicatorSummaryChoice,
    IndicatorValue,
    PendingIndicatorUpload,
)
from indicators.selectors import IndicatorRow, indicator_rows
from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.roles import Role
from tests.factories import UserFactory
from tests.indicator_files import small_indicators
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db
PAGES = "/plans/TEST-PLAN/indicators/"  # the test plan's indicator pages


@pytest.fixture(autouse=True)
def loaded():
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))
    load_indicator_file(
        plan=only_plan(), by=system_account(), filename="i.xlsx", content=xlsx(small_indicators())
    )


def in_the_plan(*indicators):
    for indicator in indicators:
        indicator.plans.add(only_plan())


def signed_in(client, role=Role.BOARD_MEMBER):
    client.force_login(UserFactory(role=role))
    return client


def test_the_list_shows_each_indicator_with_rag_in_words_and_its_latest_month(client):
    page = signed_in(client).get(f"{PAGES}").content.decode()
    assert "AS-01" in page and "86%" in page and "May 2021" in page
    assert ">Red<" in page and ">Not rated<" in page
    assert 'role="img"' in page  # the sparklines


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("rag=red", ["AS-01"], ["FD-01", "FD-02"]),
        ("rag=not_rated", ["FD-01"], ["AS-01"]),
        ("area=Front+Door", ["FD-01", "FD-02"], ["AS-01"]),
        ("trend=worsening", ["AS-01"], ["FD-02"]),
    ],
)
def test_the_list_filters(client, query, expected, absent):
    page = signed_in(client).get(f"{PAGES}?{query}").content.decode()
    for reference in expected:
        assert f">{reference}<" in page
    for reference in absent:
        assert f">{reference}<" not in page


def test_the_list_filters_by_a_plans_priority_area(client):
    area = Indicator.objects.get(reference="AS-01").priority_areas.get()  # its plan's area 1
    Indicator.objects.get(reference="FD-02").priority_areas.add(area)

    page = signed_in(client).get(f"{PAGES}?priority_area={area.pk}").content.decode()

    assert ">AS-01<" in page and ">FD-02<" in page
    assert ">FD-01<" not in page


def test_benchmarks_are_on_the_indicators_page_not_in_the_lists_table(client):
    listed = signed_in(client).get(f"{PAGES}").content.decode()
    page = client.get(f"{PAGES}AS-01/").content.decode()
    assert "88%" in page and "2020-21" in page  # AS-01's England figure
    assert "2020-21" not in listed


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("TBC", "Target to be confirmed"),
        ("to be agreed with partners", "Target to be confirmed"),
        ("N/A", "No target (N/A)"),
        ("", "No target given"),
    ],
)
def test_a_not_rated_row_says_why(client, target, why):
    indicator = Indicator.objects.create(
        reference="ZZ-1", area="Extra", title="Extra", unit="number", period_type="snapshot",
        target_as_written=target,
    )  # fmt: skip
    IndicatorValue.objects.create(indicator=indicator, month=date(2021, 4, 1), value=3)
    never = Indicator.objects.create(
        reference="ZZ-2", area="Extra", title="Never loaded", unit="number",
        period_type="snapshot", upper_target=5, polarity="higher",
    )  # fmt: skip
    in_the_plan(indicator, never)

    page = signed_in(client).get(f"{PAGES}?area=Extra").content.decode()

    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)
    (first,) = [row for row in rows if ">ZZ-1<" in row]
    (second,) = [row for row in rows if ">ZZ-2<" in row]
    assert "Not rated" in first and why in first
    assert "Not rated" in second and "No figure yet" in second


def test_the_list_queries_do_not_grow_with_the_number_of_indicators(client):
    client = signed_in(client)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(f"{PAGES}")
        return len(queries)

    client.get(f"{PAGES}")  # the first visit notes the plan in the session (plans.navigation)
    before = count()
    for n in range(10):
        indicator = Indicator.objects.create(
            reference=f"ZZ-{n}", area="Extra", title="Extra", unit="number", period_type="snapshot"
        )
        in_the_plan(indicator)
        IndicatorValue.objects.create(indicator=indicator, month=date(2021, 4, 1), value=n)
    assert count() == before


def test_an_indicator_page_has_the_chart_and_the_same_figures_in_a_table(client):
    page = signed_in(client).get(f"{PAGES}AS-01/").content.decode()
    assert '<svg class="app-chart"' in page and "Target band" in page
    assert "April 2021" in page and "90%" in page and "90 of 100" in page
    assert "87% (higher is better)" in page and "Green at 87% or more; Red under 87%." in page


def test_load_a_month_check_then_confirm(client):
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    month = small_indicators()
    month["Values"] = [month["Values"][0], ["AS-01", date(2021, 6, 30), 91, None, None, ""]]

    check = client.post(f"{PAGES}load/", {"file": SimpleUploadedFile("june.xlsx", xlsx(month))})

    page = check.content.decode()
    assert "Check your upload" in page and "1 new" in page and "June 2021" in page
    assert not IndicatorValue.objects.filter(month=date(2021, 6, 1)).exists()
    token = PendingIndicatorUpload.objects.get().token

    confirmed = client.post(f"{PAGES}load/{token}/confirm/")

    assert confirmed.status_code == 302
    assert IndicatorValue.objects.get(month=date(2021, 6, 1)).value == 91
    assert not PendingIndicatorUpload.objects.exists()


def test_only_the_uploader_can_confirm_their_upload(client):
    uploader = signed_in(client, Role.PERFORMANCE_MANAGER)
    uploader.post(
        f"{PAGES}load/",
        {"file": SimpleUploadedFile("i.xlsx", xlsx(small_indicators(**{"Values!3!2": 87})))},
    )  # noqa: E501
    token = PendingIndicatorUpload.objects.get().token
    other = UserFactory(role=Role.PERFORMANCE_MANAGER)
    uploader.force_login(other)

    assert uploader.post(f"{PAGES}load/{token}/confirm/").status_code == 404
    assert (
        IndicatorValue.objects.get(indicator__reference="AS-01", month=date(2021, 5, 1)).value == 86
    )


def test_a_bad_upload_lists_every_problem_and_loads_nothing(client):
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    bad = small_indicators(**{"Values!2!2": "lots", "Values!3!0": "NOPE"})

    page = client.post(f"{PAGES}load/", {"file": SimpleUploadedFile("b.xlsx", xlsx(bad))})

    text = page.content.decode()
    assert "2 problems found. Nothing was changed." in text
    assert "&#x27;lots&#x27; is not a number" in text and "NOPE" in text
    assert not PendingIndicatorUpload.objects.exists()


def test_the_template_for_next_month_lists_every_indicator(client):
    response = signed_in(client, Role.PERFORMANCE_MANAGER).get(f"{PAGES}template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    values = list(book["Values"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in values} == {"AS-01", "FD-01", "FD-02"}
    assert {row[1].date() for row in values} == {date(2021, 6, 1)}
    assert response["Content-Disposition"].endswith('indicators-TEST-PLAN-2021-06.xlsx"')


def test_the_list_exports_as_csv_and_xlsx_with_the_same_filters_and_numbers_as_numbers(client):
    client = signed_in(client)
    Indicator.objects.filter(reference="FD-01").update(title="=HYPERLINK(1)")

    csv = client.get(f"{PAGES}export.csv?area=Front+Door").content.decode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{PAGES}export.xlsx?rag=red").content))

    assert "AS-01" not in csv and "FD-01" in csv and "'=HYPERLINK(1)" in csv
    rows = list(workbook["Indicators"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["AS-01"]
    assert rows[0][5] == 86 and rows[0][6] == "Red"


def test_the_summary_proposes_lists_from_rating_and_trend(client):
    page = signed_in(client).get(f"{PAGES}summary/").content.decode()
    going_well = page.split("What&#x27;s going well")[1].split("Ones to watch")[0]
    do_better = page.split("What we need to do better")[1]
    # AS-01 fell from 90 to 86 against a target of 87: Red and worsening.
    assert "AS-01" in do_better and "AS-01" not in going_well
    # FD-02 is 21 against 23 (lower is better): Green.
    assert "FD-02" in going_well
    assert "Adjust the lists" not in page  # board members read it only


def test_a_performance_manager_moves_an_indicator_and_the_summary_keeps_it(client):
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    client.post(f"{PAGES}summary/", {"list-AS-01": "ones_to_watch"})

    page = client.get(f"{PAGES}summary/").content.decode()
    watch = page.split("Ones to watch (")[1].split("What we need to do better")[0]
    assert "AS-01" in watch and "moved here by the performance manager" in watch


def test_a_board_member_cannot_change_the_summary(client):
    response = signed_in(client).post(f"{PAGES}summary/", {"list-AS-01": "going_well"})
    assert response.status_code == 403


def test_confirming_after_someone_else_loaded_the_same_month_asks_for_a_new_check(client):
    manager = signed_in(client, Role.PERFORMANCE_MANAGER)
    june = small_indicators()
    june["Values"] = [june["Values"][0], ["AS-01", date(2021, 6, 30), 91, None, None, ""]]
    manager.post(f"{PAGES}load/", {"file": SimpleUploadedFile("j.xlsx", xlsx(june))})
    token = PendingIndicatorUpload.objects.get().token
    june["Values"][1][2] = 95
    load_indicator_file(
        plan=only_plan(), by=system_account(), filename="other.xlsx", content=xlsx(june)
    )  # someone else, meanwhile

    response = manager.post(f"{PAGES}load/{token}/confirm/", follow=True)

    assert "The figures changed since your check." in response.content.decode()
    assert IndicatorValue.objects.get(month=date(2021, 6, 1)).value == 95


def test_leaving_an_indicator_where_proposed_keeps_it_following_its_data(client):
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    client.post(f"{PAGES}summary/", {"list-AS-01": "do_better", "list-FD-02": "going_well"})
    assert not IndicatorSummaryChoice.objects.exists()  # both were where proposed

    client.post(f"{PAGES}summary/", {"list-AS-01": "ones_to_watch"})
    assert IndicatorSummaryChoice.objects.get().indicator.reference == "AS-01"

    client.post(f"{PAGES}summary/", {"list-AS-01": "do_better"})  # moved back
    assert not IndicatorSummaryChoice.objects.exists()


def test_the_list_reads_recent_months_yet_rates_like_the_whole_series():
    """Two years of figures, a gap, a stale indicator and months after the latest figure: the
    list's rows rate, compare and draw exactly as rows built from every month would."""
    months = [date(2019 + (m // 12), m % 12 + 1, 1) for m in range(36)]  # Jan 2019 – Dec 2021
    busy = Indicator.objects.create(
        reference="BB-1", area="Extra", title="Busy", unit="number", period_type="snapshot",
        polarity="higher", minimum=10,
    )  # fmt: skip
    for n, month in enumerate(months):
        value = None if month >= date(2021, 11, 1) or month == date(2021, 3, 1) else n
        IndicatorValue.objects.create(indicator=busy, month=month, value=value)
    stale = Indicator.objects.create(
        reference="SS-1", area="Extra", title="Stale", unit="number", period_type="snapshot",
        polarity="higher", minimum=10,
    )  # fmt: skip
    for n, month in enumerate(months[:7]):  # its last figure: July 2019
        IndicatorValue.objects.create(indicator=stale, month=month, value=20 - n)

    rows = {row.indicator.reference: row for row in indicator_rows()}

    for indicator in (busy, stale):
        whole = IndicatorRow(indicator, list(indicator.values.order_by("month")))
        row = rows[indicator.reference]
        assert (row.latest.month, row.latest.value) == (whole.latest.month, whole.latest.value)
        assert (row.rag, row.change, row.trend) == (whole.rag, whole.change, whole.trend)
        assert row.last_twelve() == whole.last_twelve()
    assert rows["BB-1"].latest.month == date(2021, 10, 1)
    assert rows["SS-1"].latest.month == date(2019, 7, 1) and rows["SS-1"].trend == "worsening"


def test_the_list_pages_fifty_at_a_time_and_counts_them_all(client):
    for n in range(60):
        indicator = Indicator.objects.create(
            reference=f"ZZ-{n:02}", area="Extra", title="Extra", unit="number",
            period_type="snapshot",
        )  # fmt: skip
        in_the_plan(indicator)
        IndicatorValue.objects.create(indicator=indicator, month=date(2021, 4, 1), value=n)
    client = signed_in(client)
    total = Indicator.objects.count()

    first = client.get(f"{PAGES}?area=").content.decode()
    last = client.get(f"{PAGES}?area=&page=2").content.decode()

    assert f"{total} indicators: showing 1 to 50" in first
    assert f"{total} indicators: showing 51 to {total}" in last
    assert 'rel="next"' in first and "page=2" in first and "area=" in first
    assert 'rel="prev"' in last
    shown = {n for n in range(60) if f">ZZ-{n:02}<" in first + last}
    assert shown == set(range(60))
    # The downloads carry the filters, not the page.
    export = reverse("indicators:export", args=["TEST-PLAN", "csv"])
    assert f'href="{export}?area="' in last
