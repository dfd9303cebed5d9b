"""Reminders by email: which are due on a day (the rules), queuing them as rows, and sending.

The rules (docs/rag-rules.md says the same in words), for a plan whose reminders are not paused:
- due soon: once per action and due date, from N days before the date (default 14);
- overdue: one digest per person listing all their overdue actions, when an action of theirs
  is newly overdue or their last overdue digest was M or more days ago (default 7);
- escalation: once per action and due date, when it has been overdue K days (default 28), to the
  holders of the owning posts' escalation contact, copied to the owners;
- update request: once per meeting, from X working days before its papers are due (default 10),
  to owners of unfinished actions with no update since the previous meeting.
Each rule catches up after a missed day: a reminder due on a day the sweep did not run goes out
on the next run, never twice (the row's unique key sees to that).
"""

import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from plans.models import (
    Action,
    ActionStatus,
    BoardMeeting,
    Plan,
    Reminder,
    ReminderKind,
    ReminderSettings,
    ReminderState,
)


def working_days_before(day: date, count: int) -> date:
    """The date `count` working days (Monday to Friday) before `day`."""
    while count > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@dataclass
class DueReminder:
    """A reminder the rules say is due, before it is a row."""

    kind: str
    recipient: object  # a user
    subject_key: str
    period: str
    actions: list[Action]
    cc: list[str] = field(default_factory=list)


def _holders(action: Action) -> list:
    return sorted(
        {user for post in action.responsible_posts() for user in post.holders.all() if user.email},
        key=lambda user: user.pk,
    )


def _actions(plan: Plan):
    return list(
        Action.objects.filter(objective__plan=plan)
        .exclude(status=ActionStatus.COMPLETE)
        .select_related("objective__plan")
        .prefetch_related(
            "owners__holders",
            "owners__escalation_contact__holders",
            "objective__responsible_posts__holders",
            "objective__responsible_posts__escalation_contact__holders",
            "updates",
        )
        .order_by("objective__position", "position", "pk")
    )


def due_reminders(plan: Plan, *, today: date) -> list[DueReminder]:
    """Every reminder the rules say is due for `plan` on `today` (sent ones included)."""
    rules = ReminderSettings.for_plan(plan)
    if rules.paused:
        return []
    actions = _actions(plan)
    due = []
    overdue_by_person = defaultdict(list)
    for action in actions:
        deadline = action.deadline
        if deadline is None:
            continue
        days_left = (deadline - today).days
        if 0 <= days_left <= rules.due_soon_days:
            due += [
                DueReminder(
                    ReminderKind.DUE_SOON, user, f"action:{action.pk}", str(deadline), [action]
                )  # fmt: skip
                for user in _holders(action)
            ]
        if days_left < 0:
            for user in _holders(action):
                overdue_by_person[user].append(action)
            if -days_left >= rules.escalation_days:
                due += _escalations(action, deadline)
    due += _overdue_digests(plan, overdue_by_person, today, rules.overdue_every_days)
    due += _update_requests(plan, actions, today, rules.update_request_working_days)
    return due


def _escalations(action: Action, deadline: date) -> list[DueReminder]:
    owners = _holders(action)
    contacts = {
        user
        for post in action.responsible_posts()
        if post.escalation_contact
        for user in post.escalation_contact.holders.all()
        if user.email
    }
    return [
        DueReminder(
            ReminderKind.ESCALATION,
            user,
            f"action:{action.pk}",
            str(deadline),
            [action],
            cc=[owner.email for owner in owners if owner != user],
        )  # fmt: skip
        for user in sorted(contacts, key=lambda user: user.pk)
    ]


