"""A board member waits for the board pack's PDF in a real browser: the page's script follows
the build (made here by the test, as a worker would) in its live region without reloading,
then offers the download; a build that failed offers to try again. axe finds nothing, at 1280
and at 320 px."""

import re
from types import SimpleNamespace

import pytest
from django.utils import timezone

import boards.views
from boards.builds import paper_build_request, paper_build_run
from boards.models import BuildState, PackKind, PaperBuild
from demo.loading import DEMO_PLAN_REFERENCE
from plans.models import BoardMeeting, Plan
from plans.roles import Role
from tests.e2e.checks import assert_accessible
from tests.e2e.test_plan_pages import sign_in
from tests.pdf_text import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pack_build(member, file_format="pdf") -> PaperBuild:
    plan = Plan.objects.get(reference=DEMO_PLAN_REFERENCE)
    today = timezone.localdate()
    meeting = BoardMeeting.objects.filter(plan=plan, date__gte=today).order_by("date").first()
    build, started = paper_build_request(
        plan=plan, meeting=meeting, as_at=meeting.as_at(today), kind=PackKind.BOARD_PACK,
        file_format=file_format, by=member,
    )  # fmt: skip
    assert started  # queued, and no worker here: the test makes it below
    return build


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_papers_page_follows_the_build_then_offers_the_download(page, demo):
    member = sign_in(page, demo, Role.BOARD_MEMBER)
    build = pack_build(member)
    address = f"{demo}/plans/{DEMO_PLAN_REFERENCE}/papers/{build.pk}/"
    page.goto(address)
    region = page.locator("[aria-live=polite]")
    assert "Waiting to start preparing the board pack." in region.inner_text()
    assert_accessible(page)

    PaperBuild.objects.filter(pk=build.pk).update(
        state=BuildState.BUILDING, step=2, step_name="laying out the pack"
    )
    page.get_by_text("Preparing the board pack: step 2 of 4, laying out the pack.").wait_for()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    assert fits_the_screen(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    assert paper_build_run(build.pk) == BuildState.READY  # as a worker would
    download_link = page.get_by_role("link", name=re.compile("^Download the board pack"))
    download_link.wait_for(timeout=30_000)
    assert page.url == address  # the script updated the page; it never reloaded
    assert_accessible(page)
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert "Board pack" in pdf_text(download.value.path().read_bytes())

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert_accessible(page)
    assert fits_the_screen(page)


def test_a_failed_build_says_so_and_offers_to_try_again(page, demo, monkeypatch):
    queued = []
    # No worker here: the view's name for the task is replaced, not the task object, which
    # the live server's thread may resolve through another Celery app (a thread-local).
    monkeypatch.setattr(boards.views, "paper_build_task", SimpleNamespace(
        delay_on_commit=queued.append
    ))  # fmt: skip
    member = sign_in(page, demo, Role.BOARD_MEMBER)
    build = pack_build(member, "docx")
    PaperBuild.objects.filter(pk=build.pk).update(
        state=BuildState.FAILED,
        error="Step 3 of 4 (making the Word document) stopped with an error. Try again.",
    )

    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{demo}/plans/{DEMO_PLAN_REFERENCE}/papers/{build.pk}/")
        assert "The board pack could not be made." in page.locator("main").inner_text()
        assert_accessible(page)
        assert fits_the_screen(page)

    page.get_by_role("link", name="Try again").click()
    page.get_by_text("Waiting to start preparing the board pack.").wait_for()
    again = PaperBuild.objects.get(state=BuildState.QUEUED)
    assert queued == [again.pk] and (again.kind, again.file_format) == ("board_pack", "docx")
