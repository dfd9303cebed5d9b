"""Celery tasks for the papers: thin, calling boards.papers and boards.builds."""

from celery import shared_task
from django.utils import timezone

from boards.builds import paper_build_run, paper_builds_remove_old
from boards.papers import record_previous_papers, record_travel_papers


@shared_task
def record_previous_papers_task():
    """The previous meetings' papers today's reports compare with, and those each plan's
    direction of travel shows, recorded once settled."""
    today = timezone.localdate()
    return record_previous_papers(today=today) + record_travel_papers(today=today)


@shared_task
def paper_build_task(build_id: int):
    """Make a board paper (PDF or Word) for the page waiting for it. Given back to the queue if
    its worker dies (CELERY_TASK_REJECT_ON_WORKER_LOST): the build's row decides who finishes."""
    return paper_build_run(build_id)


@shared_task
def paper_builds_remove_task():
    """Papers made in the background over a day ago, removed with their files."""
    return paper_builds_remove_old(now=timezone.now())