def _overdue_digests(plan, overdue_by_person, today: date, every_days: int) -> list[DueReminder]:
    """A digest for each person with an action newly overdue since their last digest, or whose
    last digest is `every_days` old."""
    previous = defaultdict(list)
    earlier_digests = Reminder.objects.filter(
        plan=plan, kind=ReminderKind.OVERDUE, recipient__in=overdue_by_person
    ).exclude(state=ReminderState.CANCELLED)
    for reminder in earlier_digests.order_by("period").prefetch_related("actions"):
        previous[reminder.recipient_id].append(reminder)
    due = []
    for user, actions in overdue_by_person.items():
        earlier = previous[user.pk]
        last = earlier[-1] if earlier else None
        told = {action.pk for reminder in earlier for action in reminder.actions.all()}
        newly_overdue = any(action.pk not in told for action in actions)
        if (
            last is None
            or newly_overdue
            or date.fromisoformat(last.period) <= today - timedelta(days=every_days)
        ):
            digest = f"digest:{plan.pk}"  # one per plan: someone may own actions in two
            due.append(DueReminder(ReminderKind.OVERDUE, user, digest, str(today), actions))
    return due


def _update_requests(plan, actions, today: date, working_days: int) -> list[DueReminder]:
    due = []
    for meeting in BoardMeeting.objects.filter(plan=plan, papers_due__gte=today):
        if today < working_days_before(meeting.papers_due, working_days):
            continue
        previous = meeting.previous()
        since = timezone.make_aware(datetime.combine(previous.date, time.min)) if previous else None
        by_person = defaultdict(list)
        for action in actions:
            updates = list(action.updates.all())
            if since is None or not updates or updates[-1].created_at < since:
                for user in _holders(action):
                    by_person[user].append(action)
        due += [
            DueReminder(
                ReminderKind.UPDATE_REQUEST,
                user,
                f"meeting:{meeting.pk}",
                str(meeting.papers_due),
                person_actions,
            )  # fmt: skip
            for user, person_actions in by_person.items()
        ]
    return due


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


# Pausing a plan holds what is already queued too: nothing of it is claimed until it resumes.
# An EXISTS on the settings, not a join: a join turns the claim's UPDATE into "id IN (subquery)",
# which PostgreSQL does not re-check against a row another worker has just claimed.
SENDABLE = Q(state__in=[ReminderState.PENDING, ReminderState.CLAIMED]) & ~Exists(
    ReminderSettings.objects.filter(plan=OuterRef("plan"), paused=True)
)


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


def reminders_to_send(*, now: datetime):
    """Rows due to go: pending and not waiting for a retry, or claimed by a worker that died."""
    return Reminder.objects.filter(
        SENDABLE,
        Q(state=ReminderState.PENDING, not_before__lte=now)
        | Q(state=ReminderState.CLAIMED, lease_until__lt=now),
    ).values_list("pk", flat=True)


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


def reminders_seen_by(user, plan: Plan):
    """The plan's reminders a user may see in the log: all of them for those who manage
    reminders, otherwise the ones sent to them or copying them in."""
    reminders = Reminder.objects.filter(plan=plan)
    if not user.has_perm("plans.manage_reminders"):
        reminders = reminders.filter(Q(recipient=user) | _copies(user.email))
    return reminders.select_related("recipient").prefetch_related(
        Prefetch("actions", Action.objects.select_related("objective__plan"))
    )


SUBJECTS = {
    ReminderKind.DUE_SOON: "Due soon: {count} action{s} in {plan}",
    ReminderKind.OVERDUE: "Overdue: {count} action{s} in {plan}",
    ReminderKind.ESCALATION: "Escalation: {count} action{s} overdue {days} or more in {plan}",
    ReminderKind.UPDATE_REQUEST: "Please update {count} action{s} before the board papers are due",
}


@dataclass
class ReminderLine:
    action: Action
    due: date | None
    days_overdue: int
    update_url: str


