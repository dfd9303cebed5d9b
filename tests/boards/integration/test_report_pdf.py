"""The printed report and board pack, read back as text; and the PDF renderer fetches nothing."""

import http.server
import re
import threading
from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command

from boards.pack import exception_report_html
from boards.report import build_exception_report
from indicators.models import Indicator, IndicatorUnit, IndicatorValue, PeriodType
from plans.documents import pdf_from_html
from plans.pdf import STATIC_BASE, StaticFilesOnly
from plans.rag import Direction
from tests.papers import fetch_paper
from tests.pdf_text import pdf_info, pdf_text
from tests.report_world import TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan, objective, head, meeting = make_plan_world()
    overdue = new_action(objective, "1.1.1", due_date=date(2026, 11, 1))
    at_risk = new_action(objective, "1.1.2", due_date=date(2027, 1, 31))
    update(overdue, head, at(date(2026, 10, 20)), commentary="Waiting for the new system.")
    update(at_risk, head, at(date(2026, 11, 2)), "at_risk", "Two vacancies in the team.")
    with time_machine.travel(at(date(2026, 11, 9)), tick=False):
        indicator = Indicator.objects.create(
            reference="CP-1", area="Child protection", title="Plans reviewed in time",
            unit=IndicatorUnit.PERCENTAGE, period_type=PeriodType.SNAPSHOT,
            polarity=Direction.HIGHER_IS_BETTER, minimum=60, upper_target=80,
            target_as_written="80%",
        )  # fmt: skip
        indicator.plans.add(plan)
        for month, value in ((9, 82), (10, 55.5)):
            IndicatorValue.objects.create(
                indicator=indicator, month=date(2026, month, 1), value=value
            )
    with time_machine.travel(at(TODAY, 12), tick=True):
        yield plan, objective, head, meeting


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_exception_report_pdf_reads_well_as_text(client, world):
    plan, _, _, meeting = world
    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    content = pdf_from_html(exception_report_html(report, report.items))

    text = words(pdf_text(content))
    info = pdf_info(content)
    assert info["Tagged"] == "yes"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    pages = int(info["Pages"])
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert text.count("As at 22 November 2026") >= pages  # the running header on every page
    # pdftotext may read the running header into the middle of a line at the top of a page.
    text = words(text.replace("As at 22 November 2026", " ").replace(plan.title, " "))
    assert "For the Improvement Board on Tuesday 15 December 2026." in text
    # Each item: its rating, why, its post, its dates, its rating in earlier papers, commentary.
    assert (
        "Red Action 1.1.1 Rest oil someone notice. Overdue: due 1 November 2026; its owner "
        "reports on track HoS Early Help (Erin Help) · due 1 Nov 2026 · earlier boards: 15 Oct "
        "Not rated (worsened)"  # then: no update yet
    ).replace("Rest oil someone notice.", report.items[1].title) in text
    assert (
        "Amber: at risk HoS Early Help (Erin Help) · due 31 Jan 2027 · earlier boards: 15 Oct "
        "Not rated (worsened) “Two vacancies in the team.” (2 Nov 2026)"
    ) in text
    assert "Red Indicator CP-1 Plans reviewed in time" in text
    assert "Red: 55.5% in October 2026 (target 80%, higher is better)" in text
    # CP-1 came into the tracker on 9 November, after the 15 October board's papers.
    fell = (
        "Fell from Green (82%) to Red since September 2026 earlier boards: 15 Oct not in the plan "
        "then"
    )
    assert fell in text
    # The contents, with page numbers; Red first, then Amber, then the actions to chase.
    assert "For discussion: Red and overdue (3), page 1 Amber (1), page 2" in text
    assert (
        text.index("Red Action 1.1.1")
        < text.index("Red Indicator CP-1")
        < text.index("Amber Action 1.1.2")
    )


