"""Evidence files: what may be uploaded, judged by the file's content, not its name."""

import zipfile

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# Name the user sees -> (extensions allowed, test of the first bytes / the file).
KINDS = {
    "PDF": (".pdf",),
    "Word document": (".docx",),
    "Excel workbook": (".xlsx",),
    "PNG image": (".png",),
    "JPEG image": (".jpg", ".jpeg"),
}
ALLOWED_EXTENSIONS = sorted(ext for extensions in KINDS.values() for ext in extensions)


# The main part each Office kind must declare; macro-enabled variants are refused.
OFFICE_MAIN_PARTS = {
    "Word document": ("word/document.xml", b"wordprocessingml.document.main+xml"),
    "Excel workbook": ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
# Macros, ActiveX controls and files a browser or Windows would run have no place in evidence.
OFFICE_REFUSED_NAMES = ("vbaproject", "activex")
OFFICE_REFUSED_ENDINGS = (".exe", ".dll", ".js", ".html", ".htm", ".bat", ".cmd", ".ps1")


def _office_kind(head: bytes, upload) -> str | None:
    """DOCX and XLSX are zip files: the main part and its declared content type say which."""
    if not head.startswith(b"PK\x03\x04"):
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            if any(
                name.endswith(OFFICE_REFUSED_ENDINGS)
                or any(part in name for part in OFFICE_REFUSED_NAMES)
                for name in names
            ):
                return None
            if "[content_types].xml" not in names:
                return None
            content_types = archive.read(names["[content_types].xml"])[:200_000]
    except (zipfile.BadZipFile, NotImplementedError, UnicodeDecodeError, ValueError, OSError,
            EOFError, KeyError):  # fmt: skip
        return None  # a broken or unusual zip is simply not a Word or Excel file
    if b"macroEnabled" in content_types:
        return None
    for kind, (main_part, content_type) in OFFICE_MAIN_PARTS.items():
        if main_part in names and content_type in content_types:
            return kind
    return None


def content_kind(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        kind = "PDF"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "PNG image"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "JPEG image"
    else:
        kind = _office_kind(head, upload)
    upload.seek(0)
    return kind


def evidence_problem(upload) -> str | None:
    """Why an uploaded evidence file is refused, or None when it may be stored."""
    name = upload.name or ""
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return "The file name looks like a path. Rename the file and upload it again."
    if upload.size > MAX_EVIDENCE_BYTES:
        return "The file is larger than 10 MB. Upload a smaller file, or give a link instead."
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = content_kind(upload)
    allowed = ", ".join(KINDS)
    if kind is None:
        return f"The file is not a {allowed} file. Upload one of those, or give a link instead."
    if extension not in KINDS[kind]:
        ending = f"ends '{extension}'" if extension else "has no extension"
        return (
            f"The file's content is a {kind}, but its name {ending}. "
            f"Rename it to end {' or '.join(KINDS[kind])} and upload it again."
        )
    return None
