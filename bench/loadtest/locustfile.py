"""The tracker's load test: three kinds of people on scale-10 data (docs/loadtest.md).

Run by bench/loadtest/run.py, which builds the data, starts gunicorn and passes:

- LOADTEST_ACCOUNTS: the JSON file bench/loadtest/prepare.py wrote (accounts, their plans, actions);
- LOADTEST_PASSWORD: the password prepare.py gave those accounts;
- LOADTEST_THINK: seconds a person spends on a page before the next one, "MIN-MAX" (default 3-9);
- LOADTEST_STEPS (only for the stepped run): users per step, e.g. "75,100,150,200", with
  LOADTEST_STEP_SECONDS (how long each step is measured; default 60), LOADTEST_STEP_SETTLE
  (seconds after a step's users are all running before its measurement starts; default 15),
  LOADTEST_SPAWN_RATE (users started a second; default 2), LOADTEST_STEP_LIMIT_MS (default
  2000) and LOADTEST_STEPS_OUT (the JSON file each step's figures go to). The run stops after
  the first step whose p95 over all requests passes the limit.

Every simulated person signs in once, through the real sign-in form, then repeats their
journey, with a think time between pages:

- head of service (weight 7): My actions, one of their actions, sometimes (1 in 3) a progress
  update through the real form (status, commentary, now and then a revised due date with its
  reason or an evidence link), then the plan's action list;
- board member (weight 2): the exception report for the next board, an objective's page,
  sometimes (1 in 3) a download: the report as PDF or XLSX, or the board pack as PDF or Word.
  PDF and Word papers are made by the Celery worker: the person follows the build's status
  each second until the file is ready ("[name] ready" times the whole wait);
- performance manager (weight 1): the action list filtered and sorted, the indicators page, the
  report as at a date in the past year, and that report's XLSX.

Requests are named by endpoint (the URL with [plan] and [ref] in it), so p95 is per endpoint.
Anything but the answer the page should give is a failure: any status but 200 (redirects are
not followed, so a bounce to the sign-in page fails), a download of the wrong type, a form
that comes back with errors, a sign-in that does not land on the home page.
"""

import html
import itertools
import json
import os
import random
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from locust import HttpUser, LoadTestShape, task
from locust.exception import StopUser

ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text())
PASSWORD = os.environ["LOADTEST_PASSWORD"]
THINK = tuple(float(s) for s in os.environ.get("LOADTEST_THINK", "3-9").split("-"))

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# How long a person waits for a paper made in the background before calling it a failure.
PAPER_WAIT_SECONDS = 180
HTML = "text/html"

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ERROR_SUMMARY = "govuk-error-summary"
STATUSES = ["on_track", "on_track", "on_track", "at_risk", "off_track"]
COMMENTARY = [
    "Progress this fortnight: the team met and agreed the next steps.",
    "On track: the briefing sessions are booked and the guidance is drafted.",
    "Slower than planned while a vacancy is filled; the recovery plan is agreed.",
    "The audit this month looked at 12 cases; findings go to the service managers.",
]

# One account per simulated person while there are enough; the n-th person of a kind takes the
# n-th account of that kind (then they wrap round, and two people share an account).
_counters = {kind: itertools.count() for kind in ACCOUNTS}
# Actions with an update in flight: two people never post to one action at once, which the app
# would rightly refuse as a stale version (progress.services.StaleVersion).
_updating: set[tuple[str, str]] = set()


# Which action, page or wait: chance, not secrets.
RNG = random.Random()  # noqa: S311


