"""Single sign-on around the browser tests (tests/e2e/test_council_sign_in.py): how a sign-in
starts, the pages for a provider that is down or set up wrongly, passwords switched off, the
page for someone with no role, the mapping of groups to roles, and whom a token signs in."""

import base64
import hashlib
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client

from access.directory_roles import TooManyGroups, apply_directory_roles, directory_groups
from access.models import AuditEvent, AuditKind, DirectoryGroupRole, SignInIdentity
from access.single_sign_on import (
    COUNCIL_BACKEND,
    CouncilAccountBackend,
    Provider,
    SignInRefused,
)
from plans.roles import DEMO_GROUP, Role
from tests.factories import PlanFactory, PostFactory, UserFactory
from tests.oidc import CLIENT_ID

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
ISSUER = "https://login.microsoftonline.com/8f0c-tenant/v2.0"


def role(name: Role) -> Group:
    return Group.objects.get(name=name)


def test_a_sign_in_starts_the_code_flow_with_pkce_state_and_nonce(client, client_provider):
    response = client.get("/accounts/council/", {"next": "/plans/"})

    assert response.status_code == 302
    address = urlsplit(response["Location"])
    discovery = requests.get(
        f"{client_provider.issuer}/.well-known/openid-configuration", timeout=5
    )
    assert (
        f"{address.scheme}://{address.netloc}{address.path}"
        == (discovery.json()["authorization_endpoint"])
    )
    asked = {name: values[0] for name, values in parse_qs(address.query).items()}
    assert asked["response_type"] == "code" and asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == "http://testserver/accounts/council/callback/"
    assert asked["scope"] == "openid email profile"
    assert asked["code_challenge_method"] == "S256"
    kept = client.session["oidc_states"][asked["state"]]
    assert kept["nonce"] == asked["nonce"] and len(asked["nonce"]) >= 32
    challenge = hashlib.sha256(kept["code_verifier"].encode()).digest()
    assert asked["code_challenge"] == base64.urlsafe_b64encode(challenge).rstrip(b"=").decode()


def test_a_provider_that_is_down_gets_a_page_saying_try_again(client, settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        settings.OIDC_ISSUER = f"http://127.0.0.1:{probe.getsockname()[1]}"
    settings.OIDC_TIMEOUT = 2

    response = client.get("/accounts/council/")

    assert response.status_code == 503
    assert "is not answering, so you cannot sign in with it just now" in response.text
    refusal = AuditEvent.objects.get(kind=AuditKind.SIGN_IN_FAILED)
    assert "discovery at" in refusal.what and "failed" in refusal.what


def test_an_issuer_set_wrongly_gets_a_page_for_the_it_service_desk(
    client, client_provider, settings
):
    settings.OIDC_ISSUER = client_provider.issuer + "/"  # the discovery document still answers

    response = client.get("/accounts/council/")

    assert response.status_code == 502
    assert "set up wrongly" in response.text and "OIDC_ISSUER" in response.text
    assert f"the provider says '{client_provider.issuer}'" in AuditEvent.objects.get().what


def test_a_callback_nobody_started_is_refused(client, client_provider):
    response = client.get("/accounts/council/callback/", {"code": "stolen", "state": "guessed"})

    assert response.status_code == 400
    assert "has been used already, or was not started here" in response.text
    assert "_auth_user_id" not in client.session


def test_the_provider_saying_no_gets_a_page_to_start_again(client, client_provider):
    client.get("/accounts/council/")
    [state] = client.session["oidc_states"]

    response = client.get(
        "/accounts/council/callback/",
        {"error": "access_denied", "error_description": "The user cancelled", "state": state},
    )

    assert response.status_code == 400
    assert "Your sign-in did not complete" in response.text
    assert "The user cancelled" in AuditEvent.objects.get().what
    assert state not in client.session["oidc_states"]


def test_with_passwords_switched_off_only_the_council_account_signs_in(
    client, client_provider, settings
):
    settings.LOCAL_SIGN_IN = False
    UserFactory(username="chair", role=Role.BOARD_MEMBER)

    page = client.get("/accounts/login/")
    assert "Sign in with the council&#x27;s account" in page.text
    assert 'type="password"' not in page.text and "Forgotten your password" not in page.text
    refused = client.post("/accounts/login/", {"username": "chair", "password": PASSWORD})
    assert refused.status_code == 403 and "Passwords are switched off" in refused.text
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/password_reset/").status_code == 404
    admin = client.get("/admin/", follow=True)
    assert admin.redirect_chain[-1][0].startswith("/accounts/login/?next=/admin/login/")


def test_the_demo_signs_in_with_passwords_and_no_provider(client, settings):
    UserFactory(username="chair", role=Role.BOARD_MEMBER)
    page = client.get("/accounts/login/")
    assert 'type="password"' in page.text and "council" not in page.text
    client.post("/accounts/login/", {"username": "chair", "password": PASSWORD})
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("environment", "said"),
    [
        ({"LOCAL_SIGN_IN": "false"}, "nobody could sign in"),
        ({"OIDC_ISSUER": ISSUER}, "set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too"),
    ],
)
def test_settings_that_would_lock_everyone_out_stop_the_start(environment, said):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "LOCAL_SIGN"))}
    started = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=django_settings.BASE_DIR,
        env=clean | environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert started.returncode != 0
    assert said in started.stderr


