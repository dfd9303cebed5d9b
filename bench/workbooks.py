"""Workbooks that test the spreadsheet reader's limits, made in memory (never committed): dense
ones whose few kilobytes unpack into millions of cells, and a real-size one formatted out to
the last column, XFD, as spreadsheet programs leave whole-row formatting. The benchmark
(bench_uploads) and the tests use the same files."""

import io
import re
import zipfile

LAST_COLUMN = 16_384  # XFD

_OPENXML = "http://schemas.openxmlformats.org"
_RELATIONSHIP = f"{_OPENXML}/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PACKAGE = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_OPENXML}/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_TYPE}.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_OPENXML}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_RELATIONSHIP}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_OPENXML}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_RELATIONSHIP}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
_SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def dense_xlsx(*, sheet: str, rows: int, columns: int) -> bytes:
    """One sheet of `rows` x `columns` cells, each holding 1: 3.2 million cells pack into about
    a hundred kilobytes and unpack to just under the reader's 50 MB limit."""
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<workbook xmlns="{_OPENXML}/spreadsheetml/2006/main" xmlns:r="{_RELATIONSHIP}">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PACKAGE.items():
            archive.writestr(name, text)
        archive.writestr("xl/workbook.xml", workbook)
        with archive.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(_SHEET_START)
            for _ in range(rows):
                out.write(row)
            out.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def formatted_to_last_column(content: bytes) -> bytes:
    """An .xlsx as a spreadsheet program leaves it after whole rows were formatted: every
    column formatted out to XFD, and every row listing an (empty) formatted cell in XFD, so
    each sheet's size reads A1:XFD<last row>."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = _formatted_sheet(data.decode()).encode()
            archive.writestr(info, data)
    return buffer.getvalue()


def _formatted_sheet(xml: str) -> str:
    columns = f'<cols><col min="1" max="{LAST_COLUMN}" width="12" customWidth="1"/></cols>'
    xml = re.sub(r"<cols>.*?</cols>", "", xml, flags=re.DOTALL)
    xml = xml.replace("<sheetData>", columns + "<sheetData>", 1)
    xml = re.sub(r'<dimension ref="([A-Z]+\d+):[A-Z]+(\d+)"', r'<dimension ref="\1:XFD\2"', xml)
    return re.sub(r'<row r="(\d+)"([^>/]*)>(.*?)</row>', _row_out_to_xfd, xml, flags=re.DOTALL)


def _row_out_to_xfd(found: re.Match) -> str:
    number, attributes, cells = found.groups()
    return f'<row r="{number}"{attributes}>{cells}<c r="XFD{number}" s="0"/></row>'