def reminder_email(reminder: Reminder) -> EmailMultiAlternatives:
    """The email for a reminder row: text and HTML, each action with a link to update it."""
    day = reminder.day
    actions = list(
        reminder.actions.select_related("objective__plan").prefetch_related(
            "owners", "objective__responsible_posts"
        )
    )
    lines = [
        ReminderLine(
            action=action,
            due=action.deadline,
            days_overdue=max((day - action.deadline).days, 0) if action.deadline else 0,
            update_url=settings.SITE_URL
            + reverse(
                "plans:action_update",
                kwargs={"plan": action.objective.plan.reference, "reference": action.reference},
            ),
        )
        for action in actions
    ]
    posts = _posts_behind(reminder, actions)
    days = _days(ReminderSettings.for_plan(reminder.plan).escalation_days)
    context = {
        "reminder": reminder,
        "lines": lines,
        "intro": _intro(reminder, len(lines), days),
        "why": _why(reminder, posts, len(lines)),
        "plan": reminder.plan,
        "site_url": settings.SITE_URL,
    }
    subject = SUBJECTS[reminder.kind].format(
        count=len(lines), s="" if len(lines) == 1 else "s", plan=reminder.plan.title, days=days
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/reminder-body.txt", context),
        to=[reminder.email],
        cc=reminder.copied_to,
    )
    message.attach_alternative(render_to_string("emails/reminder-body.html", context), "text/html")
    return message


def _posts_behind(reminder: Reminder, actions: list[Action]) -> list[str]:
    """The posts that make the recipient receive it: those of the actions' posts they hold, or,
    for an escalation, those whose escalation contact they hold (all of them, if they have since
    left the posts)."""
    held = {post.pk for post in reminder.recipient.posts.all()}
    posts = {post for action in actions for post in action.responsible_posts()}
    if reminder.kind == ReminderKind.ESCALATION:
        theirs = {post for post in posts if post.escalation_contact_id in held}
    else:
        theirs = {post for post in posts if post.pk in held}
    return sorted(post.name for post in (theirs or posts))


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _intro(reminder: Reminder, count: int, escalation_days: str) -> str:
    """What the email is about, in one sentence (the same in its text and HTML parts)."""
    these = "This action" if count == 1 else "These actions"
    if reminder.kind == ReminderKind.DUE_SOON:
        return f"{these} {'is' if count == 1 else 'are'} due soon."
    if reminder.kind == ReminderKind.OVERDUE:
        its = "its" if count == 1 else "their"
        return (
            f"{these} {'is' if count == 1 else 'are'} past {its} due date and not complete. "
            "An overdue action is rated Red whatever its status."
        )
    if reminder.kind == ReminderKind.ESCALATION:
        has = "has" if count == 1 else "have"
        return f"{these} {has} been overdue for {escalation_days} or more."
    papers_due = _long_date(date.fromisoformat(reminder.period))
    return (
        f"The papers for the board are due on {papers_due}. Please update {these.lower()}: "
        "there has been no update since the previous meeting."
    )


def _why(reminder: Reminder, posts: list[str], count: int) -> str:
    """Why the recipient is receiving it, and why anyone copied in is."""
    names, owns = ", ".join(posts), "owns" if len(posts) == 1 else "own"
    these = "this action" if count == 1 else "these actions"
    if reminder.kind == ReminderKind.ESCALATION:
        copied = " The people who hold those posts are copied in." if reminder.cc else ""
        return f"you hold the escalation contact post for {names}, which {owns} {these}.{copied}"
    return f"you hold {names}, which {owns} {these} in {reminder.plan.title}."


def _copies(address: str) -> Q:
    """Reminders copying in `address`: one whole line of `cc`, not part of a longer address."""
    if not address:
        return Q(pk__in=[])
    # Ignoring case, as mail servers do (and the same on SQLite and PostgreSQL).
    return (
        Q(cc__iexact=address) | Q(cc__istartswith=f"{address}\n")
        | Q(cc__iendswith=f"\n{address}") | Q(cc__icontains=f"\n{address}\n")
    )  # fmt: skip