def today():
    """The server's day (the tracker works in London time)."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def next_account(kind: str) -> dict:
    accounts = ACCOUNTS[kind]
    return accounts[next(_counters[kind]) % len(accounts)]


def think():
    time.sleep(RNG.uniform(*THINK))


class TrackerUser(HttpUser):
    abstract = True
    kind = ""

    def wait_time(self):
        return RNG.uniform(*THINK)

    def on_start(self):
        self.account = next_account(self.kind)
        self.plan = self.account["plan"]
        form = self.page("/accounts/login/", "/accounts/login/")
        token = self.csrf(form)
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token or "",
                "username": self.account["username"],
                "password": PASSWORD,
                "next": "",
            },
            name="/accounts/login/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or response.headers.get("Location") != "/":
                response.failure(f"sign-in as {self.account['username']} refused "
                                 f"({response.status_code})")  # fmt: skip
                raise StopUser()
            response.success()
        think()

    def csrf(self, text: str | None) -> str | None:
        found = CSRF.search(text or "")
        return found.group(1) if found else None

    def page(self, url: str, name: str, content_type: str = HTML) -> str | None:
        """GET url; a failure unless 200 with the expected type. The page's text, for HTML."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {where}".strip())
                return None
            if not response.headers.get("Content-Type", "").startswith(content_type):
                response.failure(f"expected {content_type}, got "
                                 f"{response.headers.get('Content-Type')}")  # fmt: skip
                return None
            if content_type == HTML and len(response.content) < 500:
                response.failure("page too short")
                return None
            response.success()
            return response.text if content_type == HTML else ""

    def paper(self, url: str, name: str, content_type: str) -> None:
        """A PDF or Word paper, made in the background: the download address answers 303 to
        the build's page; its status is asked each second until ready, then the file is
        fetched. Each request is timed under its own name, and the whole wait as
        "[name] ready" (from asking to the file in hand)."""
        started = time.perf_counter()
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            build = response.headers.get("Location", "")
            if response.status_code != 303 or "/papers/" not in build:
                response.failure(f"expected 303 to the build, got {response.status_code} {build}")
                return
            response.success()
        for _ in range(PAPER_WAIT_SECONDS):
            with self.client.get(
                f"{build}status.json",
                name="/plans/[plan]/papers/[id]/status.json",
                catch_response=True,
            ) as response:
                state = response.json().get("state") if response.status_code == 200 else None
                if state == "failed" or state is None:
                    response.failure(f"build {state or response.status_code}")
                    return
                response.success()
            if state == "ready":
                break
            time.sleep(1)
        else:
            self.environment.events.request.fire(
                request_type="PAPER", name=f"{name} ready", response_time=0, response_length=0,
                exception=RuntimeError(f"not ready in {PAPER_WAIT_SECONDS} s"), context={},
            )  # fmt: skip
            return
        self.page(f"{build}file/", "/plans/[plan]/papers/[id]/file/", content_type)
        self.environment.events.request.fire(
            request_type="PAPER", name=f"{name} ready",
            response_time=(time.perf_counter() - started) * 1000, response_length=0,
            exception=None, context={},
        )  # fmt: skip


class HeadOfService(TrackerUser):
    weight = 7
    kind = "heads"

    @task
    def journey(self):
        plan = self.plan
        mine = self.page("/my-actions/", "/my-actions/")
        if mine is None:
            return
        links = sorted(set(re.findall(rf'href="/plans/{plan}/actions/([^/"]+)/"', mine)))
        if links:
            think()
            reference = html.unescape(RNG.choice(links))
            self.page(f"/plans/{plan}/actions/{reference}/", "/plans/[plan]/actions/[ref]/")
        if RNG.random() < 1 / 3:
            think()
            self.update_progress()
        think()
        self.page(f"/plans/{plan}/actions/", "/plans/[plan]/actions/")

    def update_progress(self):
        free = [r for r in self.account["actions"] if (self.plan, r) not in _updating]
        if not free:
            return
        reference = RNG.choice(free)
        key = (self.plan, reference)
        _updating.add(key)
        try:
            self._update(reference)
        finally:
            _updating.discard(key)

    def _update(self, reference: str):
        url = f"/plans/{self.plan}/actions/{reference}/update/"
        name = "/plans/[plan]/actions/[ref]/update/"
        form = self.page(url, name)
        if form is None:
            return
        token, version = self.csrf(form), VERSION.search(form)
        if not token or not version:
            return
        data = {
            "csrfmiddlewaretoken": token,
            "version": version.group(1),
            "status": RNG.choice(STATUSES),
            "commentary": RNG.choice(COMMENTARY),
            # The GOV.UK date input posts the day, month and year apart.
            "revised_due_date_day": "",
            "revised_due_date_month": "",
            "revised_due_date_year": "",
            "revision_reason": "",
            "evidence_link": "",
        }
        if RNG.random() < 0.2:
            later = today() + timedelta(days=RNG.randint(30, 180))
            data |= {
                "revised_due_date_day": str(later.day),
                "revised_due_date_month": str(later.month),
                "revised_due_date_year": str(later.year),
            }
            data["revision_reason"] = "Partner sign-off moved to their next governance meeting."
        if RNG.random() < 0.2:
            data["evidence_link"] = "https://example.org/evidence/briefing-notes"
        think()  # filling in the form
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            action_url = f"/plans/{self.plan}/actions/{reference}/"
            if response.status_code == 302 and response.headers.get("Location") == action_url:
                response.success()
            elif response.status_code == 200 and ERROR_SUMMARY in response.text:
                problems = re.findall(r'<a href="#id_[^"]+">([^<]+)</a>', response.text)
                response.failure(f"update refused: {'; '.join(problems) or 'conflict'}")
                return
            else:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
                return
        # The browser follows the redirect back to the action, which shows the update.
        self.page(action_url, "/plans/[plan]/actions/[ref]/")


