"""Board papers made in the background: a PDF or Word paper is a build a worker makes (here in
the test process, eager) while its page shows how far it has got; a second request joins it;
settled papers are made once; a lost build starts again; publishing stores one pack."""

import io
import os
import threading
from datetime import date, timedelta

import docx
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import TestCase
from django.utils import timezone

import boards.builds
from access.models import AuditEvent, AuditKind
from boards.builds import (
    LOST,
    STEPS,
    TOO_MANY_ATTEMPTS,
    BuildTakenOver,
    paper_build_request,
    paper_build_run,
    paper_builds_remove_old,
)
from boards.filters import ItemFilter
from boards.models import (
    ATTEMPTS_ALLOWED,
    QUEUED_LOST_AFTER,
    BuildState,
    PackKind,
    PaperBuild,
    PublishedPack,
)
from boards.tasks import paper_build_task
from plans.roles import Role
from tests.factories import PlanFactory, UserFactory
from tests.papers import build_page, fetch_paper, start_paper
from tests.pdf_text import pdf_text
from tests.report_world import TODAY, at, make_plan_world, new_action, update

pytestmark = pytest.mark.django_db

PACK_DOCX = "/plans/ip/board-pack.docx"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan, objective, head, meeting = make_plan_world()
    overdue = new_action(objective, "1.1.1", due_date=date(2026, 11, 1))
    update(overdue, head, at(date(2026, 10, 20)), commentary="Waiting for the new system.")
    with time_machine.travel(at(TODAY, 12), tick=True):
        yield {
            "plan": plan, "meeting": meeting,
            "chair": UserFactory(role=Role.BOARD_MEMBER, username="chair"),
            "member": UserFactory(role=Role.BOARD_MEMBER, username="member"),
            "manager": UserFactory(role=Role.PERFORMANCE_MANAGER),
        }  # fmt: skip


def ask(client, url, data=None):
    """Ask for a paper without running its task: (the response, the tasks queued on commit)."""
    with TestCase.captureOnCommitCallbacks() as queued:
        response = client.get(url, data)
    return response, queued


def status(client, build):
    return client.get(f"/plans/ip/papers/{build.pk}/status.json").json()


def test_asking_for_a_pdf_only_queues_its_build_and_leads_to_its_page(client, world, monkeypatch):
    def no_weasyprint_here(html):
        raise AssertionError("the request made a PDF")

    monkeypatch.setattr(boards.builds, "pdf_from_html", no_weasyprint_here)
    client.force_login(world["chair"])

    response, queued = ask(client, "/plans/ip/board-pack.pdf", {"meeting": world["meeting"].pk})

    build = PaperBuild.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/plans/ip/papers/{build.pk}/"
    assert len(queued) == 1 and build.state == BuildState.QUEUED
    assert (build.as_at, build.meeting, build.asked_by) == (TODAY, world["meeting"], world["chair"])
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start preparing the board pack." in page
    assert 'aria-live="polite"' in page and "Check again" in page
    assert 'http-equiv="refresh"' not in page  # the script asks; the page never reloads itself


def test_the_page_shows_each_step_then_the_download(client, world, celery_eager, monkeypatch):
    client.force_login(world["chair"])
    seen = []

    def watching(step):
        def run(build, work):
            page = client.get(f"/plans/ip/papers/{build.pk}/").content.decode()
            seen.append((status(client, build)["step"], page))
            step(build, work)

        return run

    steps = STEPS[PackKind.BOARD_PACK, "docx"]
    watched = [(name, watching(step)) for name, step in steps]
    monkeypatch.setitem(STEPS, (PackKind.BOARD_PACK, "docx"), watched)

    page = build_page(client, start_paper(client, PACK_DOCX)).content.decode()

    assert [number for number, _ in seen] == [1, 2, 3]
    assert "Preparing the board pack: step 1 of 4, reading the papers from history." in seen[0][1]
    assert "step 2 of 4, putting together the pack&#x27;s tables." in seen[1][1]
    assert "step 3 of 4, making the Word document." in seen[2][1]
    assert "The board pack is ready." in page and "Download the board pack (Word document, " in page
    build = PaperBuild.objects.get()
    assert (build.state, build.step, build.attempts, build.worker_pid) == ("ready", 4, 1, None)
    assert status(client, build)["finished"] is True
    download = client.get(f"/plans/ip/papers/{build.pk}/file/")
    assert download["Content-Disposition"] == 'attachment; filename="ip-board-pack-2026-11-22.docx"'
    assert docx.Document(io.BytesIO(download.content)).paragraphs


