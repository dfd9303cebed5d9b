"""The chair's report page, its spreadsheets, meetings, publishing and judged risk ratings."""

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.models import AreaAssessment, PackKind, PublishedPack
from boards.pack import COLUMNS
from indicators.models import Indicator, IndicatorUnit, IndicatorValue, PeriodType
from plans.documents import sha256_hex
from plans.models import BoardMeeting, RecordIsFinal
from plans.rag import Direction
from plans.roles import Role
from tests.dates import day_month_year
from tests.factories import PriorityAreaFactory, UserFactory
from tests.papers import build_page, fetch_paper, start_paper
from tests.pdf_text import pdf_text
from tests.report_world import TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    """The report world, with red, amber and overdue actions, as the chair sees it today."""
    settings.MEDIA_ROOT = tmp_path
    plan, objective, head, meeting = make_plan_world()
    overdue = new_action(objective, "1.1.1", due_date=date(2026, 11, 1))
    at_risk = new_action(objective, "1.1.2", due_date=date(2027, 1, 31))
    injected = new_action(objective, "1.1.3", due_date=date(2027, 2, 28))
    update(overdue, head, at(date(2026, 10, 20)), commentary="Waiting for the new system.")
    update(at_risk, head, at(date(2026, 11, 2)), "at_risk", "Two vacancies in the team.")
    update(injected, head, at(date(2026, 11, 3)), "off_track", '=HYPERLINK("http://x","y")')
    with time_machine.travel(at(date(2026, 11, 9)), tick=False):
        indicator = Indicator.objects.create(
            reference="CP-1", area="Child protection", title="Plans reviewed in time",
            unit=IndicatorUnit.PERCENTAGE, period_type=PeriodType.SNAPSHOT,
            polarity=Direction.HIGHER_IS_BETTER, minimum=60, upper_target=80,
        )  # fmt: skip
        indicator.plans.add(plan)
        IndicatorValue.objects.create(indicator=indicator, month=date(2026, 10, 1), value=55.5)
    with time_machine.travel(at(TODAY, 12), tick=True):
        yield {
            "plan": plan, "meeting": meeting, "head": head,
            "chair": UserFactory(role=Role.BOARD_MEMBER),
            "manager": UserFactory(role=Role.PERFORMANCE_MANAGER),
        }  # fmt: skip


def test_the_chair_sees_the_next_meetings_exceptions_as_at_today(client, world):
    client.force_login(world["chair"])

    response = client.get("/plans/ip/report/")

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["report"].meeting == world["meeting"]
    assert "As at 22 November 2026" in page
    assert "Overdue: due 1 November 2026; its owner reports on track" in page
    assert "Two vacancies in the team." in page
    assert "Red: 55.5% in October 2026 (target 80%, higher is better)" in page
    references = [item.reference for item in response.context["items"]]
    assert references == ["1.1", "1.1.1", "1.1.2", "1.1.3", "CP-1"]


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def page_of(response) -> str:
    return response.content.decode().replace("\n", " ")


def test_each_row_shows_its_ratings_at_earlier_boards_and_an_update_shows_at_once(client, world):
    client.force_login(world["chair"])
    first = client.get("/plans/ip/report/")
    again = client.get("/plans/ip/report/")
    assert len(first.context["items"]) == 5
    assert without_csrf_token(again) == without_csrf_token(first)
    # Each row says, in words, how the previous meeting's papers rated it.
    items = first.context["items"]
    assert {item.get_change_display() for item in items} - {"No earlier report"}
    rows = re.findall(r'<li class="app-exception">(.*?)</li>', page_of(first))
    objectives = re.search(r"Objectives rated from their parts: (.*?)</p>", page_of(first))[1]
    for item in items:
        then = item.board_history[-1][1]
        earlier = (
            f"{item.board_history[-1][0]:%-d %b} {then.label if then else 'not in the plan then'}"
        )
        if item.kind == "objective":
            assert f"Objective {item.reference}</a> {item.rag.label}" in objectives
            continue
        (row,) = [row for row in rows if f" {item.reference}</a>" in row]
        assert f"earlier boards: {earlier}" in row
        if item.change in ("worsened", "improved"):
            assert f"({item.get_change_display().lower()})" in row

    at_risk = next(i for i in first.context["items"] if i.reference == "1.1.2").source
    update(at_risk, world["head"], at(TODAY, 11), "at_risk", "Agency staff start Monday.")
    after = client.get("/plans/ip/report/")
    page = after.content.decode()
    assert "Agency staff start Monday." in page and "Two vacancies in the team." not in page
    assert page.count('<li class="app-exception">') == first.content.decode().count(
        '<li class="app-exception">'
    )


