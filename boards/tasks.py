"""Celery tasks for the papers: thin, calling boards.papers."""

from celery import shared_task
from django.utils import timezone

from boards.papers import record_previous_papers


@shared_task
def record_previous_papers_task():
    """The previous meetings' papers today's reports compare with, recorded once settled."""
    return record_previous_papers(today=timezone.localdate())