def test_someone_without_a_role_sees_only_the_page_saying_whom_to_ask(client):
    plan = PlanFactory()
    UserFactory(first_name="Priya", last_name="Patel", email="priya@council.example",
                role=Role.PERFORMANCE_MANAGER)  # fmt: skip
    UserFactory(first_name="Gone", last_name="Away", role=Role.ADMINISTRATOR, is_active=False)
    client.force_login(UserFactory(first_name="New", last_name="Starter"))

    assert client.get(plan.get_absolute_url())["Location"] == "/access/no-role/"
    assert client.get("/admin/")["Location"] == "/access/no-role/"
    page = client.get("/access/no-role/")
    assert page.status_code == 403
    assert "Priya Patel" in page.text and "priya@council.example" in page.text
    assert "Gone Away" not in page.text
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_someone_with_a_role_is_sent_on_from_the_no_role_page(client):
    client.force_login(UserFactory(role=Role.HEAD_OF_SERVICE))
    assert client.get("/access/no-role/")["Location"] == "/"


def test_the_performance_manager_maps_a_group_to_a_role_and_removes_it(client):
    manager = UserFactory(role=Role.PERFORMANCE_MANAGER)
    client.force_login(manager)
    board = role(Role.BOARD_MEMBER).pk
    form = {"directory_group": " 1b2c-board ", "description": "Board", "role": board}

    added = client.post("/access/directory-groups/", form, follow=True)
    again = client.post("/access/directory-groups/", form)

    assert "get the role Board member from their next sign-in" in added.text
    mapping = DirectoryGroupRole.objects.get()
    assert mapping.directory_group == "1b2c-board"
    assert again.status_code == 400 and "That group already gives that role." in again.text
    assert "Choose the role it gives." in client.post("/access/directory-groups/", {
        "directory_group": "x"}).text  # fmt: skip
    client.post(f"/access/directory-groups/{mapping.pk}/remove/")
    assert not DirectoryGroupRole.objects.exists()
    assert mapping.history.count() == 2  # added, then removed: kept in its history
    assert list(AuditEvent.objects.filter(kind=AuditKind.ROLE_CHANGED, user=manager)
                .values_list("what", flat=True)) == [
        "unmapped Board → Board member", "mapped Board → Board member"]  # fmt: skip


def test_a_head_of_service_cannot_map_groups(client):
    client.force_login(UserFactory(role=Role.HEAD_OF_SERVICE))
    assert client.get("/access/directory-groups/").status_code == 403
    assert client.post("/access/directory-groups/", {"directory_group": "x"}).status_code == 403


