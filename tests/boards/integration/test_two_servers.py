"""Two servers behind a load balancer share one PostgreSQL database and nothing else: a progress
update made through one is in the exception report the other serves, at once.

Two gunicorn processes on loopback, on a PostgreSQL database of the test's own (whichever
database the rest of the suite runs on), spoken to over HTTP as a browser would."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
ROOT = Path(settings.BASE_DIR)
PASSWORD = "two-servers-test-password"  # noqa: S105 (a throwaway database's accounts)

SEED = f"""
from datetime import date
from tests.report_world import at, make_plan_world, new_action, update
from tests.factories import UserFactory
from plans.roles import Role

plan, objective, head, meeting = make_plan_world()
action = new_action(objective, "1.1.1", due_date=date(2027, 1, 31))
update(action, head, at(date(2026, 11, 2)), status="at_risk", commentary="Two vacancies.")
chair = UserFactory(username="chair", role=Role.BOARD_MEMBER)
for user in (head, chair):
    user.set_password("{PASSWORD}")
    user.save()
print(head.username)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database():
    """A PostgreSQL database of the test's own, migrated; dropped afterwards."""
    import psycopg

    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True)
    except psycopg.OperationalError as error:
        message = f"The two-server test needs PostgreSQL at {POSTGRES_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run it, not skip it).")
        pytest.skip(message)
    name = f"tracker_two_servers_{os.getpid()}"
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    url = urllib.parse.urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    try:
        yield url
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def environment(database_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url, "DEBUG": "false", "DEMO_MODE": "false",
        "SECURE_COOKIES": "false", "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "the-same-key-on-both-servers-as-a-deployment-has",
    }  # fmt: skip


def manage(database_url: str, *arguments: str, stdin: str | None = None) -> str:
    return subprocess.run(  # noqa: S603 (this project's own manage.py)
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment(database_url),
        input=stdin, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


@pytest.fixture
def two_servers(database):
    manage(database, "migrate", "--no-input", "-v0")
    head = manage(database, "shell", stdin=SEED).strip().splitlines()[-1]
    servers, ports = [], [free_port(), free_port()]
    try:
        for port in ports:
            servers.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "tracker.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                    ],
                    cwd=ROOT,
                    env=environment(database),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
        for port in ports:
            wait_for(port)
        yield [f"http://127.0.0.1:{port}" for port in ports], head
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not start on port {port}")


class Browser:
    """A person at one server: cookies kept, redirects not followed, forms posted with CSRF."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, server: str):
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self.NoRedirects
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.server + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, form_page: str, data: dict) -> int:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(  # noqa: S310 (http to our own server)
            self.server + path, data=body, headers={"Referer": self.server + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:  # a redirect, not followed
            return error.code

    def sign_in(self, username: str) -> None:
        page = self.get("/accounts/login/")
        assert (
            self.post("/accounts/login/", page, {"username": username, "password": PASSWORD}) == 302
        )


def test_a_progress_update_made_through_one_server_is_in_the_report_the_other_serves(
    two_servers,
):
    (first, second), head = two_servers
    chair = Browser(second)
    chair.sign_in("chair")
    before = chair.get("/plans/ip/report/")
    assert "Two vacancies." in before

    owner = Browser(first)
    owner.sign_in(head)
    form = owner.get("/plans/ip/actions/1.1.1/update/")
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    status = owner.post(
        "/plans/ip/actions/1.1.1/update/", form,
        {"version": version, "status": "off_track", "commentary": "Agency staff start Monday."},
    )  # fmt: skip
    assert status == 302

    after = chair.get("/plans/ip/report/")
    assert "Agency staff start Monday." in after and "Two vacancies." not in after
