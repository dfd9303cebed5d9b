"""The council's own Word template: the papers are written into it, its letterhead, page and
styles kept and its text left out; a file Word cannot open is refused with what to do."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Emu, RGBColor

from boards.models import WordTemplate
from boards.pack import board_pack
from boards.report import build_exception_report
from boards.word import ITEM_WIDTHS, pack_docx
from plans.roles import Role
from tests.boards.integration.test_report_pdf import world  # noqa: F401 (the fixture)
from tests.factories import UserFactory
from tests.report_world import TODAY

pytestmark = pytest.mark.django_db

LETTERHEAD = "Anytown Borough Council, Children's Services"
HOUSE_RED = RGBColor(0x8B, 0x00, 0x00)


def council_template(*, without: tuple[str, ...] = ()) -> bytes:
    """A portrait A4 template as a council's would be: a letterhead in the header, its own
    Heading 1 colour, sample text to be left out, and perhaps without some styles."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = LETTERHEAD
    document.styles["Heading 1"].font.color.rgb = HOUSE_RED
    document.add_paragraph("Sample text from the council's template.")
    for name in without:
        element = document.styles[name].element
        element.getparent().remove(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, content: bytes, name="council.docx", status=302):
    response = client.post("/papers/word-template/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == status, response.content.decode()[:2000]
    return response


@pytest.fixture
def manager(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(UserFactory(role=Role.PERFORMANCE_MANAGER))
    return client


def the_pack(world):  # noqa: F811
    plan, _, _, meeting = world
    report = build_exception_report(plan, as_at=TODAY, meeting=meeting)
    return docx.Document(io.BytesIO(pack_docx(board_pack(report))))


def test_the_pack_is_written_into_the_councils_template(manager, world):  # noqa: F811
    upload(manager, council_template())

    document = the_pack(world)

    section = document.sections[0]
    assert section.header.paragraphs[0].text == LETTERHEAD
    assert section.orientation == WD_ORIENT.PORTRAIT  # the council's page, kept
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Sample text" not in text and "What changed since the last board" in text
    assert document.styles["Heading 1"].font.color.rgb == HOUSE_RED
    # The tables are scaled from the landscape layout to the portrait page's text width.
    width = Emu(section.page_width - section.left_margin - section.right_margin).cm
    items = next(t for t in document.tables if t.rows[0].cells[1].text == "Item")
    cells = [cell.width.cm for cell in items.rows[-1].cells]
    assert sum(cells) == pytest.approx(width, abs=0.05)
    assert cells[1] / cells[0] == pytest.approx(ITEM_WIDTHS[1] / ITEM_WIDTHS[0], rel=0.01)
    assert document.core_properties.title.startswith("Board pack")


def test_styles_a_template_lacks_are_added(manager, world):  # noqa: F811
    upload(manager, council_template(without=("Table Grid", "List Bullet", "Heading 3")))

    document = the_pack(world)

    names = {style.name for style in document.styles}
    assert {"Table Grid", "List Bullet", "Heading 3"} <= names
    assert document.tables[0].style.name == "Table Grid"


def test_a_file_word_cannot_open_is_refused_with_what_to_do(manager):
    response = upload(manager, b"not a Word file", name="letterhead.dotx", status=400)

    page = response.content.decode()
    assert "could not be opened as a Word document" in page
    assert "Save As, Word Document (.docx)" in page
    assert not WordTemplate.objects.exists()


def test_the_plain_layout_again_keeps_the_template_uploaded(manager, world):  # noqa: F811
    upload(manager, council_template())
    manager.post("/papers/word-template/", {"use": "plain"})

    document = the_pack(world)

    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[0].header.paragraphs[0].text == ""
    assert WordTemplate.objects.count() == 1 and not WordTemplate.objects.filter(in_use=True)
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert lang.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "en-GB"


def test_only_performance_managers_choose_it(client):
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))
    assert client.get("/papers/word-template/").status_code == 403
    assert client.post("/papers/word-template/", {"use": "plain"}).status_code == 403
