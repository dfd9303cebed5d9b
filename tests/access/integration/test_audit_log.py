"""The audit log: sign-ins (and refusals) and sign-outs, roles and posts given or taken away
with who did it, and board pack and evidence downloads; the admin reads and filters it and
cannot change it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone
from simple_history.models import HistoricalRecords

from access.models import AuditEvent, AuditKind
from plans.roles import Role
from progress.models import ProgressUpdate
from tests.factories import ActionFactory, ObjectiveFactory, PlanFactory, PostFactory, UserFactory
from tests.report_world import make_plan_world

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def logged(kind):
    return list(AuditEvent.objects.filter(kind=kind).values_list("username", "what"))


def test_sign_ins_refusals_and_sign_outs_are_logged_with_the_name_given(client):
    user = UserFactory(role=Role.BOARD_MEMBER, username="chair")
    client.post("/accounts/login/", {"username": "chair", "password": "wrong"})
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    client.post("/accounts/login/", {"username": "chair", "password": PASSWORD})
    client.post("/accounts/logout/")

    assert logged(AuditKind.SIGN_IN_FAILED) == [
        ("nobody", "sign-in refused"), ("chair", "sign-in refused"),
    ]  # fmt: skip
    assert logged(AuditKind.SIGN_IN) == [("chair", "signed in with a password")]
    assert logged(AuditKind.SIGN_OUT) == [("chair", "signed out")]
    assert AuditEvent.objects.filter(kind=AuditKind.SIGN_IN).get().user == user


def test_roles_and_posts_given_and_taken_away_are_logged_with_who_did_it():
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    person = UserFactory(username="pat", first_name="Pat", last_name="Lee")
    post = PostFactory(name="HoS Early Help")
    request = RequestFactory().get("/admin/")
    request.user = admin
    HistoricalRecords.context.request = request  # as the admin's request leaves it
    try:
        person.groups.add(Group.objects.get(name=Role.HEAD_OF_SERVICE.value))
        post.holders.add(person)
        post.holders.clear()
        Group.objects.get(name=Role.HEAD_OF_SERVICE.value).user_set.remove(person)
    finally:
        del HistoricalRecords.context.request

    assert logged(AuditKind.ROLE_CHANGED) == [
        ("admin", "role Head of service removed for Pat Lee (pat)"),
        ("admin", "role Head of service added for Pat Lee (pat)"),
    ]  # fmt: skip
    assert logged(AuditKind.POST_CHANGED) == [
        ("admin", "post HoS Early Help removed for Pat Lee (pat)"),
        ("admin", "post HoS Early Help added for Pat Lee (pat)"),
    ]  # fmt: skip
    # A command or migration has no one signed in: the change is logged, by nobody.
    person.groups.add(Group.objects.get(name=Role.BOARD_MEMBER.value))
    assert logged(AuditKind.ROLE_CHANGED)[0] == ("", "role Board member added for Pat Lee (pat)")


def test_evidence_and_board_pack_downloads_are_logged(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    post = PostFactory(name="HoS Quality Assurance")
    head = UserFactory(role=Role.HEAD_OF_SERVICE, username="head")
    post.holders.add(head)
    objective = ObjectiveFactory(
        priority_area__plan=PlanFactory(reference="plan"), reference="1.1",
        responsible_posts=[post], target_date=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    action = ActionFactory(objective=objective, reference="1.1.1")
    client.force_login(head)
    client.post(
        f"/plans/plan/actions/{action.reference}/update/",
        {"status": "on_track", "version": 0,
         "evidence_file": SimpleUploadedFile("audit.pdf", b"%PDF-1.4")},
    )  # fmt: skip
    update = ProgressUpdate.objects.get()
    assert client.get(f"/evidence/{update.pk}/").status_code == 200

    make_plan_world()
    client.force_login(UserFactory(role=Role.BOARD_MEMBER, username="chair"))
    assert client.get("/plans/ip/board-pack.csv").status_code == 200

    downloads = logged(AuditKind.DOWNLOAD)
    assert downloads[1] == ("head", "evidence 'audit.pdf' of action 1.1.1")
    assert downloads[0][0] == "chair" and downloads[0][1].startswith("board pack ")
    assert downloads[0][1].endswith(".csv")


def test_the_admin_reads_and_filters_the_log_and_cannot_change_it(client):
    UserFactory(username="chair")
    client.post("/accounts/login/", {"username": "chair", "password": "wrong"})
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)

    refused = client.get("/admin/access/auditevent/?kind__exact=sign_in_failed").content.decode()
    assert "sign-in refused" in refused and "signed in" not in refused
    event = AuditEvent.objects.get(kind=AuditKind.SIGN_IN_FAILED)
    assert client.get("/admin/access/auditevent/add/").status_code == 403
    assert client.post(f"/admin/access/auditevent/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/access/auditevent/{event.pk}/change/")
    assert page.status_code == 200 and "Save" not in page.content.decode()  # read only
    assert AuditEvent.objects.filter(pk=event.pk).exists()