def test_the_status_answers_the_pages_script_with_the_same_words(client, world):
    client.force_login(world["chair"])
    ask(client, PACK_DOCX)
    build = PaperBuild.objects.get()
    PaperBuild.objects.filter(pk=build.pk).update(
        state=BuildState.BUILDING, step=2, step_name="putting together the pack's tables"
    )

    answer = status(client, build)

    assert (answer["state"], answer["step"], answer["steps"], answer["finished"]) == (
        "building", 2, 4, False,
    )  # fmt: skip
    assert "Preparing the board pack: step 2 of 4" in answer["html"]
    assert client.get(f"/plans/ip/papers/{build.pk}/file/").status_code == 404  # not yet


def test_a_second_request_for_the_same_papers_waits_for_the_first_build(
    client, world, celery_eager
):
    client.force_login(world["chair"])
    first, queued_first = ask(client, PACK_DOCX, {"meeting": world["meeting"].pk})
    client.force_login(world["member"])  # someone else, the same papers
    second, queued_second = ask(client, PACK_DOCX, {"meeting": world["meeting"].pk})

    assert first["Location"] == second["Location"]
    assert (len(queued_first), len(queued_second)) == (1, 0)  # one task
    queued_first[0]()  # the worker runs it
    build = PaperBuild.objects.get()
    assert (build.state, build.attempts) == (BuildState.READY, 1)
    # The member reads the build the chair started, and downloads it as themselves.
    assert client.get(f"/plans/ip/papers/{build.pk}/file/").status_code == 200


def test_a_request_that_loses_the_race_to_start_a_build_joins_it(world, monkeypatch):
    first, started = paper_build_request(
        plan=world["plan"], meeting=world["meeting"], as_at=TODAY, kind=PackKind.BOARD_PACK,
        file_format="pdf", by=world["chair"],
    )  # fmt: skip
    # As if the second request looked before the first one's row was written.
    monkeypatch.setattr(boards.builds, "_in_progress", missed_once(boards.builds._in_progress))

    second, started_again = paper_build_request(
        plan=world["plan"], meeting=world["meeting"], as_at=TODAY, kind=PackKind.BOARD_PACK,
        file_format="pdf", by=world["member"],
    )  # fmt: skip

    assert (started, started_again, second.pk) == (True, False, first.pk)
    assert PaperBuild.objects.count() == 1


