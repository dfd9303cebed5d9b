"""The exception report and the board pack as Word documents (.docx), for committee services to
put into the council's template and publish.

Built from the same report and pack as the PDF, in the same reading order. Headings use Word's
own Heading styles (so the navigation pane and a table of contents work); every table repeats its
header row on each page and never breaks a row across pages; a RAG rating is a word, its cell
shaded only to reinforce it; the document's title and language are set."""

import io
from copy import deepcopy
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from boards.charts import travel_png
from boards.models import WordTemplate
from boards.pack import BoardPack, decisions_grid, revisions_grid
from boards.papers import TALLIED
from boards.reading import Part, reading_order
from boards.report import ExceptionReport
from boards.travel import ChangesSinceLastBoard, Travel
from indicators.selectors import TRENDS
from plans.rag import Rag
from recommendations.monitoring import MONITORING_COLUMNS, monitoring_row

LANGUAGE = "en-GB"
# Light fills, as the pages' RAG tags: the word is always there, the colour only reinforces it.
RAG_FILL = {
    Rag.RED: "F6D7D2", Rag.AMBER: "FCE3CC", Rag.GREEN: "CCE2D8",
    Rag.COMPLETE: "D2E2F1", Rag.NOT_RATED: "F3F2F1",
}  # fmt: skip
ITEM_COLUMNS = ["Reference", "Item", "RAG", "Why it is an exception", "Latest commentary"]
# The text's width on the plain layout's page (landscape A4 inside 1.8 cm margins, in cm): the
# tables' widths below add up to it, and are scaled to a council template's page.
TEXT_WIDTH_CM = 26
# Their widths in cm, across that page: the words get room.
ITEM_WIDTHS = [2.2, 7.0, 2.2, 6.4, 8.2]
DECISION_WIDTHS = [3, 3.2, 2.4, 3.2, 3, 3.2, 3, 2, 3]  # what is asked gets the room
CHASE_WIDTHS = [7, 6, 9, 4]
REVISION_WIDTHS = [2.4, 10, 3.6, 5, 5]
MONITORING_WIDTHS = [2, 2.2, 4, 4.4, 5.4, 2.6, 3.2, 2.2]  # the action taken is the longest


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


class WordPaper:
    """One document: headings, paragraphs and tables in the house rules above."""

    def __init__(self, title: str, template: bytes | None = None):
        """A new document: in the council's Word template (`template`, its content cleared but
        its letterhead, page and styles kept), else in the tracker's plain landscape layout."""
        if template:
            self.document = Document(io.BytesIO(template))
            body = self.document.element.body
            for child in list(body):
                if child.tag != qn("w:sectPr"):  # the last section's page and letterhead stay
                    body.remove(child)
            _ensure_styles(self.document)
        else:
            self.document = Document()
            section = self.document.sections[0]
            section.orientation = WD_ORIENT.LANDSCAPE  # the tables are wide, as in the PDF
            section.page_width, section.page_height = Cm(29.7), Cm(21)  # A4, not Letter
            for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
                setattr(section, side, Cm(1.8))
            normal = self.document.styles["Normal"]
            normal.font.name, normal.font.size = "Arial", Pt(10)
        section = self.document.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        # Tables are sized for the plain layout's page; a template's page scales them.
        self.scale = Emu(text_width).cm / TEXT_WIDTH_CM if template else 1
        properties = self.document.core_properties
        properties.title, properties.language = title, LANGUAGE
        self._language(self.document.styles.element)

    @staticmethod
    def _language(styles):
        """Every style's text is British English, unless a style says otherwise."""
        # A council's template may lack any of these: each is made where missing.
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)  # it comes first in the styles part
        parent = defaults
        for name in ("w:rPrDefault", "w:rPr", "w:lang"):
            child = parent.find(qn(name))
            if child is None:
                child = OxmlElement(name)
                parent.insert(0 if name == "w:rPrDefault" else len(parent), child)
            parent = child
        parent.set(qn("w:val"), LANGUAGE)

    def heading(self, text: str, level: int):
        self.document.add_heading(text, level=level)

    def paragraph(self, text: str, *, bold: bool = False):
        paragraph = self.document.add_paragraph()
        paragraph.add_run(text).bold = bold

    def bullets(self, lines: list[str]):
        for line in lines:
            self.document.add_paragraph(line, style="List Bullet")

    def contents(self):
        """A table of contents field, built by Word from the headings when the file opens."""
        paragraph = self.document.add_paragraph()
        begin, instruction, separate, end = (OxmlElement(t) for t in (
            "w:fldChar", "w:instrText", "w:fldChar", "w:fldChar"))  # fmt: skip
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")  # brought up to date when Word opens the file
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
        separate.set(qn("w:fldCharType"), "separate")
        end.set(qn("w:fldCharType"), "end")
        run = paragraph.add_run()
        run._r.append(begin)
        run._r.append(instruction)
        run._r.append(separate)
        paragraph.add_run("The contents appear when Word updates this field.")
        paragraph.add_run()._r.append(end)
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.document.settings.element.append(update)

    def table(
        self, header: list[str], rows: list[list], *, rag_column: int | None = None,
        widths: list[float] | None = None,
    ):  # fmt: skip
        """A table with its header row repeated on every page and no row split across pages;
        `rag_column`: the column whose Rag values are written as words, shaded; `widths`: each
        column's, in cm (else equal)."""
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        widths = [width * self.scale for width in widths] if widths else None
        if widths:
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Cm(width)
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        self._row_rules(table.rows[0], header=True, widths=widths)
        for values in rows:
            row = table.add_row()
            self._row_rules(row, widths=widths)
            for number, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                if number == rag_column and isinstance(value, Rag):
                    cell.text = value.label
                    self._shade(cell, RAG_FILL[value])
                else:
                    cell.text = _text(value)
        self.document.add_paragraph()

    @staticmethod
    def _row_rules(row, header: bool = False, widths: list[float] | None = None):
        for cell, width in zip(row.cells, widths or [], strict=False):
            cell.width = Cm(width)  # Word reads each cell's width, not the column's
        properties = row._tr.get_or_add_trPr()
        rules = ["w:cantSplit", *(["w:tblHeader"] if header else [])]
        for name in rules:
            rule = OxmlElement(name)
            rule.set(qn("w:val"), "true")
            properties.append(rule)

    @staticmethod
    def _shade(cell, fill: str):
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)

    def picture(self, png: bytes, *, alt: str, width_cm: float):
        """An image with its alternative text (what a screen reader says, and Word's Alt Text)."""
        shape = self.document.add_picture(io.BytesIO(png), width=Cm(width_cm * min(self.scale, 1)))
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("title", alt.split(":")[0])

    def page_break(self):
        self.document.add_page_break()

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


