"""A tagged A4 PDF made from a page's HTML with WeasyPrint, reading nothing but the app's own
static files. Imported only where a PDF is made (plans.documents.pdf_from_html): WeasyPrint
takes seconds to import, which no other page, command or worker should pay."""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The PDF renderer may read the app's own static files and nothing else: user text that names
# an http(s) or file:// address prints as text and never makes WeasyPrint fetch anything.
STATIC_BASE = "https://tracker.invalid" + settings.STATIC_URL


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_BASE):
            raise ValueError(f"The PDF may only use the tracker's own files, not {url[:80]}")
        relative = unquote(urlsplit(url).path)[len(urlsplit(STATIC_BASE).path) :]
        found = finders.find(relative) if ".." not in Path(relative).parts else None
        if not found:
            raise ValueError(f"No such static file: {relative[:80]}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": content_type})


PRINT_STYLESHEET = Path(settings.BASE_DIR) / "templates" / "print" / "print.css"


def render_pdf(html: str) -> bytes:
    """A tagged A4 PDF (PDF/UA-1) of the report's HTML, with the print stylesheet."""
    fetcher = StaticFilesOnly(timeout=1, allow_redirects=False)
    stylesheet = CSS(filename=str(PRINT_STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
