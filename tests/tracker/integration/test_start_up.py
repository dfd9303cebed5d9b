"""Loading the app (every page, command and worker does) does not import WeasyPrint, which takes
seconds: only making a PDF does."""

import os
import subprocess
import sys

from django.conf import settings

LOAD_THE_URLS = """
import django, sys
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print("weasyprint" in sys.modules)
"""


def test_loading_every_url_leaves_weasyprint_unimported():
    found = subprocess.run(  # noqa: S603 (this interpreter, this project)
        [sys.executable, "-c", LOAD_THE_URLS],
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=True,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "tracker.settings"},
    )  # fmt: skip
    assert found.stdout.strip() == "False", found.stderr
