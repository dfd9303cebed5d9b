"""A reminder row as an email: text and HTML, each action with a link to update it."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from plans.dates import long_date
from plans.models import Action
from reminders.models import Reminder, ReminderKind, ReminderSettings

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
                "progress:action_update",
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
        body=render_to_string("reminders/emails/body.txt", context),
        to=[reminder.email],
        cc=reminder.copied_to,
    )
    message.attach_alternative(render_to_string("reminders/emails/body.html", context), "text/html")
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
    papers_due = long_date(date.fromisoformat(reminder.period))
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
