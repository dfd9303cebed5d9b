"""Which reminders are due on a day: the rules, before anything is queued or sent.

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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from plans.models import Action, ActionStatus, BoardMeeting, Committee, Plan
from plans.updates_due import needs_update, previous_meeting, updates_count_from
from reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderState


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
    # Updates are asked for the Improvement Board (plans/updates_due.py), as My actions shows.
    meetings = BoardMeeting.objects.filter(
        plan=plan, committee=Committee.IMPROVEMENT_BOARD, papers_due__gte=today
    )
    for meeting in meetings:
        if today < working_days_before(meeting.papers_due, working_days):
            continue
        # The papers for this meeting ask for updates since the same earlier meeting.
        previous = previous_meeting(plan, as_at=meeting.as_at(today), meeting=meeting)
        since = updates_count_from(previous)
        by_person = defaultdict(list)
        for action in actions:
            if needs_update(action, since=since):
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