def missed_once(look):
    calls = []

    def looking(key):
        calls.append(key)
        return None if len(calls) == 1 else look(key)

    return looking


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_start_one_build(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan, _, head, meeting = make_plan_world()
    barrier, found, errors = threading.Barrier(6), [], []

    def request():
        try:
            barrier.wait()
            found.append(paper_build_request(
                plan=plan, meeting=meeting, as_at=TODAY, kind=PackKind.BOARD_PACK,
                file_format="pdf", by=head,
            ))  # fmt: skip
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len({build.pk for build, _ in found}) == 1
    assert sum(started for _, started in found) == 1
    assert PaperBuild.objects.count() == 1


def test_settled_papers_are_made_once_and_served_to_later_requests(client, world, celery_eager):
    client.force_login(world["chair"])
    past = {"meeting": "", "as_at": "01/11/2026"}  # settled: history cannot change it now

    first = fetch_paper(client, PACK_DOCX, past)
    second, queued = ask(client, PACK_DOCX, past)

    build = PaperBuild.objects.get()
    assert build.settled and build.as_at == date(2026, 11, 1)
    assert second["Location"] == f"/plans/ip/papers/{build.pk}/" and queued == []
    assert client.get(f"/plans/ip/papers/{build.pk}/file/").content == first.content


def test_papers_as_at_today_are_made_again_for_each_request_after_a_build(
    client, world, celery_eager
):
    client.force_login(world["chair"])

    fetch_paper(client, PACK_DOCX)
    fetch_paper(client, PACK_DOCX)

    assert list(PaperBuild.objects.values_list("state", "settled")) == [("ready", False)] * 2


def test_a_build_made_before_its_day_settled_is_not_served_once_it_has(client, world, celery_eager):
    with time_machine.travel(at(TODAY, 23, 30), tick=False):
        client.force_login(world["chair"])
        fetch_paper(client, PACK_DOCX, {"as_at": "22/11/2026"})
    with time_machine.travel(at(TODAY + timedelta(days=1), 9), tick=False):
        client.force_login(world["chair"])
        fetch_paper(client, PACK_DOCX, {"as_at": "22/11/2026"})

    assert list(PaperBuild.objects.order_by("pk").values_list("settled", flat=True)) == [
        False, True,
    ]  # fmt: skip


def test_a_build_with_no_progress_for_longer_than_a_task_may_run_is_started_again(
    client, world, settings
):
    client.force_login(world["chair"])
    ask(client, PACK_DOCX)
    lost = PaperBuild.objects.get()
    PaperBuild.objects.filter(pk=lost.pk).update(state=BuildState.BUILDING, step=2, attempts=1)
    later = timezone.now() + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)

    with time_machine.travel(later, tick=False):
        page = client.get(f"/plans/ip/papers/{lost.pk}/").content.decode()
        again, queued = ask(client, PACK_DOCX)

    assert "No worker has made progress on it" in page and "Try again" in page
    lost.refresh_from_db()
    assert (lost.state, lost.error) == (BuildState.FAILED, LOST)
    fresh = PaperBuild.objects.exclude(pk=lost.pk).get()
    assert again["Location"] == f"/plans/ip/papers/{fresh.pk}/" and len(queued) == 1
    assert paper_build_run(lost.pk) == ""  # its old message, if it ever runs, does nothing


def test_a_paper_waiting_in_a_busy_queue_is_not_lost(client, world, settings):
    client.force_login(world["chair"])
    ask(client, PACK_DOCX)
    waiting = PaperBuild.objects.get()  # queued: no worker has taken it yet
    behind = timezone.now() + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * 5)

    with time_machine.travel(behind, tick=False):
        status = client.get(f"/plans/ip/papers/{waiting.pk}/status.json").json()
        again, queued = ask(client, PACK_DOCX)

    assert (status["state"], status["finished"]) == ("queued", False)  # the page keeps asking
    assert again["Location"] == f"/plans/ip/papers/{waiting.pk}/" and queued == []
    with time_machine.travel(timezone.now() + QUEUED_LOST_AFTER + timedelta(seconds=1)):
        ask(client, PACK_DOCX)  # a message gone for longer than Redis keeps one: start again
    waiting.refresh_from_db()
    assert (waiting.state, PaperBuild.objects.count()) == (BuildState.FAILED, 2)


def test_a_paper_whose_worker_dies_each_time_is_not_tried_for_ever(client, world):
    client.force_login(world["chair"])
    ask(client, PACK_DOCX)
    build = PaperBuild.objects.get()
    PaperBuild.objects.filter(pk=build.pk).update(
        state=BuildState.BUILDING, attempts=ATTEMPTS_ALLOWED
    )  # as after its worker was killed that many times

    assert paper_build_run(build.pk) == ""  # the message comes back once more: not run

    build.refresh_from_db()
    assert (build.state, build.error, build.attempts) == (
        BuildState.FAILED, TOO_MANY_ATTEMPTS, ATTEMPTS_ALLOWED,
    )  # fmt: skip


def test_a_reader_of_another_plan_cannot_see_a_build(client, world):
    client.force_login(world["chair"])
    ask(client, PACK_DOCX)
    build = PaperBuild.objects.get()
    PaperBuild.objects.filter(pk=build.pk).update(state=BuildState.READY)
    outsider = UserFactory(role=Role.BOARD_MEMBER)
    outsider.member_of_plans.set([PlanFactory(reference="other")])
    client.force_login(outsider)

    for address in ("", "status.json", "file/"):
        assert client.get(f"/plans/ip/papers/{build.pk}/{address}").status_code == 404
        assert client.get(f"/plans/other/papers/{build.pk}/{address}").status_code == 404