def test_roles_become_those_the_groups_give_and_other_groups_stay():
    DirectoryGroupRole.objects.create(directory_group="g-board", role=role(Role.BOARD_MEMBER))
    DirectoryGroupRole.objects.create(directory_group="g-perf", role=role(Role.PERFORMANCE_MANAGER))
    user = UserFactory(role=Role.HEAD_OF_SERVICE)
    user.groups.add(Group.objects.get_or_create(name=DEMO_GROUP)[0])

    apply_directory_roles(user, ["g-board", "g-perf", "unmapped"])

    assert set(user.groups.values_list("name", flat=True)) == {
        Role.BOARD_MEMBER,
        Role.PERFORMANCE_MANAGER,
        DEMO_GROUP,
    }
    apply_directory_roles(user, [])
    assert set(user.groups.values_list("name", flat=True)) == {DEMO_GROUP}


def test_the_groups_claim_read_as_providers_send_it(settings):
    assert directory_groups({"groups": ["a", "b"]}) == ["a", "b"]
    assert directory_groups({"groups": "a"}) == ["a"]
    assert directory_groups({}) == []  # Entra ID leaves the claim out for someone in no group
    settings.OIDC_GROUPS_CLAIM = "roles"
    assert directory_groups({"roles": ["Board.Member"], "groups": ["a"]}) == ["Board.Member"]
    settings.OIDC_GROUPS_CLAIM = "groups"
    with pytest.raises(TooManyGroups):
        directory_groups({"_claim_names": {"groups": "src1"}, "_claim_sources": {}})
    settings.OIDC_GROUPS_CLAIM = ""
    assert directory_groups({"groups": ["a"]}) is None  # roles are given in the tracker


def backend() -> CouncilAccountBackend:
    signed_in_by = CouncilAccountBackend()
    signed_in_by.provider = Provider(
        ISSUER, f"{ISSUER}/authorize", f"{ISSUER}/token", f"{ISSUER}/keys"
    )
    return signed_in_by


def test_a_first_sign_in_finds_the_account_by_email_and_later_ones_by_subject():
    post = PostFactory()
    kept = UserFactory(email="sam.okafor@council.example", role=Role.HEAD_OF_SERVICE)
    post.holders.add(kept)
    claims = {"sub": "abc", "email": "Sam.Okafor@Council.example", "name": "Sam Okafor"}

    assert backend().get_or_create_user("", "", claims) == kept
    renamed = claims | {"email": "sam.okafor-smith@council.example"}
    user = backend().get_or_create_user("", "", renamed)

    assert user == kept and list(user.posts.all()) == [post]
    assert (user.email, user.first_name, user.last_name) == (renamed["email"], "Sam", "Okafor")
    assert not user.has_usable_password()
    assert SignInIdentity.objects.get().subject == "abc"


def test_a_new_person_gets_an_account_named_from_their_email():
    UserFactory(username="lee")
    claims = {"sub": "n1", "email": "Lee@council.example"} | {
        "given_name": "Lee", "family_name": "Grant"
    }  # fmt: skip
    user = backend().get_or_create_user("", "", claims)
    assert (user.username, user.get_full_name()) == ("lee2", "Lee Grant")
    assert not user.has_usable_password()


def test_two_accounts_with_the_email_are_refused_rather_than_guessed():
    UserFactory(email="sam@council.example")
    UserFactory(email="SAM@council.example")
    with pytest.raises(SignInRefused) as refused:
        backend().get_or_create_user("", "", {"sub": "s", "email": "sam@council.example"})
    assert "More than one account in the tracker has your email" in refused.value.reason


def test_a_token_that_names_no_groups_but_points_elsewhere_is_refused():
    claims = {"sub": "s", "email": "a@council.example", "_claim_names": {"groups": "src1"}}
    with pytest.raises(SignInRefused) as refused:
        backend().get_or_create_user("", "", claims)
    assert "You are in too many directory groups" in refused.value.reason
    assert "overage" in refused.value.detail