def test_filters_and_sorting_narrow_and_order_the_items(client, world):
    client.force_login(world["chair"])
    meeting = world["meeting"].pk

    red = client.get(f"/plans/ip/report/?meeting={meeting}&rag=red&kind=action")
    by_due = client.get(f"/plans/ip/report/?meeting={meeting}&kind=action&sort=due")
    by_post = client.get(f"/plans/ip/report/?meeting={meeting}&post=HoS+Early+Help&rag=amber")

    assert [i.reference for i in red.context["items"]] == ["1.1.1", "1.1.3"]
    assert "2 exceptions match these choices, of 5" in red.content.decode()
    assert [i.reference for i in by_due.context["items"]] == ["1.1.1", "1.1.2", "1.1.3"]
    assert [i.reference for i in by_post.context["items"]] == ["1.1.2"]


@pytest.mark.parametrize(
    ("as_at", "message"),
    [
        ("31/13/2026", "Enter the date as day/month/year, for example 31/10/2026."),
        ("23/11/2026", "The date is in the future. Choose today or an earlier date."),
    ],
)
def test_a_bad_as_at_date_says_what_to_do_and_downloads_go_back_to_it(
    client, world, as_at, message
):
    client.force_login(world["chair"])

    response = client.get("/plans/ip/report/", {"as_at": as_at})
    download = client.get("/plans/ip/report.pdf", {"as_at": as_at})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert download.status_code == 302 and download["Location"].startswith("/plans/ip/report/?")


def test_a_past_as_at_date_shows_the_report_as_it_stood(client, world):
    client.force_login(world["chair"])

    response = client.get("/plans/ip/report/", {"meeting": "", "as_at": "25/10/2026"})

    assert response.status_code == 200
    assert response.context["report"].meeting is None
    # On 25 October the at-risk and off-track updates had not been made, nor the figure loaded.
    assert [i.reference for i in response.context["items"]] == ["1.1.2", "1.1.3"]
    assert "As at 25 October 2026" in response.content.decode()


