"""A board member asks of every figure "is it final, is it late, has it changed?": on the whole
demo, in a real browser, the answers are words beside the figure (never colour alone), the
indicators can be filtered by them, the restated figure's page lists each version with who and
when, and the report footnotes the revision. axe finds nothing, at 1280 and 320 px."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import IndicatorValue
from indicators.quality import Flag
from tests.e2e.checks import assert_accessible
from tests.e2e.test_monthly_round import FIRST_SCREEN, PHONE, no_sideways_scroll, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def restated_figure() -> IndicatorValue:
    history = IndicatorValue.history.filter(history_user__username="performance")
    row = history.order_by("-history_date").first()
    assert row is not None, "the demo restates one figure after the last board's papers"
    return IndicatorValue.objects.select_related("indicator").get(pk=row.id)


def flags_in(row) -> list[str]:
    return [tag.inner_text() for tag in row.locator(".govuk-tag--grey").all()]


def test_the_flags_are_words_that_filter_the_indicators(browser, demo):
    page = signed_in(browser, demo, "chair", FIRST_SCREEN)
    page.goto(f"{demo}/plans/IP-2021-22/indicators/")
    main = page.locator("main")
    assert "Restated: changed since first reported." in main.inner_text()  # the legend

    for flag in (Flag.RESTATED, Flag.PROVISIONAL):
        page.goto(f"{demo}/plans/IP-2021-22/indicators/")
        page.get_by_text("Filter indicators").click()
        page.get_by_label("Data quality").select_option(flag.value)
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(rf"flag={flag.value}"))
        page.wait_for_load_state()  # the filtered page parsed, not the address only
        rows = page.locator("main table tbody tr")
        expect(rows.first).to_be_visible()
        for i in range(rows.count()):
            # A word in the tag, and the same word whether or not colours are shown.
            assert flag.label in flags_in(rows.nth(i))
        assert re.search(rf"{rows.count()} indicators?", main.inner_text())
        assert_accessible(page)

    page.goto(f"{demo}/plans/IP-2021-22/indicators/summary/")
    shown = flags_in(page.locator("main"))
    assert shown and set(shown) <= set(Flag.labels), shown
    assert_accessible(page)


def test_the_restated_figure_shows_every_version_and_the_report_footnotes_it(browser, demo):
    figure = restated_figure()
    page = signed_in(browser, demo, "chair", FIRST_SCREEN)
    page.goto(f"{demo}/plans/IP-2021-22/indicators/{figure.indicator.reference}/")
    month_row = page.locator("main tr", has_text=f"{figure.month:%B %Y}").first
    text = month_row.inner_text()
    assert "First reported as" in text and "restated as" in text, text
    assert "Restated" in text
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)
    assert_accessible(page)

    page.set_viewport_size(FIRST_SCREEN)
    page.goto(f"{demo}/plans/IP-2021-22/report/")
    revisions = page.locator("section[aria-labelledby=revisions]")
    assert figure.indicator.reference in revisions.inner_text()
    assert re.search(r"revised from [\d,.]+ to [\d,.]+", revisions.inner_text())
    assert_accessible(page)