class BoardMember(TrackerUser):
    weight = 2
    kind = "board"

    @task
    def journey(self):
        plan = self.plan
        self.page(f"/plans/{plan}/report/", "/plans/[plan]/report/")
        think()
        objective = RNG.choice(self.account["objectives"])
        self.page(f"/plans/{plan}/objectives/{objective}/", "/plans/[plan]/objectives/[ref]/")
        if RNG.random() < 1 / 3:
            think()
            chosen = RNG.random()
            if chosen < 0.25:
                self.paper(f"/plans/{plan}/report.pdf", "/plans/[plan]/report.pdf", PDF)
            elif chosen < 0.5:
                self.page(f"/plans/{plan}/report.xlsx", "/plans/[plan]/report.xlsx", XLSX)
            elif chosen < 0.75:  # the whole pack, as the chair takes it to the meeting
                self.paper(f"/plans/{plan}/board-pack.pdf", "/plans/[plan]/board-pack.pdf", PDF)
            else:
                self.paper(f"/plans/{plan}/board-pack.docx", "/plans/[plan]/board-pack.docx", DOCX)


class PerformanceManager(TrackerUser):
    weight = 1
    kind = "performance"

    @task
    def journey(self):
        plan = self.plan
        status = RNG.choice(["on_track", "at_risk", "off_track", "not_started"])
        sort = RNG.choice(["due_by", "-due_by", "status", "priority_area"])
        self.page(
            f"/plans/{plan}/actions/?status={status}&sort={sort}",
            "/plans/[plan]/actions/?status&sort",
        )
        think()
        self.page(f"/plans/{plan}/indicators/", "/plans/[plan]/indicators/")
        think()
        as_at = today() - timedelta(days=RNG.randint(7, 365))
        query = f"?meeting=&as_at={as_at:%d/%m/%Y}"
        self.page(f"/plans/{plan}/report/{query}", "/plans/[plan]/report/?as_at")
        think()
        self.page(f"/plans/{plan}/report.xlsx{query}", "/plans/[plan]/report.xlsx?as_at", XLSX)


# ---------------------------------------------------------------------------------------------
# The stepped run: more users each step until p95 passes the limit.

STEPS = [int(n) for n in os.environ.get("LOADTEST_STEPS", "").split(",") if n.strip()]

if STEPS:

    class StepLoad(LoadTestShape):
        """Each step: spawn up to its users (new ones sign in), let them settle, reset the
        stats and measure for LOADTEST_STEP_SECONDS; write the step's figures; stop after the
        first step past the limit."""

        measure = float(os.environ.get("LOADTEST_STEP_SECONDS", "60"))
        settle = float(os.environ.get("LOADTEST_STEP_SETTLE", "15"))
        limit_ms = float(os.environ.get("LOADTEST_STEP_LIMIT_MS", "2000"))
        out = Path(os.environ.get("LOADTEST_STEPS_OUT", "steps.json"))
        spawn_rate = float(os.environ.get("LOADTEST_SPAWN_RATE", "2"))

        def __init__(self):
            super().__init__()
            self.step = 0
            self.step_started = None
            self.spawned_at = None  # when the step's users were all running
            self.measuring_since = None
            self.results = []

        def tick(self):
            if self.step >= len(STEPS):
                return None
            users, now, runner = STEPS[self.step], time.monotonic(), self.runner
            if self.step_started is None:
                self.step_started = now
            if self.spawned_at is None:
                # All running, or as many as will be (a refused sign-in stops its user).
                late = now - self.step_started > users / self.spawn_rate + 60
                if runner.user_count >= users or late:
                    self.spawned_at = now
            elif self.measuring_since is None:
                if now - self.spawned_at >= self.settle:
                    runner.stats.reset_all()
                    self.measuring_since = now
            elif now - self.measuring_since >= self.measure:
                result = step_figures(runner.stats, users, now - self.measuring_since)
                self.results.append(result)
                self.out.write_text(json.dumps(self.results, indent=1))
                print(
                    f"step {users} users: {result['requests']} requests, "
                    f"{result['rps']:.2f} req/s, {result['failures']} failures, "
                    f"p95 {result['p95_ms']:.0f} ms",
                    flush=True,
                )
                self.step += 1
                self.step_started = self.spawned_at = self.measuring_since = None
                if result["p95_ms"] > self.limit_ms:
                    return None
                return self.tick()
            return users, self.spawn_rate


def step_figures(stats, users: int, seconds: float) -> dict:
    total = stats.total
    endpoints = {
        f"{entry.method} {entry.name}": {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
        }
        for entry in stats.entries.values()
        if entry.num_requests
    }
    return {
        "users": users,
        "seconds": round(seconds, 1),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / seconds if seconds else 0.0,
        "p50_ms": total.get_response_time_percentile(0.5) or 0,
        "p95_ms": total.get_response_time_percentile(0.95) or 0,
        "endpoints": endpoints,
        "errors": [
            {"name": f"{e.method} {e.name}", "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
        ],
    }
