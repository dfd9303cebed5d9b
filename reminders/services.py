"""Writes: queuing due reminders as rows (each at most once, ever), claiming and sending them,
and the plan's reminder settings. How sending stays exactly-once: docs/decisions.md."""

import smtplib
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from plans.models import Plan
from reminders.due import DueReminder, due_reminders
from reminders.emails import reminder_email
from reminders.models import Reminder, ReminderSettings, ReminderState
from reminders.selectors import SENDABLE, reminders_to_send


def reminders_queue(plan: Plan, due: list[DueReminder], *, today: date) -> list[Reminder]:
    """Store each due reminder as a row, unless its row exists: the new rows, to send."""
    created = []
    for reminder in due:
        try:
            with transaction.atomic():
                row = Reminder.objects.create(
                    plan=plan, kind=reminder.kind, recipient=reminder.recipient,
                    subject_key=reminder.subject_key, period=reminder.period, day=today,
                    email=reminder.recipient.email, cc="\n".join(reminder.cc),
                )  # fmt: skip
                row.actions.set(reminder.actions)
        except IntegrityError:
            continue  # already queued by an earlier or a concurrent sweep: never twice
        created.append(row)
    return created


def reminders_sweep(*, today: date) -> list[Reminder]:
    """Queue every plan's due reminders for `today`; the new rows."""
    return [
        row
        for plan in Plan.objects.all()
        for row in reminders_queue(plan, due_reminders(plan, today=today), today=today)
    ]


# Sending. A worker claims a row with a conditional UPDATE (pending, or claimed with its lease
# run out), sends it, then marks it sent. A worker that dies mid-send leaves its claim to lapse,
# and the row is sent again: the one window for a duplicate is a crash after the mail server
# accepted a message and before the row was marked sent (docs/decisions.md).
LEASE = timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
RETRY_AFTER = [timedelta(seconds=seconds) for seconds in settings.REMINDER_RETRY_SECONDS]
MAX_ATTEMPTS = 10


def reminder_claim(reminder_id: int, *, now: datetime) -> bool:
    claimable = Q(state=ReminderState.PENDING, not_before__lte=now) | Q(
        state=ReminderState.CLAIMED, lease_until__lt=now
    )
    claimed = (
        Reminder.objects.filter(SENDABLE, claimable, pk=reminder_id)
        .update(state=ReminderState.CLAIMED, lease_until=now + LEASE, attempts=F("attempts") + 1)
    )  # fmt: skip
    return claimed == 1


def reminder_send(reminder_id: int, *, now: datetime | None = None) -> str:
    """Claim, send and mark one reminder; its state afterwards ("" if another worker has it)."""
    now = now or timezone.now()
    if not reminder_claim(reminder_id, now=now):
        return ""
    reminder = Reminder.objects.select_related("recipient", "plan").get(pk=reminder_id)
    try:
        sent, refused = _deliver(reminder_email(reminder))
    except smtplib.SMTPRecipientsRefused as error:
        return _finish(reminder, ReminderState.FAILED, _refusals(error.recipients))
    except (smtplib.SMTPException, OSError) as error:
        if reminder.attempts >= MAX_ATTEMPTS:
            gave_up = f"{type(error).__name__}: {error}"
            return _finish(reminder, ReminderState.FAILED, gave_up)
        delay = RETRY_AFTER[min(reminder.attempts, len(RETRY_AFTER)) - 1]
        Reminder.objects.filter(pk=reminder.pk, state=ReminderState.CLAIMED).update(
            state=ReminderState.PENDING, not_before=now + delay, lease_until=None,
            dispatched_at=None, last_error=f"{type(error).__name__}: {error}"[:1000],
        )  # fmt: skip
        return ReminderState.PENDING
    if not sent:
        return _finish(reminder, ReminderState.FAILED, "The recipient has no email address.")
    if reminder.email in refused:  # the copies went, but not to the person it is for
        return _finish(reminder, ReminderState.FAILED, _refusals(refused))
    # Sent; a refused copy is noted beside it.
    note = _refusals(refused) if refused else ""
    return _finish(reminder, ReminderState.SENT, note, sent_at=timezone.now())


def _deliver(message: EmailMultiAlternatives) -> tuple[int, dict]:
    """Send; the number sent and the addresses the mail server refused. Django's SMTP backend
    raises only when every address is refused, so an escalation whose contact was refused but
    whose copies went would pass for sent: the connection's sendmail is wrapped to keep them."""
    refused = {}
    with get_connection() as connection:
        server = getattr(connection, "connection", None)  # smtplib.SMTP, for the SMTP backend
        if server is not None:
            sendmail = server.sendmail

            def sendmail_keeping_refusals(*args, **kwargs):
                refused.update(sendmail(*args, **kwargs))
                return refused

            server.sendmail = sendmail_keeping_refusals
        message.connection = connection
        return message.send(), refused


def _refusals(refused: dict) -> str:
    """{address: (code, reply)} as words."""
    return "; ".join(
        f"The address {address} was refused: {code} {_text(reply)}"
        for address, (code, reply) in refused.items()
    )


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _finish(reminder: Reminder, state: str, error: str, sent_at=None) -> str:
    Reminder.objects.filter(pk=reminder.pk, state=ReminderState.CLAIMED).update(
        state=state, last_error=error[:1000], sent_at=sent_at, lease_until=None
    )
    return state


def reminders_to_dispatch(*, now: datetime) -> list[int]:
    """Rows due to go that no dispatch handed to the queue within a lease, marked as handed
    out: a backlog that takes longer than a minute to send is not queued again every minute."""
    handed_out_lately = Q(dispatched_at__gte=now - LEASE)
    ids = list(reminders_to_send(now=now).exclude(handed_out_lately))
    Reminder.objects.filter(pk__in=ids).update(dispatched_at=now)
    return ids


def reminder_settings_save(rules: ReminderSettings, *, by, was_paused: bool, today: date):
    """Save a plan's reminder settings (history keeps who changed what); resuming a paused
    plan cancels what the pause held, in the same transaction."""
    rules._history_user = by
    with transaction.atomic():
        rules.save()
        if was_paused and not rules.paused:
            reminders_cancel_held(rules.plan, resumed_on=today)


def reminders_cancel_held(plan: Plan, *, resumed_on: date) -> int:
    """On resuming a paused plan, the reminders it held are not sent: they may be stale (a
    "due soon" for a date now past, a digest listing actions since completed). The next sweep
    queues what is due then."""
    return Reminder.objects.filter(plan=plan, state=ReminderState.PENDING).update(
        state=ReminderState.CANCELLED,
        last_error=f"Reminders were paused; resumed on {resumed_on:%d/%m/%Y}.",
    )


def reminder_send_again(reminder: Reminder) -> bool:
    """A failed reminder back in the queue, to the recipient's address as it is now (a refused
    address is usually corrected first). False if it had not failed."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, state=ReminderState.FAILED).update(
            state=ReminderState.PENDING,
            email=reminder.recipient.email,
            attempts=0,
            not_before=timezone.now(),
            dispatched_at=None,
            last_error="",
        )  # fmt: skip
    )