def test_a_failed_build_says_what_happened_and_tries_again(client, world, monkeypatch):
    def broken(build, work):
        raise ValueError("the template has a typo")

    client.force_login(world["chair"])
    steps = STEPS[PackKind.EXCEPTION_REPORT, "docx"]
    failing = [steps[0], ("making the Word document", broken)]
    monkeypatch.setitem(STEPS, (PackKind.EXCEPTION_REPORT, "docx"), failing)
    response, _ = ask(client, "/plans/ip/report.docx", {"kind": "action", "rag": "red"})
    assert paper_build_run(PaperBuild.objects.get().pk) == BuildState.FAILED  # as a worker would
    page = client.get(response["Location"]).content.decode()

    build = PaperBuild.objects.get()
    assert build.state == BuildState.FAILED and build.worker_pid is None
    assert "The exception report could not be made." in page
    assert "Step 2 of 3 (making the Word document) stopped with an error." in page
    assert "the template has a typo" not in page  # the details are in the worker's log
    again = f"/plans/ip/report.docx?rag=red&amp;kind=action&amp;meeting={world['meeting'].pk}"
    assert f'href="{again}&amp;as_at=22%2F11%2F2026">Try again' in page
    # Back to the report these papers are of: its meeting, date and filters.
    back = (
        f"/plans/ip/report/?meeting={world['meeting'].pk}&amp;as_at=22/11/2026"
        "&amp;rag=red&amp;kind=action"
    )
    assert f'<a href="{back}" class="govuk-back-link">' in page
    monkeypatch.undo()
    retried, queued = ask(client, again.replace("&amp;", "&") + "&as_at=22/11/2026")
    assert len(queued) == 1 and PaperBuild.objects.count() == 2
    assert PaperBuild.objects.latest("pk").query == build.query == "rag=red&kind=action"


def test_the_filters_are_kept_as_a_query_and_read_back_the_same():
    chosen = ItemFilter(area="2", post="HoS Early Help", rag="red", sort="due")

    assert chosen.query == "area=2&post=HoS+Early+Help&rag=red&sort=due"
    assert ItemFilter.from_query(chosen.query) == chosen
    assert ItemFilter().query == "" and ItemFilter.from_query("") == ItemFilter()


def test_the_filtered_report_pdf_keeps_only_the_chosen_items(client, world, celery_eager):
    client.force_login(world["chair"])

    everything = fetch_paper(client, "/plans/ip/report.pdf")
    filtered = fetch_paper(client, "/plans/ip/report.pdf", {"post": "Nobody's post"})

    assert "1.1.1" in pdf_text(everything.content)
    assert "1.1.1" not in pdf_text(filtered.content)
    assert "Exceptions shown (filtered)" in " ".join(pdf_text(filtered.content).split())


def test_downloading_someone_elses_pack_is_logged_as_the_downloader(client, world, celery_eager):
    client.force_login(world["chair"])
    fetch_paper(client, PACK_DOCX)
    build = PaperBuild.objects.get()
    client.force_login(world["member"])

    client.get(f"/plans/ip/papers/{build.pk}/file/")

    logged = AuditEvent.objects.filter(kind=AuditKind.DOWNLOAD).order_by("pk")
    assert [(event.username, event.what) for event in logged] == [
        ("chair", "board pack ip-board-pack-2026-11-22.docx"),
        ("member", "board pack ip-board-pack-2026-11-22.docx"),
    ]


