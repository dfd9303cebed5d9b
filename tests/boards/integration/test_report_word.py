"""The exception report and board pack as Word documents, opened with python-docx: Word's own
heading styles in the report's order, tables whose header row repeats and whose rows never
split, RAG written as words (shaded too), the title and language set."""

import io
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from docx.oxml.ns import qn

from boards.pack import board_pack
from boards.report import build_exception_report
from boards.word import ITEM_WIDTHS, pack_docx, report_docx
from plans.roles import Role
from tests.boards.integration.test_report_pdf import world  # noqa: F401 (the fixture)
from tests.factories import UserFactory
from tests.papers import fetch_paper
from tests.pdf_text import pdf_text, word_to_pdf
from tests.report_world import TODAY

pytestmark = pytest.mark.django_db


def opened(content: bytes):
    return docx.Document(io.BytesIO(content))


def headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]


def cell_texts(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def test_the_exception_report_opens_with_its_headings_tables_and_ratings(world):  # noqa: F811
    plan, _, _, meeting = world
    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    document = opened(report_docx(report, report.items))

    assert document.core_properties.title == (
        f"Exception report, {plan.title}, as at 22 November 2026"
    )
    assert document.core_properties.language == "en-GB"
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert lang.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    found = headings(document)
    assert found[0] == ("Title", "Exception report")
    levels = [name for name, _ in found[1:]]
    assert set(levels) <= {"Heading 1", "Heading 2"} and "Heading 2" in levels
    texts = [text for _, text in found]
    discuss = next(t for t in texts if t.startswith("For discussion: Red and overdue"))
    amber = next(t for t in texts if t.startswith("Amber ("))
    assert texts.index(discuss) < texts.index(amber)  # the report's reading order

    rows = cell_texts(document)
    overdue = next(row for row in rows if row[0] == "1.1.1")
    assert overdue[2] == "Red" and overdue[3].startswith("Overdue: due 1 November 2026")
    assert "Waiting for the new system. (20/10/2026)" in overdue[4]
    items = next(t for t in document.tables if t.rows[0].cells[1].text == "Item")
    assert [round(cell.width.cm, 1) for cell in items.rows[-1].cells] == ITEM_WIDTHS
    at_risk = next(row for row in rows if row[0] == "1.1.2")
    assert at_risk[2] == "Amber" and "Two vacancies in the team." in at_risk[4]
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None  # repeated on every page
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # never split
    shaded = [
        cell for table in document.tables for row in table.rows for cell in row.cells
        if cell._tc.tcPr is not None and cell._tc.tcPr.find(qn("w:shd")) is not None
    ]  # fmt: skip
    assert shaded and {cell.text for cell in shaded} <= {"Red", "Amber", "Green", "Complete"}


def test_the_board_pack_has_its_parts_in_order_and_a_table_of_contents(world, tmp_path):  # noqa: F811
    plan, _, _, meeting = world
    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    document = opened(pack_docx(board_pack(report)))

    parts = [text for name, text in headings(document) if name == "Heading 1"]
    assert parts == [
        "What changed since the last board",
        "1. RAG overview by priority area", "2. Exception report", "3. Indicators",
        "4. What's going well, ones to watch, what we need to do better",
        "5. Recommendations still open",
    ]  # fmt: skip
    # Every table's columns are sized by what they hold, rather than equal, within the landscape
    # page (26 cm inside its margins).
    for table in document.tables:
        widths = [cell.width.cm for cell in table.rows[-1].cells]
        assert sum(widths) < 26.05 and len(set(widths)) > 1, table.rows[0].cells[0].text
    fields = document.element.body.iter(qn("w:instrText"))
    assert any(field.text.startswith("TOC ") for field in fields)
    (indicators,) = [t for t in document.tables if t.rows[0].cells[1].text == "Indicator"]
    (row,) = [[c.text for c in row.cells] for row in indicators.rows if row.cells[0].text == "CP-1"]
    assert row[2:4] == ["55.5%", "Red"]

    out = tmp_path / "pack.docx"
    call_command("board_pack", meeting=meeting.pk, format="docx", out=out, stdout=io.StringIO())
    assert [text for name, text in headings(opened(Path(out).read_bytes()))
            if name == "Heading 1"] == parts  # fmt: skip


def test_the_report_page_offers_both_as_word(client, world, celery_eager):  # noqa: F811
    plan, _, _, meeting = world
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))
    page = client.get(f"/plans/{plan.reference}/report/?meeting={meeting.pk}").content.decode()
    assert "Word (DOCX)" in page
    for kind in ("report", "board-pack"):
        response = fetch_paper(client, f"/plans/{plan.reference}/{kind}.docx?meeting={meeting.pk}")
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert opened(response.content).paragraphs


def test_another_word_processor_opens_the_pack_and_reads_it_in_order(world):  # noqa: F811
    plan, _, _, meeting = world
    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)

    text = " ".join(pdf_text(word_to_pdf(pack_docx(board_pack(report)))).split())

    parts = [
        "1. RAG overview by priority area", "2. Exception report", "3. Indicators",
        "5. Recommendations still open",
    ]  # fmt: skip
    positions = [text.rindex(part) for part in parts]  # after the contents, the parts
    assert positions == sorted(positions)
    assert "Waiting for the new system." in text and "Plans reviewed in time" in text