# The styles the papers use. A template made in Word may hold them only as latent styles (not
# yet written to the file): they are copied in from python-docx's own template.
STYLES_USED = ["Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid"]


def _ensure_styles(document):
    plain = Document().styles
    have = {style.name for style in document.styles}
    for name in STYLES_USED:
        chain, style = [], plain[name]
        while style is not None and style.name not in have:  # with what it is based on
            chain.append(style)
            style = style.base_style
        for missing in reversed(chain):
            document.styles.element.append(deepcopy(missing.element))
            have.add(missing.name)


def word_template_in_use() -> bytes | None:
    """The council's Word template, if one is in use."""
    template = WordTemplate.objects.filter(in_use=True).first()
    if template is None:
        return None
    with template.file.open("rb") as stored:
        return stored.read()


def _item_row(item) -> list:
    return [
        item.reference, item.title, Rag(item.rag), "; ".join(item.reasons),
        f"{item.commentary} ({item.commentary_date:%d/%m/%Y})" if item.commentary_date
        else item.commentary,
    ]  # fmt: skip


def _report_body(paper: WordPaper, report: ExceptionReport, items: list, level: int):
    """The exceptions in the report's reading order: decisions asked, then each part by area,
    the actions only lacking an update as one line per owner post."""
    if report.decisions:
        grid = decisions_grid(report)
        paper.heading(f"Decisions asked of the board ({len(report.decisions)})", level)
        paper.table(grid[0], grid[1:], widths=DECISION_WIDTHS)
    order = reading_order(report, items)
    for part, groups, count, empty in order.parts():
        paper.heading(f"{part.label} ({count})", level)
        if not groups:
            paper.paragraph(empty)
            continue
        if part == Part.CHASE:
            paper.table(
                ["Owner posts", "Post holders", "Actions", "Last update"],
                [
                    [
                        "; ".join(line.posts) or "No owner post",
                        "; ".join(line.holders),
                        ", ".join(item.reference for item in line.items),
                        line.last_update,
                    ]
                    for line in groups
                ],
                widths=CHASE_WIDTHS,
            )  # fmt: skip
            continue
        for group in groups:
            area = str(group.area) if group.area else "Not linked to a priority area"
            paper.heading(f"{area}: {Rag(group.rag).label} from its objectives", level + 1)
            rows = [_item_row(item) for item in group.rows + group.objectives]
            paper.table(ITEM_COLUMNS, rows, rag_column=2, widths=ITEM_WIDTHS)
    if report.revisions:
        grid = revisions_grid(report)
        paper.heading("Figures revised since the previous papers", level)
        paper.table(grid[0], grid[1:], widths=REVISION_WIDTHS)


def _title_block(paper: WordPaper, report: ExceptionReport, what: str):
    paper.paragraph(f"{report.plan.organisation}: {report.plan.title}")
    paper.heading(what, 0)
    if report.meeting:
        paper.paragraph(f"{report.meeting.committee}, {report.meeting.date:%A %-d %B %Y}")
    paper.paragraph(f"As at {report.as_at:%-d %B %Y}", bold=True)


