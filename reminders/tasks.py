"""Celery tasks for reminders: thin, taking ids and calling reminders.services."""

from celery import shared_task
from django.utils import timezone

from reminders.services import reminder_send, reminders_sweep, reminders_to_dispatch


@shared_task
def reminders_sweep_task():
    """Queue today's reminders, then send everything waiting."""
    reminders_sweep(today=timezone.localdate())
    reminders_dispatch_task.delay()


@shared_task
def reminders_dispatch_task():
    """One send task per reminder waiting to go. A reminder queued twice is still sent once:
    only one worker can claim it."""
    for reminder_id in reminders_to_dispatch(now=timezone.now()):
        reminder_send_task.delay(reminder_id)


@shared_task
def reminder_send_task(reminder_id: int):
    return reminder_send(reminder_id)
