"""Whether an action needs a progress update for a board meeting (product rule 5), in one place.
Updates are gathered for the Improvement Board; the Scrutiny Panel tracks recommendations.

My actions, the exception report and the pack, their counts, and the reminders' "update before
the board" requests all ask these functions, so they cannot disagree:
- an update is expected for a meeting since the committee's meeting before it (`previous_meeting`);
- an update made on that earlier meeting's day or later counts (`updates_count_from`);
- a complete action never needs an update; with no earlier meeting, an action never updated does.

The latest update's moment is read from the action itself (`last_updated_at`, kept in step with
its latest progress update and recorded in its history), so the rule reads the same live and as at
a past date.
"""

from datetime import date, datetime

from django.utils import timezone

from plans.as_at import end_of_day, objects_as_at
from plans.dates import long_date
from plans.models import Action, ActionStatus, BoardMeeting, Committee, Plan


def next_meeting(plan: Plan, *, today: date) -> BoardMeeting | None:
    """The Improvement Board meeting updates are being gathered for: the next one on or after
    `today`, else the latest one held."""
    meetings = plan.board_meetings.filter(committee=Committee.IMPROVEMENT_BOARD)
    return (
        meetings.filter(date__gte=today).order_by("date").first()
        or meetings.order_by("-date").first()
    )


def meeting_gathering_updates(plan: Plan, *, today: date) -> BoardMeeting | None:
    """The Improvement Board meeting whose papers updates made today go into: the first whose
    papers are not yet due (an update on the papers' day is in them), else the latest held."""
    meetings = plan.board_meetings.filter(committee=Committee.IMPROVEMENT_BOARD)
    return (
        meetings.filter(papers_due__gte=today).order_by("date").first()
        or meetings.order_by("-date").first()
    )


def previous_meeting(
    plan: Plan, *, as_at: date, meeting: BoardMeeting | None, meetings=None
) -> BoardMeeting | None:
    """The meeting updates are expected since, from the meetings as they were recorded at the
    end of `as_at` (so a meeting added or moved later cannot rewrite an old report): the
    committee's last meeting before this one and before `as_at`; for a date alone, the last
    Improvement Board before that date. `meetings`: those, when the caller has read them."""
    committee = meeting.committee if meeting else Committee.IMPROVEMENT_BOARD
    before = min(meeting.date, as_at) if meeting else as_at
    if meetings is None:
        meetings = meetings_as_at(plan, as_at)
    earlier = [m for m in meetings if m.committee == committee and m.date < before]
    return max(earlier, key=lambda m: m.date, default=None)


def meetings_as_at(plan: Plan, as_at: date) -> list[BoardMeeting]:
    """The plan's meetings as they were recorded at the end of `as_at`."""
    return objects_as_at(BoardMeeting, end_of_day(as_at), plan_id=plan.pk)


def updates_count_from(previous: BoardMeeting | None) -> datetime | None:
    """The first moment of the earlier meeting's day: an update made then or later counts."""
    if previous is None:
        return None
    return timezone.make_aware(datetime.combine(previous.date, datetime.min.time()))


def missing_update(action: Action, *, since: datetime | None) -> str:
    """Why the action needs an update, in words, or "" when it does not."""
    if not needs_update(action, since=since):
        return ""
    if since is None:
        return "No progress update yet"
    when = long_date(timezone.localdate(since))
    return f"No progress update since the previous meeting ({when})"


def needs_update(action: Action, *, since: datetime | None) -> bool:
    # Without missing_update's words: a report asks this of every action, some twice.
    if action.status == ActionStatus.COMPLETE:
        return False
    last = action.last_updated_at
    if since is None:
        return not last
    return last is None or last < since
