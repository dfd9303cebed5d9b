"""A figure restated after a board saw it: every version is on the indicator's page with who and
when, the report and the pack footnote the change since the previous papers, and a report as
at an earlier date still shows the figure as it stood then."""

import io
import re
from datetime import date

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from indicators.importers import INDICATOR_SHEETS, load_indicator_file, only_plan
from indicators.models import PendingIndicatorUpload
from plans.roles import Role
from tests.factories import UserFactory
from tests.papers import fetch_paper
from tests.pdf_text import pdf_text
from tests.plan_files import xlsx
from tests.report_world import TODAY, at, make_plan_world

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 1)


def figures(september: str) -> bytes:
    """Children in care (lower is better, target 1,800), September's figure as typed."""
    sheets = {name: [columns] for name, columns in INDICATOR_SHEETS.items()}
    sheets["Indicators"].append([
        "CIC-01", "Children in care", "Children in care", "Number", "Snapshot",
        "Lower is better", None, 1800, None, "", "1,800", "1",
    ])  # fmt: skip
    sheets["Values"].append(["CIC-01", "Aug-26", "1,850", None, None, ""])
    sheets["Values"].append(["CIC-01", "Sep-26", september, None, None, ""])
    return xlsx(sheets)


@pytest.fixture
def restated(client, tmp_path):
    """Loaded by Pat before the October board; restated by Sam on the web in November, and by
    Kim from the command line a week later."""
    plan, _, _, meeting = make_plan_world()
    pat = UserFactory(role=Role.PERFORMANCE_MANAGER, first_name="Pat", last_name="First")
    sam = UserFactory(role=Role.PERFORMANCE_MANAGER, first_name="Sam", last_name="Second")
    kim = UserFactory(role=Role.PERFORMANCE_MANAGER, first_name="Kim", last_name="Third")
    with time_machine.travel(at(date(2026, 10, 2)), tick=False):
        load_indicator_file(
            plan=only_plan(), by=pat, filename="sept.xlsx", content=figures("1,897")
        )
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        client.force_login(sam)
        upload = {"file": SimpleUploadedFile("restated.xlsx", figures("1,828"))}
        client.post("/plans/ip/indicators/load/", upload)
        token = PendingIndicatorUpload.objects.get().token
        client.post(f"/plans/ip/indicators/load/{token}/confirm/")
    (tmp_path / "again.xlsx").write_bytes(figures("1\u00a0830"))
    with time_machine.travel(at(date(2026, 11, 9)), tick=False):
        call_command(
            "import_indicators", str(tmp_path / "again.xlsx"), "--user", kim.username,
            stdout=io.StringIO(),
        )  # fmt: skip
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))
    return plan, meeting


def test_the_indicator_page_shows_every_version_with_who_and_when(client, restated):
    with time_machine.travel(at(TODAY), tick=False):
        page = client.get("/plans/ip/indicators/CIC-01/").content.decode()

    assert "Restated</strong>" in page
    assert (
        "First reported as 1,897 on 2 Oct 2026 by Pat First; restated as 1,828 on 2 Nov 2026 "
        "by Sam Second; restated as 1,830 on 9 Nov 2026 by Kim Third." in page
    )
    # August, never restated:
    assert re.search(r'data-label="Reported">\s*2 Oct 2026 by Pat First\.\s*</td>', page)
    assert "September 2026: 1830 (restated)" in page  # the chart's hollow point says so
    assert "Hollow points are figures restated since first reported." in page


def test_the_report_footnotes_a_figure_restated_since_the_previous_papers(
    client, restated, celery_eager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan, meeting = restated
    with time_machine.travel(at(TODAY), tick=False):
        page = client.get(f"/plans/{plan.reference}/report/?meeting={meeting.pk}")
        pdf = fetch_paper(client, f"/plans/{plan.reference}/report.pdf", {"meeting": meeting.pk})
        pack = client.get(f"/plans/{plan.reference}/board-pack.xlsx?meeting={meeting.pk}").content

    text = page.content.decode()
    assert "Figures revised since the 15 October 2026 papers (1)" in text
    assert "Children in care, September 2026: revised from 1,897 to 1,830" in text
    assert "revised from 1,897 to 1,830" in " ".join(pdf_text(pdf.content).split())
    sheet = openpyxl.load_workbook(io.BytesIO(pack))["Revised figures"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Reference", "Indicator", "Month", "In the 15/10/2026 papers", "Now"]
    assert rows[1][:2] == ["CIC-01", "Children in care"] and rows[1][3:] == [1897, 1830]


def test_a_report_as_at_a_date_before_the_restatement_shows_the_figure_as_it_stood(
    client, restated
):
    plan, _ = restated
    with time_machine.travel(at(TODAY), tick=False):
        then = client.get(f"/plans/{plan.reference}/report/?meeting=&as_at=20/10/2026")

    text = then.content.decode()
    assert "1,897 in September 2026" in text and "1,830" not in text
    assert "revised from" not in text
