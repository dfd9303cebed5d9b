"""Celery tasks for the indicators: thin, calling indicators.services."""

from celery import shared_task
from django.utils import timezone

from indicators.services import abandoned_uploads_remove


@shared_task
def abandoned_uploads_remove_task():
    """Checked uploads nobody confirmed within a day, removed with their files."""
    return abandoned_uploads_remove(now=timezone.now())
