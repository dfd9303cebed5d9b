"""Board papers made in the background, fetched as a reader does: the download address starts
(or joins) the build and leads to its page, which links to the file once it is made. With the
`celery_eager` fixture the task runs in the test process, when the request's transaction would
commit; the real worker is tests/boards/integration/test_paper_worker.py."""

import re

from django.test import TestCase

from tracker.celery import app


def start_paper(client, url: str, data=None, *, post: bool = False):
    """Ask for a paper (GET a download address, or POST to publish); the response leads to the
    build's page. Tasks queued on commit run at the end, as after the request's commit."""
    assert app.conf.task_always_eager, "use the celery_eager fixture"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = (client.post if post else client.get)(url, data)
    return response


def build_page(client, response):
    """The build's page a download or publish request led to."""
    assert response.status_code == 303, (response.status_code, response.get("Location"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


def fetch_paper(client, url: str, data=None):
    """The file of a PDF or Word paper, through its build's page (made: the task has run)."""
    page = build_page(client, start_paper(client, url, data))
    link = re.search(r'href="(/plans/[^"]+/papers/\d+/file/)"', page.content.decode())
    assert link, "the build's page links to its file once it is made"
    download = client.get(link.group(1))
    assert download.status_code == 200
    return download