def test_the_csv_has_a_row_per_item_with_the_pages_columns_and_no_formulas(client, world):
    client.force_login(world["chair"])

    response = client.get("/plans/ip/report.csv")

    assert response["Content-Disposition"] == (
        'attachment; filename="ip-exception-report-2026-11-22.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    reference = COLUMNS.index("Reference")
    by_reference = {row[reference]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {"1.1", "1.1.1", "1.1.2", "1.1.3", "CP-1"}
    overdue = by_reference["1.1.1"]
    assert (overdue["RAG"], overdue["Due date"], overdue["Post holders"]) == (
        "Red", "01/11/2026", "Erin Help",
    )  # fmt: skip
    assert by_reference["1.1.3"]["Latest commentary"] == '\'=HYPERLINK("http://x","y")'
    # In the report's reading order, each row with its part: Red first, then Amber.
    assert [row[0] for row in rows[1:]] == ["For discussion: Red and overdue"] * 4 + ["Amber"]


def test_the_xlsx_reads_back_with_text_as_text_and_dates_and_numbers_as_such(client, world):
    client.force_login(world["chair"])

    report = openpyxl.load_workbook(io.BytesIO(client.get("/plans/ip/report.xlsx").content))
    pack = openpyxl.load_workbook(io.BytesIO(client.get("/plans/ip/board-pack.xlsx").content))

    for book in (report, pack):
        for sheet in book.worksheets:
            assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    rows = list(report["Exceptions"].iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    by_reference = {row[COLUMNS.index("Reference")]: row for row in rows[1:]}
    commentary, due = COLUMNS.index("Latest commentary"), COLUMNS.index("Due date")
    assert by_reference["1.1.3"][commentary] == '=HYPERLINK("http://x","y")'  # shown, never run
    assert by_reference["1.1.1"][due].date() == date(2026, 11, 1)  # a date cell, not text
    indicators = list(pack["Indicators"].iter_rows(values_only=True))
    reference, title, month, value, rating = indicators[1][:5]
    assert (reference, title, month.date(), value, rating) == (
        "CP-1", "Plans reviewed in time", date(2026, 10, 1), 55.5, "Red",
    )  # fmt: skip
    overview = list(pack["RAG overview"].iter_rows(values_only=True))
    assert overview[1] == ("1. Assessment", "Red", "Not recorded", 1, 1, 4)
    assert list(pack["Decisions asked"].iter_rows(values_only=True))[0][0] == "Decision needed"


def test_a_performance_manager_records_a_meeting_and_bad_dates_are_explained(client, world):
    client.force_login(world["manager"])

    later = client.post("/plans/ip/meetings/new/", {
        "committee": "Scrutiny Panel", **day_month_year("date", "20/01/2027"),
        **day_month_year("papers_due", "21/01/2027"),
    })  # fmt: skip
    clash = client.post("/plans/ip/meetings/new/", {
        "committee": "Improvement Board", **day_month_year("date", "15/12/2026"),
        **day_month_year("papers_due", "01/12/2026"),
    })  # fmt: skip
    good = client.post("/plans/ip/meetings/new/", {
        "committee": "Scrutiny Panel", **day_month_year("date", "20/01/2027"),
        **day_month_year("papers_due", "06/01/2027"),
    })  # fmt: skip

    assert later.status_code == 400
    assert "Papers must be due on or before the meeting date." in later.content.decode()
    assert "The Improvement Board already meets on that day." in clash.content.decode()
    meeting = BoardMeeting.objects.get(committee="Scrutiny Panel")
    assert good["Location"] == meeting.get_absolute_url()
    assert meeting.history.get().history_user == world["manager"]


def publish(client, meeting, kind):
    """Press a publish button; the build's page, once the worker (eager here) has run."""
    url = f"/plans/ip/meetings/{meeting.pk}/publish/"
    return build_page(client, start_paper(client, url, {"kind": kind}, post=True))


def test_publishing_keeps_the_pdf_with_its_hash_and_the_meeting_lists_it(
    client, world, celery_eager
):
    client.force_login(world["manager"])
    meeting = world["meeting"]

    publish(client, meeting, PackKind.EXCEPTION_REPORT)
    done = publish(client, meeting, PackKind.EXCEPTION_REPORT).content.decode()

    first, second = PublishedPack.objects.order_by("pk")
    content = first.file.open("rb").read()
    assert content.startswith(b"%PDF") and first.sha256 == sha256_hex(content)
    assert (first.as_at, first.size, first.published_by) == (TODAY, len(content), world["manager"])
    assert second.pk != first.pk  # publishing again adds, never replaces
    assert "The exception report is published for the" in done
    assert f"/published/{second.pk}.pdf" in done
    client.force_login(world["chair"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert first.sha256 in page and second.sha256 in page
    downloaded = client.get(f"/published/{first.pk}.pdf").content
    assert downloaded == content
    first.file.save("other.pdf", ContentFile(b"x"), save=False)
    with pytest.raises(RecordIsFinal):
        first.save()


def test_the_area_lead_records_a_judged_risk_rating_shown_in_the_report(client, world):
    area = world["plan"].priority_areas.get()
    area.lead = world["head"].posts.get()
    area.save()
    client.force_login(world["head"])
    url = f"/plans/ip/meetings/{world['meeting'].pk}/areas/1/assessment/"

    missing = client.post(url, {"risk_rating": "amber"})
    saved = client.post(url, {
        "risk_rating": "amber", "analysis": "Recruitment is the main risk.",
        "next_steps": "Agency cover from January.",
    })  # fmt: skip

    assert "Give your analysis of where the area stands." in missing.content.decode()
    assert saved.status_code == 302
    assessment = AreaAssessment.objects.get()
    assert (assessment.recorded_by, assessment.get_risk_rating_display()) == (
        world["head"], "Amber – medium risk",
    )  # fmt: skip
    page = client.get("/plans/ip/report/").content.decode()
    assert "Amber – medium risk" in page and "Recruitment is the main risk." in page


def test_a_published_pack_cannot_be_changed_in_bulk_or_served_once_tampered(
    client, world, celery_eager
):
    client.force_login(world["manager"])
    publish(client, world["meeting"], PackKind.BOARD_PACK)
    pack = PublishedPack.objects.get()

    with pytest.raises(RecordIsFinal):
        PublishedPack.objects.update(sha256="0" * 64)
    with pytest.raises(RecordIsFinal):
        PublishedPack.objects.all().delete()
    with open(pack.file.path, "ab") as stored:
        stored.write(b"tampered")
    response = client.get(f"/published/{pack.pk}.pdf")

    assert response.status_code == 409
    assert "no longer matches the fingerprint" in response.content.decode()


def test_the_meeting_page_takes_the_same_queries_for_few_or_many_areas(client, world):
    client.force_login(world["head"])
    url = world["meeting"].get_absolute_url()
    post = world["head"].posts.get()
    world["plan"].priority_areas.update(lead=post)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    queries()  # the first visit notes the plan in the session (plans.navigation)
    few = queries()
    for number in range(2, 12):
        PriorityAreaFactory(plan=world["plan"], reference=str(number), lead=post)

    assert queries() == few


def test_a_filtered_pdf_counts_only_what_it_shows(client, world, celery_eager):
    client.force_login(world["chair"])

    response = fetch_paper(client, "/plans/ip/report.pdf", {"kind": "indicator"})

    text = " ".join(pdf_text(response.content).split())
    assert "Exceptions shown (filtered) 1: 1 new since" in text
    assert "No longer exceptions" not in text
