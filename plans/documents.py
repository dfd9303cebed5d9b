"""Papers as files: a PDF made from a page's HTML (plans.pdf), and the SHA-256 a published file
is kept with."""

import hashlib


def pdf_from_html(html: str) -> bytes:
    """A tagged A4 PDF (PDF/UA-1) of the report's HTML, with the print stylesheet."""
    from plans.pdf import render_pdf  # noqa: PLC0415 (WeasyPrint loads only where a PDF is made)

    return render_pdf(html)


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
