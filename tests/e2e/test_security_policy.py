"""Every page is sent with a Content-Security-Policy that allows no inline code, and the browser
tests hear of anything it blocks (tests.e2e.checks): here, code slipped into a real page."""

import pytest

from plans.models import Action
from tests.demo.integration.test_demo_plan import import_demo_file
from tests.e2e.checks import assert_no_csp_violations, new_context
from tests.e2e.test_plan_pages import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INLINE = "<script>document.title = 'ran';</script><p style='color: red'>styled</p></body>"


def test_inline_script_and_style_are_blocked_and_reported(browser, live_server):
    page = new_context(browser).new_page()
    address = f"{live_server.url}/accounts/login/"
    response = page.goto(address)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert_no_csp_violations(page)

    def with_inline_code(route):
        original = route.fetch()
        route.fulfill(response=original, body=original.text().replace("</body>", INLINE))

    page.route(address, with_inline_code)
    page.goto(address)
    page.get_by_text("styled").wait_for()
    assert page.title() != "ran"
    violations = page.evaluate("window.cspViolations")
    assert any(v.startswith("script-src") for v in violations), violations
    assert any(v.startswith("style-src") for v in violations), violations
    with pytest.raises(AssertionError):
        assert_no_csp_violations(page)


def test_the_admin_runs_under_the_policy(browser, live_server):
    """Django's admin, which administrators use for users, posts and the plan: its scripts
    are files, so the policy blocks nothing on its list, change and history pages."""
    import_demo_file()
    admin = UserFactory(is_staff=True, is_superuser=True)
    page = new_context(browser).new_page()
    page.goto(f"{live_server.url}/admin/login/")  # sends them to the tracker's sign-in page
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log out").or_(
        page.get_by_role("button", name="Log out")
    ).wait_for()
    action = Action.objects.first()
    for path in (
        "/admin/",
        "/admin/plans/action/?status__exact=on_track",
        f"/admin/plans/action/{action.pk}/change/",
        f"/admin/plans/action/{action.pk}/history/",
        "/admin/auth/user/add/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert_no_csp_violations(page)