def test_an_account_switched_off_in_the_tracker_stays_off():
    UserFactory(email="gone@council.example", is_active=False)
    with pytest.raises(SignInRefused) as refused:
        backend().get_or_create_user("", "", {"sub": "g", "email": "gone@council.example"})
    assert "has been switched off" in refused.value.reason
    assert not SignInIdentity.objects.exists()


def test_a_password_sign_in_with_a_code_in_its_address_is_still_counted_and_locked_out(
    client, client_provider
):
    user = UserFactory(role=Role.HEAD_OF_SERVICE)
    address = "/accounts/login/?code=made-up&state=made-up"
    for _ in range(9):
        wrong = client.post(address, {"username": user.username, "password": "wrong"})
        assert wrong.status_code == 200
    client.post(address, {"username": user.username, "password": "wrong"})

    after = client.post(address, {"username": user.username, "password": PASSWORD})

    assert after.status_code == 429 and "_auth_user_id" not in client.session


def test_an_administrators_account_is_never_linked_by_email():
    admin = UserFactory(email="it-admin@council.example", is_staff=True, is_superuser=True)
    claims = {"sub": "x", "email": "IT-Admin@council.example"}

    user = backend().get_or_create_user("", "", claims)

    assert user != admin and not (user.is_staff or user.is_superuser)
    assert not admin.sign_in_identities.exists()


def test_an_email_the_provider_says_is_unverified_is_refused():
    UserFactory(email="sam@council.example")
    claims = {"sub": "s", "email": "sam@council.example", "email_verified": False}
    with pytest.raises(SignInRefused) as refused:
        backend().get_or_create_user("", "", claims)
    assert "not verified" in refused.value.reason
    assert not SignInIdentity.objects.exists()


def test_once_linked_the_tracker_password_no_longer_signs_in(client):
    user = UserFactory(username="sam", email="sam@council.example", role=Role.BOARD_MEMBER)
    backend().get_or_create_user("", "", {"sub": "s", "email": "sam@council.example"})

    client.post("/accounts/login/", {"username": "sam", "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_next_address_elsewhere_is_dropped(client, client_provider):
    client.get("/accounts/council/", {"next": "https://evil.example/steal"})
    assert client.session["oidc_login_next"] is None
    client.get("/accounts/council/", {"next": "/plans/"})
    assert client.session["oidc_login_next"] == "/plans/"


def test_an_error_callback_nobody_started_does_not_sign_anyone_out(client, client_provider):
    client.force_login(UserFactory(role=Role.BOARD_MEMBER))
    response = client.get(
        "/accounts/council/callback/", {"error": "access_denied", "state": "made-up"}
    )
    assert response.status_code == 400
    assert "_auth_user_id" in client.session


def test_a_council_session_ends_twelve_hours_after_sign_in_however_busy(client, settings):
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, COUNCIL_BACKEND]
    start = datetime(2026, 12, 7, 8, tzinfo=UTC)
    council, password = UserFactory(role=Role.BOARD_MEMBER), UserFactory(role=Role.BOARD_MEMBER)
    other = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(council, backend=COUNCIL_BACKEND)
        other.force_login(password, backend="plans.auth.DemoAwareModelBackend")
    for hours in (4, 8, 11.9):  # busy all day
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert client.get("/my-actions/").status_code == 200, hours
            assert other.get("/my-actions/").status_code == 200, hours
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        ended = client.get("/my-actions/")
        assert other.get("/my-actions/").status_code == 200  # a password's session goes on
    assert ended.status_code == 302
    assert ended["Location"] == "/accounts/login/?next=/my-actions/"
    assert "_auth_user_id" not in client.session


def test_with_passwords_off_no_password_backend_is_left():
    environment = {
        "LOCAL_SIGN_IN": "false", "OIDC_ISSUER": ISSUER,
        "OIDC_CLIENT_ID": "id", "OIDC_CLIENT_SECRET": "secret",
    }  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "LOCAL_SIGN"))}
    shown = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.AUTHENTICATION_BACKENDS)"],
        cwd=django_settings.BASE_DIR, env=clean | environment, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    assert "CouncilAccountBackend" in shown.stdout
    assert "ModelBackend" not in shown.stdout
