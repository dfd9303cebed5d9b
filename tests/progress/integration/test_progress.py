from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Action, ActionStatus, RecordIsFinal
from plans.roles import Role
from progress.models import ProgressUpdate
from progress.services import StaleVersion, action_record_progress
from tests.factories import ActionFactory, ObjectiveFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


@pytest.fixture
def owned():
    """An action of 'HoS Quality Assurance', held by a head of service, due in a month."""
    post = PostFactory(name="HoS Quality Assurance")
    head = UserFactory(role=Role.HEAD_OF_SERVICE)
    post.holders.add(head)
    objective = ObjectiveFactory(responsible_posts=[post], target_date=TODAY + timedelta(days=30))
    return ActionFactory(objective=objective), head


def record(action, by, **changes):
    values = {"version": action.version, "status": ActionStatus.ON_TRACK, "today": TODAY}
    return action_record_progress(action=action, by=by, **(values | changes))


def test_an_update_moves_the_action_on_and_keeps_who_and_when(owned):
    action, head = owned

    update = record(action, head, status=ActionStatus.AT_RISK, commentary="Staff shortage.")

    action.refresh_from_db()
    assert (action.status, action.version, action.commentary) == (
        ActionStatus.AT_RISK, 1, "Staff shortage."
    )  # fmt: skip
    assert update.version == 1 and update.created_by == head
    assert action.last_updated_by == head
    assert action.history.first().history_user == head


def test_a_revised_date_keeps_the_original_visible_and_needs_a_reason(owned):
    action, head = owned
    original = action.original_due_date
    later = TODAY + timedelta(days=90)

    with pytest.raises(ValidationError) as caught:
        record(action, head, revised_due_date=later, commentary="Delayed by recruitment.")
    assert "revision_reason" in caught.value.message_dict

    record(
        action, head, revised_due_date=later, revision_reason="Recruitment took longer.",
        commentary="Delayed by recruitment.",
    )  # fmt: skip
    action.refresh_from_db()
    assert action.deadline == later and action.original_due_date == original


@pytest.mark.parametrize("status", [ActionStatus.AT_RISK, ActionStatus.OFF_TRACK])
def test_at_risk_and_off_track_need_commentary(owned, status):
    action, head = owned
    with pytest.raises(ValidationError) as caught:
        record(action, head, status=status, commentary="  ")
    assert "commentary" in caught.value.message_dict
    assert not ProgressUpdate.objects.exists()


def test_an_overdue_action_needs_commentary_whatever_its_status(owned):
    action, head = owned
    action.due_date = TODAY - timedelta(days=1)
    action.save()
    with pytest.raises(ValidationError):
        record(action, head, status=ActionStatus.ON_TRACK)


def test_the_second_of_two_updates_from_the_same_version_is_told_and_nothing_is_lost(owned):
    action, head = owned
    first_view = Action.objects.get(pk=action.pk)
    second_view = Action.objects.get(pk=action.pk)

    record(first_view, head, status=ActionStatus.ON_TRACK, commentary="First.")
    with pytest.raises(StaleVersion) as caught:
        record(second_view, head, status=ActionStatus.OFF_TRACK, commentary="Second.")

    assert caught.value.action.version == 1
    assert caught.value.action.commentary == "First."
    assert list(ProgressUpdate.objects.values_list("commentary", flat=True)) == ["First."]


def test_someone_who_does_not_hold_the_action_cannot_update_it(owned):
    action, _ = owned
    other_head = UserFactory(role=Role.HEAD_OF_SERVICE)
    PostFactory(name="HoS Social Care").holders.add(other_head)
    board_member = UserFactory(role=Role.BOARD_MEMBER)

    for user in (other_head, board_member):
        with pytest.raises(PermissionDenied):
            record(action, user, commentary="Not mine.")
    action.refresh_from_db()
    assert action.version == 0 and not ProgressUpdate.objects.exists()


def test_a_performance_manager_can_update_any_action(owned):
    action, _ = owned
    record(action, UserFactory(role=Role.PERFORMANCE_MANAGER), commentary="Checked.")
    assert Action.objects.get(pk=action.pk).version == 1


def test_an_update_can_never_be_changed_or_deleted(owned):
    action, head = owned
    update = record(action, head, commentary="Said once.")

    update.commentary = "Said differently."
    with pytest.raises(RecordIsFinal):
        update.save()
    with pytest.raises(RecordIsFinal):
        update.delete()
    assert ProgressUpdate.objects.get().commentary == "Said once."


def test_the_history_answers_what_the_action_looked_like_on_a_past_date(owned):
    action, head = owned
    with time_machine.travel("2026-11-01 10:00Z"):
        record(action, head, status=ActionStatus.ON_TRACK, commentary="Going well.")
    with time_machine.travel("2026-11-20 10:00Z"):
        record(
            Action.objects.get(pk=action.pk), head, status=ActionStatus.OFF_TRACK,
            commentary="Slipped.",
        )  # fmt: skip

    on_the_10th = Action.history.as_of(datetime(2026, 11, 10, tzinfo=UTC)).get(pk=action.pk)
    assert on_the_10th.status == ActionStatus.ON_TRACK
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OFF_TRACK


def test_a_refused_update_leaves_no_evidence_file_behind(owned, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action, head = owned
    record(action, head, commentary="First.")

    with pytest.raises(StaleVersion):
        record(
            action, head, version=0, commentary="From an old page.",
            evidence_file=SimpleUploadedFile("late.pdf", b"%PDF-1.4"),
        )  # fmt: skip

    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
    assert ProgressUpdate.objects.count() == 1


def test_updates_cannot_be_rewritten_or_deleted_in_bulk_either(owned):
    action, head = owned
    record(action, head, commentary="Said once.")

    with pytest.raises(RecordIsFinal):
        ProgressUpdate.objects.filter(action=action).update(commentary="Rewritten.")
    with pytest.raises(RecordIsFinal):
        ProgressUpdate.objects.all().delete()
    assert ProgressUpdate.objects.get().commentary == "Said once."


def test_a_reason_without_a_revised_date_is_pointed_out(owned):
    action, head = owned
    with pytest.raises(ValidationError) as caught:
        record(action, head, commentary="Fine.", revision_reason="Because.")
    assert "revised_due_date" in caught.value.message_dict


def test_the_admin_cannot_revert_an_action_to_an_earlier_state(owned, client):
    action, head = owned
    record(action, head, status=ActionStatus.AT_RISK, commentary="Short of staff.")
    first = action.history.earliest("history_date")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    client.post(
        f"/admin/plans/action/{action.pk}/history/{first.history_id}/",
        {"description": first.description, "reference": first.reference},
    )

    action.refresh_from_db()
    assert (action.status, action.version) == (ActionStatus.AT_RISK, 1)
    record(action, head, status=ActionStatus.ON_TRACK, commentary="Recovered.")  # still works