def test_the_board_pack_pdf_has_its_parts_in_order(client, world, celery_eager):
    client.force_login(world[2])

    response = fetch_paper(client, f"/plans/ip/board-pack.pdf?meeting={world[3].pk}")

    text = words(pdf_text(response.content))
    parts = [
        "Board pack", "Improvement Board, Tuesday 15 December 2026", "Contents",
        "1. RAG overview by priority area", "2. Exception report", "3. Indicators",
        "4. What's going well, ones to watch, what we need to do better",
    ]  # fmt: skip
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions)
    assert "CP-1 Plans reviewed in time 55.5% Red Worsening" in text
    assert "What we need to do better (1)" in text
    assert pdf_info(response.content)["Tagged"] == "yes"


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def probe():
    """A web server on loopback that records any request made to it."""
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_commentary_with_links_prints_as_text_and_makes_no_request(world, probe):
    plan, objective, head, meeting = world
    hostile = (
        f'<img src="{probe}/img.png"> <link rel="stylesheet" href="{probe}/style.css"> '
        '<iframe src="file:///etc/passwd"></iframe> <img src="file:///etc/hostname">'
    )
    action = new_action(objective, "1.1.3", due_date=date(2027, 1, 31))
    update(action, head, at(date(2026, 11, 20)), "off_track", hostile)
    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    text = words(pdf_text(pdf_from_html(exception_report_html(report, report.items))))

    assert f'<img src="{probe}/img.png">' in text
    # (pdftotext may break the line inside the address: compare without spaces)
    assert '<iframesrc="file:///etc/passwd"></iframe>' in text.replace(" ", "")
    assert _Recorder.requests == []


def test_the_renderer_itself_refuses_addresses_outside_the_static_files(probe):
    """Even markup that reached the renderer unescaped could not fetch anything."""
    html = (
        f'<html lang="en-GB"><head><title>Probe</title>'
        f'<link rel="stylesheet" href="{probe}/style.css"></head>'
        f'<body><p>Probe</p><img src="{probe}/img.png" alt="x">'
        '<img src="file:///etc/hostname" alt="y"></body></html>'
    )

    text = pdf_text(pdf_from_html(html))

    assert "Probe" in text
    assert _Recorder.requests == []


def test_changed_html_makes_a_new_pdf():
    html = '<html lang="en-GB"><title>Pack</title><body><p>First draft</p></body></html>'

    first = pdf_from_html(html)
    changed = pdf_from_html(html.replace("First", "Second"))

    assert "First draft" in pdf_text(first)
    assert "Second draft" in pdf_text(changed) and "First" not in pdf_text(changed)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/static/dist/app.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        STATIC_BASE + "../settings.py",
        STATIC_BASE + "no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_an_existing_static_file(url):
    with pytest.raises(ValueError, match="PDF may only use|No such static file"):
        StaticFilesOnly().fetch(url)


def test_the_fetcher_serves_the_apps_own_static_files():
    response = StaticFilesOnly().fetch(STATIC_BASE + "src/app.scss")

    assert b"app-rag" in response.read()


def test_the_board_pack_command_writes_the_same_files_for_scripts(world, tmp_path):
    _, _, _, meeting = world

    call_command("board_pack", "--meeting", str(meeting.pk), "--out", str(tmp_path / "p.pdf"))
    call_command(
        "board_pack", "--as-at", "2026-10-25", "--format", "csv", "--out", str(tmp_path / "p.csv")
    )
    call_command("board_pack", "--meeting", str(meeting.pk), "--format", "xlsx",
                 "--out", str(tmp_path / "p.xlsx"))  # fmt: skip

    text = words(pdf_text((tmp_path / "p.pdf").read_bytes()))
    assert "Board pack" in text and "As at 22 November 2026" in text
    assert "Red Action 1.1.1" in text and "15 Oct Not rated (worsened)" in text
    lines = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()
    # On 25 October only 1.1.2 was an exception (no update since 15 October; 1.1.1 had one).
    assert [line.split(",")[3] for line in lines] == ["Reference", "1.1.2"]
    assert (tmp_path / "p.xlsx").read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="No meeting has id 999"):
        call_command("board_pack", "--meeting", "999", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="in the future"):
        call_command("board_pack", "--as-at", "2026-12-01", "--out", str(tmp_path / "x.pdf"))
