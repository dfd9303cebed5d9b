import os
import shutil

import pytest
from django.utils import timezone

from demo.loading import (
    create_demo_accounts,
    load_demo_indicators,
    load_demo_plan,
    load_demo_recommendations,
    schedule_demo_board_meetings,
)
from demo.send_plan import load_demo_send_plan, record_send_plan_updates
from demo.story import play_demo_history
from tests.e2e.checks import new_context
from tests.oidc import oidc_provider, provider  # noqa: F401 (fixtures: a real OpenID provider)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = "Browser tests need Debian's Chromium: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run them, not skip them).")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(live_server, settings, tmp_path):
    """The whole demo, with its past, as `make demo` loads it."""
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_MODE = True
    today = timezone.localdate()
    started = timezone.now()
    load_demo_plan(today=today)
    load_demo_indicators(today=today)
    schedule_demo_board_meetings(today=today)
    load_demo_send_plan(today=today)
    create_demo_accounts()
    record_send_plan_updates(today=today)
    load_demo_recommendations(today=today)
    play_demo_history(today=today, since=started)
    return live_server.url