def report_docx(report: ExceptionReport, items: list) -> bytes:
    """The exception report (with the page's filters applied to `items`)."""
    paper = WordPaper(
        f"Exception report, {report.plan.title}, as at {report.as_at:%-d %B %Y}",
        word_template_in_use(),
    )
    _title_block(paper, report, "Exception report")
    paper.paragraph(f"{len(items)} exceptions.")
    _report_body(paper, report, items, level=1)
    return paper.save()


def pack_docx(pack: BoardPack) -> bytes:
    """The whole board pack, in the PDF's order, with a table of contents."""
    report = pack.report
    paper = WordPaper(
        f"Board pack, {report.plan.title}, as at {report.as_at:%-d %B %Y}", word_template_in_use()
    )
    _title_block(paper, report, "Board pack")
    paper.contents()
    paper.page_break()
    if not report.exists:
        paper.paragraph(f"The plan was not yet in the tracker on {report.as_at:%-d %B %Y}.")
        return paper.save()
    _changes(paper, pack.changes)
    paper.page_break()
    paper.heading("1. RAG overview by priority area", 1)
    paper.table(
        ["Priority area", "RAG from its objectives", "Judged risk rating", "Objectives Red",
         "Actions overdue", "Exceptions"],
        [[
            str(row.section.area), Rag(row.section.rag),
            row.section.assessment.get_risk_rating_display() if row.section.assessment
            else "Not recorded",
            row.objectives_red, row.overdue, len(row.section.items),
        ] for row in pack.overview],
        rag_column=1, widths=[9.5, 4, 4.5, 2.7, 2.7, 2.6],
    )  # fmt: skip
    _travel(paper, pack.travel)
    paper.heading("2. Exception report", 1)
    _report_body(paper, report, report.items, level=2)
    paper.heading("3. Indicators", 1)
    if pack.month:
        paper.paragraph(f"Latest figures for {pack.month:%B %Y}.")
    paper.table(
        ["Reference", "Indicator", "Latest", "RAG", "Trend", "Target"],
        [[
            row.indicator.reference, row.indicator.title,
            row.indicator.format_figure(row.latest.value) if row.latest else "No figure",
            Rag(row.rag), TRENDS.get(row.trend, ""), row.indicator.target_rule(),
        ] for row in pack.indicator_rows],
        rag_column=3, widths=[2.4, 9.6, 3, 2.4, 3.2, 5.4],
    )  # fmt: skip
    paper.heading("4. What's going well, ones to watch, what we need to do better", 1)
    for title, rows in pack.summary_lists:
        paper.heading(f"{title} ({len(rows)})", 2)
        lines = [f"{row.indicator.reference} {row.indicator.title} ({Rag(row.rag).label})"
                 for row in rows]  # fmt: skip
        if lines:
            paper.bullets(lines)
        else:
            paper.paragraph("None.")
    paper.heading("5. Recommendations still open", 1)
    for committee, recommendations in pack.recommendations:
        paper.heading(f"{committee} ({len(recommendations)})", 2)
        paper.table(
            MONITORING_COLUMNS, [monitoring_row(r, committee) for r in recommendations],
            widths=MONITORING_WIDTHS,
        )  # fmt: skip
    if not pack.recommendations:
        paper.paragraph("None open.")
    return paper.save()


def _changes(paper: WordPaper, changes: ChangesSinceLastBoard):
    """The page at the front: what changed since the last board's papers."""
    paper.heading("What changed since the last board", 1)
    if changes.previous is None:
        paper.paragraph(
            "This is the first board in the tracker's record of this plan: there are no earlier "
            "papers to compare with."
        )
        return
    paper.paragraph(
        f"Every rating in these papers against the papers of the {changes.previous.committee} "
        f"on {changes.previous.date:%-d %B %Y} (as at {changes.compared_with:%-d %B %Y})."
    )
    paper.table(
        ["Change", "How many", "Of which"],
        [[g.heading, len(g.items), g.count_words or "None"] for g in changes.groups],
        widths=[6, 3, 17],
    )  # fmt: skip
    for group in changes.groups:
        if not group.items:
            continue
        paper.heading(f"{group.heading} ({len(group.items)})", 2)
        paper.paragraph(f"{group.meaning}.")
        for kind, items in group.by_kind:
            briefs = [f"{i.reference} ({i.note})" if i.note else i.reference for i in items]
            paper.paragraph(f"{kind}: {', '.join(briefs)}")


def _travel(paper: WordPaper, travels: list[Travel]):
    """The direction of travel: each chart (an image with its summary as alternative text),
    and its figures as a table."""
    paper.heading("Direction of travel", 2)
    paper.paragraph(
        "How many actions were Red, Amber, Green and Complete in the papers of each earlier board, "
        "as the board had them, and in these papers."
    )
    for travel in travels:
        paper.heading(f"Actions by rating, {travel.name}", 3)
        paper.picture(travel_png(travel), alt=travel.summary, width_cm=12)
        paper.table(
            ["Board", *(rating.label for rating in TALLIED)],
            [[tally.label, *(count for _, count in tally.bars)] for tally in travel.tallies],
            widths=[6, 3.6, 3.6, 3.6, 3.6],
        )
