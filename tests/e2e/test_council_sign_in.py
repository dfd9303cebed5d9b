"""Signing in with a council account, in Chromium, against a real OpenID provider on loopback
(tests/oidc.py): the whole flow, roles from directory groups, sign-out, and the tokens and
callbacks that must be refused."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from access.models import AuditEvent, AuditKind, DirectoryGroupRole, SignInIdentity
from plans.roles import Role
from tests.e2e.checks import assert_accessible
from tests.e2e.test_plan_pages import PASSWORD
from tests.factories import PlanFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
User = get_user_model()
BOARD_GROUP = "7d1f6a0e-1c2b-4f7a-9c55-board-members"


@pytest.fixture
def board_group():
    return DirectoryGroupRole.objects.create(
        directory_group=BOARD_GROUP,
        description="CS Improvement Board",
        role=Group.objects.get(name=Role.BOARD_MEMBER),
    )


def sign_in_with_council(page, base: str, login: str):
    """From the tracker's sign-in page, through the provider's own pages (unless the provider
    remembers the person, as a real one does) and back."""
    page.goto(f"{base}/accounts/login/")
    with page.expect_navigation(url=lambda url: "/interaction/" in url or url.startswith(base)):
        page.get_by_role("button", name="Sign in with the council's account").click()
    if "/interaction/" in page.url:
        page.locator("input[name=login]").fill(login)
        page.locator("input[name=password]").fill("any password: the test provider takes any")
        page.get_by_role("button", name="Sign-in").click()
        page.wait_for_url(f"{base}/**")


def signed_out(page, base: str) -> bool:
    page.goto(f"{base}/")
    return page.url.startswith(f"{base}/accounts/login/")


def test_a_council_account_signs_in_with_its_groups_role_and_signs_out(
    page, live_server, provider, board_group
):
    PlanFactory()
    provider.add_account(
        "sam-okafor", email="Sam.Okafor@council.example", given_name="Sam",
        family_name="Okafor", groups=[BOARD_GROUP, "a-group-the-tracker-ignores"],
    )  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Sign in with the council's account")).to_be_visible()
    assert_accessible(page)

    sign_in_with_council(page, live_server.url, "sam-okafor")

    expect(page.get_by_text("Signed in as Sam Okafor")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
    sam = User.objects.get(email="Sam.Okafor@council.example")
    assert list(sam.groups.values_list("name", flat=True)) == [Role.BOARD_MEMBER]
    assert SignInIdentity.objects.get(user=sam).subject == "sam-okafor"
    signed_in = AuditEvent.objects.get(kind=AuditKind.SIGN_IN, user=sam)
    assert signed_in.what == "signed in with their council account"

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    assert signed_out(page, live_server.url)


def test_a_person_taken_out_of_the_group_loses_the_role_at_the_next_sign_in(
    page, live_server, provider, board_group
):
    PlanFactory()
    UserFactory(first_name="Priya", last_name="Patel", email="priya@council.example",
                role=Role.PERFORMANCE_MANAGER)  # fmt: skip
    provider.add_account("lee", email="lee@council.example", name="Lee Grant",
                         groups=[BOARD_GROUP])  # fmt: skip
    sign_in_with_council(page, live_server.url, "lee")
    expect(page.get_by_text("Signed in as Lee Grant")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    provider.add_account("lee", email="lee@council.example", name="Lee Grant", groups=[])
    sign_in_with_council(page, live_server.url, "lee")

    expect(
        page.get_by_role("heading", name="You do not have a role in the tracker yet")
    ).to_be_visible()
    expect(page.get_by_text("Priya Patel, priya@council.example")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    assert not User.objects.get(email="lee@council.example").groups.exists()
    assert_accessible(page)
    page.goto(f"{live_server.url}/plans/")
    assert page.url.endswith("/access/no-role/")
    removed = AuditEvent.objects.filter(kind=AuditKind.ROLE_CHANGED, what__contains="removed")
    assert removed.filter(what__contains="Board member").exists()


@pytest.mark.parametrize(
    ("spoiled", "recorded"),
    [
        ("wrong-audience", "issued for another application"),
        ("expired", "it had expired"),
        ("other-key", "its signature did not verify"),
        ("wrong-issuer", "issued by another provider"),
        ("other-nonce", "JWT Nonce verification failed"),
        ("no-kid", "KeyError"),
        ("unknown-kid", "Could not find a valid JWKS"),
    ],
)
def test_a_spoiled_id_token_is_refused(page, live_server, provider, spoiled, recorded):
    provider.add_account("sam", email="sam@council.example", groups=[])
    provider.tamper(spoiled)

    sign_in_with_council(page, live_server.url, "sam")

    expect(page.get_by_role("heading", name="You could not be signed in")).to_be_visible()
    expect(page.get_by_text("could not be checked, so it was refused")).to_be_visible()
    assert_accessible(page)
    assert signed_out(page, live_server.url)
    assert not User.objects.filter(email="sam@council.example").exists()
    refusal = AuditEvent.objects.get(kind=AuditKind.SIGN_IN_FAILED)
    assert recorded in refusal.what


def test_a_replayed_callback_is_refused(page, live_server, provider, board_group):
    PlanFactory()
    provider.add_account("sam", email="sam@council.example", groups=[BOARD_GROUP])
    callbacks = []
    page.on(
        "request",
        lambda request: callbacks.append(request.url) if "/council/callback/" in request.url else 0,
    )
    sign_in_with_council(page, live_server.url, "sam")
    expect(page.get_by_text("Signed in as")).to_be_visible()
    [callback] = callbacks

    page.goto(callback)  # the same state and code again, in the same session
    expect(page.get_by_text("has been used already")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.goto(callback)  # and from a session that never started it
    expect(page.get_by_text("has been used already")).to_be_visible()
    assert signed_out(page, live_server.url)
    assert AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_FAILED).count() == 2


def test_a_token_without_an_email_gets_a_page_saying_so(page, live_server, provider):
    provider.add_account("nomail", name="No Mail", groups=[])

    sign_in_with_council(page, live_server.url, "nomail")

    expect(page.get_by_role("heading", name="You could not be signed in")).to_be_visible()
    expect(page.get_by_text("did not give the tracker your email address")).to_be_visible()
    assert signed_out(page, live_server.url)


def test_the_performance_manager_maps_a_group_to_a_role_on_its_page(page, live_server, provider):
    PlanFactory()
    manager = UserFactory(username="priya", role=Role.PERFORMANCE_MANAGER)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("link", name="Roles from groups").click()

    page.get_by_role("button", name="Give the role").click()
    expect(page.get_by_text("Enter the group's ID or the app role's value.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Directory group or app role").fill(BOARD_GROUP)
    page.get_by_label("Its name").fill("CS Improvement Board")
    page.get_by_label(Role.BOARD_MEMBER.value).check()
    page.get_by_role("button", name="Give the role").click()

    expect(page.get_by_text("get the role Board member from their next sign-in")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=BOARD_GROUP)
    expect(row).to_contain_text("CS Improvement Board")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
    assert DirectoryGroupRole.objects.get().role.name == Role.BOARD_MEMBER


def test_the_sign_in_pages_read_on_a_phone(page, live_server, provider):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    provider.tamper("expired")
    provider.add_account("sam", email="sam@council.example", groups=[])
    sign_in_with_council(page, live_server.url, "sam")
    expect(page.get_by_role("heading", name="You could not be signed in")).to_be_visible()
    assert_accessible(page)
    provider.tamper("")
    sign_in_with_council(page, live_server.url, "sam")
    expect(
        page.get_by_role("heading", name="You do not have a role in the tracker yet")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
