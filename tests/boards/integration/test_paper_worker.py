"""The board pack's PDF made by a real Celery worker (a separate process, prefork pool) from a
real Redis queue; and the same with the pool's child killed mid-build: the message comes back
(acknowledged late, given back when its worker is lost) and the pack is made again, once.

The worker pauses at the start of each step (PAPER_BUILD_TEST_PAUSE, tests only), so that the
kill lands while the row says the build is under way."""

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from boards.builds import paper_build_request
from boards.models import BuildState, PackKind, PaperBuild
from tests.celery_redis import redis_producer
from tests.pdf_text import pdf_info, pdf_text
from tests.reminders.integration.test_worker import database_url, stop, wait_until
from tests.report_world import TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db(transaction=True)
# A database of its own, apart from the reminders' worker tests (db 14) and benchmark (13).
REDIS_URL = os.environ.get("TEST_PAPERS_REDIS_URL", "redis://127.0.0.1:6379/12")
ROOT = Path(settings.BASE_DIR)
TASK = "boards.tasks.paper_build_task"


@pytest.fixture
def redis_queue():
    """Real Redis, emptied; the test process sends the task there, as the web would."""
    yield from redis_producer(REDIS_URL)


@pytest.fixture
def pack_build(settings, tmp_path):
    """A build of the board pack's PDF, queued by a board member, its files in `tmp_path`."""
    settings.MEDIA_ROOT = tmp_path
    plan, objective, head, meeting = make_plan_world()
    overdue = new_action(objective, "1.1.1", due_date=date(2026, 11, 1))
    update(overdue, head, at(date(2026, 10, 20)), commentary="Waiting for the new system.")
    build, started = paper_build_request(
        plan=plan, meeting=meeting, as_at=TODAY, kind=PackKind.BOARD_PACK, file_format="pdf",
        by=head,
    )  # fmt: skip
    assert started
    return build


def start_worker(media_root: Path) -> subprocess.Popen:
    environment = os.environ | {
        "DATABASE_URL": database_url(), "REDIS_URL": REDIS_URL, "MEDIA_ROOT": str(media_root),
        "PAPER_BUILD_TEST_PAUSE": "1", "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }  # fmt: skip
    return subprocess.Popen(  # noqa: S603 (our own worker, fixed arguments)
        [sys.executable, "-m", "celery", "--app", "tracker", "worker", "--pool", "prefork",
         "--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=environment, start_new_session=True,
    )  # fmt: skip


def row(build: PaperBuild) -> PaperBuild:
    return PaperBuild.objects.get(pk=build.pk)


def finished(build: PaperBuild) -> bool:
    return row(build).state in (BuildState.READY, BuildState.FAILED)


def assert_one_good_pack(build: PaperBuild, media_root: Path) -> str:
    made = row(build)
    assert made.state == BuildState.READY, made.error
    (stored,) = (media_root / "paper-builds").iterdir()  # one file, no leftovers
    assert stored == Path(made.file.path) and made.worker_pid is None
    content = stored.read_bytes()
    assert pdf_info(content)["Tagged"] == "yes"
    text = " ".join(pdf_text(content).split())
    assert "Board pack" in text and "Improvement Board, Tuesday 15 December 2026" in text
    return text


def test_the_worker_makes_the_pack_step_by_step(redis_queue, pack_build, tmp_path):
    worker = start_worker(tmp_path)
    try:
        redis_queue.send_task(TASK, [pack_build.pk])
        assert wait_until(lambda: finished(pack_build), 120)
    finally:
        stop(worker)

    assert_one_good_pack(pack_build, tmp_path)
    made = row(pack_build)
    assert (made.attempts, made.step, made.steps, made.settled) == (1, 4, 4, True)


def test_a_worker_killed_mid_build_makes_the_pack_again_once(redis_queue, pack_build, tmp_path):
    worker = start_worker(tmp_path)
    try:
        redis_queue.send_task(TASK, [pack_build.pk])
        under_way = wait_until(
            lambda: row(pack_build).state == BuildState.BUILDING and row(pack_build).step >= 1,
            90,
        )  # fmt: skip
        assert under_way, "the worker began the build"
        killed = row(pack_build)
        os.kill(killed.worker_pid, signal.SIGKILL)  # the pool's child, mid-build
        assert wait_until(lambda: finished(pack_build), 180)
    finally:
        stop(worker)

    print(f"\nKilled the worker's child {killed.worker_pid} at step {killed.step}")
    assert killed.worker_pid != worker.pid  # the child making it, not the worker itself
    assert_one_good_pack(pack_build, tmp_path)
    assert row(pack_build).attempts == 2  # the message came back once, and made it once
