import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from progress.evidence import MAX_EVIDENCE_BYTES, evidence_problem

MAIN_PARTS = {
    "word": ("word/document.xml", "wordprocessingml.document.main+xml"),
    "xl": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}


def office_file(folder: str, extra: dict | None = None, content_type: str | None = None) -> bytes:
    part, main_type = MAIN_PARTS.get(folder, (f"{folder}/document.xml", "other+xml"))
    declared = f"application/vnd.openxmlformats-officedocument.{content_type or main_type}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{part}" ContentType="{declared}"/></Types>',
        )
        archive.writestr(part, "<x/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"%PDF-1.7\n..."),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n...."),
        ("photo.jpeg", b"\xff\xd8\xff\xe0...."),
        ("notes.docx", office_file("word")),
        ("figures.xlsx", office_file("xl")),
    ],
)
def test_allowed_evidence_is_accepted(name, content):
    assert evidence_problem(SimpleUploadedFile(name, content)) is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html><script>alert(1)</script>", "is not a PDF, Word document"),
        ("report.docx", b"%PDF-1.7", "content is a PDF, but its name ends '.docx'"),
        ("notes.docx", office_file("other"), "is not a PDF"),
        ("archive.zip", b"PK\x03\x04garbage", "is not a PDF"),
        ("macro.docx", office_file("word", {"word/vbaProject.bin": "x"}), "is not a PDF"),
        (
            "macro.docx",
            office_file("word", content_type="wordprocessingml.document.macroEnabled.main+xml"),
            "is not a PDF",
        ),
        ("trojan.docx", office_file("word", {"evil.html": "<script>"}), "is not a PDF"),
        ("odd.docx", b"PK\x03\x04\x14\x00" + bytes(range(256)) * 4, "is not a PDF"),
    ],
)
def test_evidence_that_is_not_what_it_claims_is_refused_with_a_clear_message(
    name, content, message
):
    assert message in evidence_problem(SimpleUploadedFile(name, content))


def test_oversize_evidence_is_refused():
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES)
    assert "larger than 10 MB" in evidence_problem(big)


class RawUpload(io.BytesIO):
    """An upload whose name has not been through Django's clean-up (which drops directories)."""

    def __init__(self, name, content):
        super().__init__(content)
        self.name, self.size = name, len(content)


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\boot.pdf", ".hidden.pdf"])
def test_a_path_like_name_is_refused_even_if_it_gets_past_django(name):
    assert "looks like a path" in evidence_problem(RawUpload(name, b"%PDF-1.7"))