def test_a_publish_build_run_twice_publishes_one_pack(client, world, monkeypatch):
    monkeypatch.setattr(boards.builds, "pdf_from_html", lambda html: b"%PDF-1.7 the pack")
    client.force_login(world["manager"])
    url = f"/plans/ip/meetings/{world['meeting'].pk}/publish/"
    with TestCase.captureOnCommitCallbacks() as queued:
        response = client.post(url, {"kind": PackKind.BOARD_PACK})
    build = PaperBuild.objects.get()

    assert response.status_code == 303 and len(queued) == 1 and PublishedPack.objects.count() == 0
    assert paper_build_run(build.pk) == BuildState.READY
    assert paper_build_run(build.pk) == ""  # the message delivered twice: nothing more
    pack = PublishedPack.objects.get()
    build.refresh_from_db()
    assert (build.published, build.attempts, pack.published_by) == (pack, 1, world["manager"])
    assert (pack.kind, pack.as_at, pack.size) == (PackKind.BOARD_PACK, TODAY, 17)
    page = client.get(response["Location"]).content.decode()
    assert "The board pack is published for the" in page and f"/published/{pack.pk}.pdf" in page


def test_a_publish_build_taken_over_mid_way_publishes_once(client, world, monkeypatch):
    """A message given back while its first run still goes on (a worker thought lost): the
    second run claims the build; the first finds it taken over and stops before storing."""
    client.force_login(world["manager"])
    with TestCase.captureOnCommitCallbacks():
        client.post(f"/plans/ip/meetings/{world['meeting'].pk}/publish/", {"kind": "board_pack"})
    build = PaperBuild.objects.get()
    runs = []

    def pdf(html):
        runs.append(html)
        if len(runs) == 1:
            assert paper_build_run(build.pk) == BuildState.READY  # the second run, meanwhile
        return b"%PDF-1.7 the pack"

    monkeypatch.setattr(boards.builds, "pdf_from_html", pdf)

    assert paper_build_run(build.pk) == ""  # the first run stops: taken over

    build.refresh_from_db()
    assert (build.state, build.attempts, len(runs)) == (BuildState.READY, 2, 2)
    assert PublishedPack.objects.count() == 1
    assert sorted(default_storage.listdir("board-packs")[1]) == [
        PublishedPack.objects.get().file.name.split("/")[-1]
    ]  # the first run stored nothing


def test_an_attempt_taken_over_cannot_finish_the_build(world):
    build, _ = paper_build_request(
        plan=world["plan"], meeting=world["meeting"], as_at=TODAY, kind=PackKind.BOARD_PACK,
        file_format="docx", by=world["chair"],
    )  # fmt: skip
    mine = boards.builds._claim(build.pk)
    boards.builds._claim(build.pk)  # another attempt

    with pytest.raises(BuildTakenOver):
        boards.builds._store(mine, b"PK the document")

    assert PaperBuild.objects.get().state == BuildState.BUILDING
    assert (
        not default_storage.exists("paper-builds")
        or default_storage.listdir("paper-builds")[1] == []
    )


def test_builds_and_their_files_are_removed_a_day_after_they_last_changed(world, celery_eager):
    now = timezone.now()
    old, _ = paper_build_request(
        plan=world["plan"], meeting=None, as_at=TODAY, kind=PackKind.BOARD_PACK,
        file_format="docx", by=world["chair"], now=now - timedelta(days=2),
    )  # fmt: skip
    paper_build_task.delay(old.pk)
    PaperBuild.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=1, minutes=1))
    recent, _ = paper_build_request(
        plan=world["plan"], meeting=world["meeting"], as_at=TODAY, kind=PackKind.BOARD_PACK,
        file_format="docx", by=world["chair"],
    )  # fmt: skip
    paper_build_task.delay(recent.pk)
    recent.refresh_from_db()
    old_file = PaperBuild.objects.get(pk=old.pk).file.name
    stray = default_storage.save("paper-builds/stray.docx", ContentFile(b"left by a kill"))
    two_days_ago = (now - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(stray), (two_days_ago, two_days_ago))

    assert paper_builds_remove_old(now=now) == 1

    assert list(PaperBuild.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not default_storage.exists(old_file) and not default_storage.exists(stray)
    assert default_storage.exists(recent.file.name)


def test_a_filter_of_any_length_is_kept_on_every_database(client, world):
    client.force_login(world["chair"])

    response, queued = ask(client, "/plans/ip/report.pdf", {"post": "A post " * 250})

    assert response.status_code == 303 and len(queued) == 1
    assert len(PaperBuild.objects.get().query) > 1500
