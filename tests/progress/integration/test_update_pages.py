from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from plans.models import Action
from plans.roles import Role
from progress.evidence import MAX_EVIDENCE_BYTES
from progress.models import ProgressUpdate
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/plans/plan/actions/1.1.1/update/"


@pytest.fixture
def head_and_action(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    post = PostFactory(name="HoS Quality Assurance")
    head = UserFactory(role=Role.HEAD_OF_SERVICE)
    post.holders.add(head)
    objective = ObjectiveFactory(
        priority_area__plan=PlanFactory(reference="plan"),
        reference="1.1",
        responsible_posts=[post],
        target_date=timezone.localdate() + timedelta(days=30),
    )
    return head, ActionFactory(objective=objective, reference="1.1.1"), tmp_path


def post_update(client, version, **fields):
    return client.post(URL, {"status": "on_track", "version": version} | fields)


def test_two_people_on_the_same_version_the_second_is_shown_the_first_change(head_and_action):
    head, action, _ = head_and_action
    manager = UserFactory(role=Role.PERFORMANCE_MANAGER)
    first, second = Client(), Client()
    first.force_login(head)
    second.force_login(manager)
    assert first.get(URL).status_code == second.get(URL).status_code == 200

    saved = post_update(first, 0, status="at_risk", commentary="Recruitment is slow.")
    clashed = post_update(second, 0, status="complete", commentary="All done.")

    assert saved.status_code == 302
    page = clashed.content.decode()
    assert clashed.status_code == 200
    assert "updated this action while you were editing. Your update was not saved." in page
    assert "Recruitment is slow." in page and "All done." in page  # theirs, and yours kept
    assert 'name="version" value="1"' in page
    # Saving again from the new version works, and both changes are in the history.
    assert post_update(second, 1, status="complete", commentary="All done.").status_code == 302
    assert list(ProgressUpdate.objects.values_list("commentary", flat=True)) == [
        "Recruitment is slow.",
        "All done.",
    ]


def test_an_error_summary_links_to_each_field(client, head_and_action):
    head, _, _ = head_and_action
    client.force_login(head)

    page = post_update(client, 0, status="off_track", commentary="").content.decode()

    assert "There is a problem" in page
    assert 'href="#id_commentary"' in page
    assert "Say why the action is off track and what will be done." in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.pdf", b"<html><body>not a pdf</body></html>", "is not a PDF"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES, "larger than 10 MB"),
    ],
)
def test_bad_evidence_is_refused_clearly_and_nothing_is_stored(
    client, head_and_action, name, content, message
):
    head, action, media = head_and_action
    client.force_login(head)

    response = post_update(client, 0, evidence_file=SimpleUploadedFile(name, content))

    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert Action.objects.get(pk=action.pk).version == 0
    assert not any(media.rglob("*"))


def test_a_path_like_evidence_name_never_reaches_the_disk(client, head_and_action):
    head, _, media = head_and_action
    client.force_login(head)

    post_update(client, 0, evidence_file=SimpleUploadedFile("../../x/report.pdf", b"%PDF-1.4"))

    update = ProgressUpdate.objects.get()
    assert update.evidence_filename == "report.pdf"
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert [p.parent.name for p in stored] == ["evidence"]
    assert stored[0].name != "report.pdf"  # a generated name


def test_the_conflict_shows_every_update_made_in_between(head_and_action):
    head, _, _ = head_and_action
    browser_a, browser_b = Client(), Client()
    browser_a.force_login(head)
    browser_b.force_login(head)
    post_update(browser_a, 0, commentary="First in between.")
    post_update(browser_a, 1, commentary="Second in between.")

    page = post_update(browser_b, 0, commentary="Mine.").content.decode()

    assert "First in between." in page and "Second in between." in page


def test_my_actions_lists_only_what_the_user_may_update(client, head_and_action):
    _, action, _ = head_and_action
    board_member = UserFactory(role=Role.BOARD_MEMBER)
    action.objective.responsible_posts.first().holders.add(board_member)
    client.force_login(board_member)

    assert client.get("/").status_code == 302 and client.get("/").url != "/my-actions/"
    assert "1.1.1" not in client.get("/my-actions/").content.decode()


def test_a_missing_evidence_file_is_a_clear_404(client, head_and_action):
    head, _, media = head_and_action
    client.force_login(head)
    post_update(client, 0, evidence_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()

    response = client.get(f"/evidence/{ProgressUpdate.objects.get().pk}/")

    assert response.status_code == 404


def test_commentary_longer_than_a_board_paper_can_hold_is_refused_and_nothing_saved(
    client, head_and_action
):
    head, action, _ = head_and_action
    client.force_login(head)

    response = post_update(client, action.version, commentary="x" * 4001)

    assert "Keep this to 4000 characters (it has 4001)." in response.content.decode()
    assert not action.updates.exists()
