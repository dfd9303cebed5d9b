"""A checked upload waits for its uploader's confirmation as a file in storage with its
checksum, never as a database row of unbounded size, and is removed when confirmed, replaced,
or abandoned."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from indicators.models import IndicatorValue, PendingIndicatorUpload
from indicators.services import PENDING_UPLOAD_KEPT, abandoned_uploads_remove
from plans.accounts import system_account
from plans.documents import sha256_hex
from plans.importers import import_plan_file
from plans.roles import Role
from tests.factories import UserFactory
from tests.indicator_files import small_indicators
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db
PAGES = "/plans/TEST-PLAN/indicators/"  # the test plan's indicator pages


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))
    return tmp_path


def june() -> bytes:
    sheets = small_indicators()
    sheets["Values"] = [sheets["Values"][0], ["AS-01", date(2021, 6, 30), 91, None, None, ""]]
    return xlsx(sheets)


def check(client, content: bytes, name="june.xlsx"):
    return client.post(f"{PAGES}load/", {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.PERFORMANCE_MANAGER))
    return client


def held_files(storage: Path) -> list[Path]:
    return sorted((storage / "pending-uploads").glob("*"))


def test_a_checked_upload_is_held_as_a_file_with_its_checksum(manager, storage):
    content = june()
    check(manager, content)

    pending = PendingIndicatorUpload.objects.get()
    assert "content" not in {field.name for field in PendingIndicatorUpload._meta.fields}
    (held,) = held_files(storage)
    assert held.read_bytes() == content
    assert (pending.sha256, pending.size) == (sha256_hex(content), len(content))
    assert pending.file.name == f"pending-uploads/{held.name}" and "june" not in held.name


def test_confirming_loads_the_file_and_removes_it(manager, storage):
    check(manager, june())
    token = PendingIndicatorUpload.objects.get().token

    manager.post(f"{PAGES}load/{token}/confirm/")

    assert IndicatorValue.objects.get(month=date(2021, 6, 1)).value == 91
    assert not PendingIndicatorUpload.objects.exists() and held_files(storage) == []


def test_a_new_check_replaces_the_last_one_and_its_file(manager, storage):
    check(manager, june())
    check(manager, june(), name="june-again.xlsx")

    assert PendingIndicatorUpload.objects.get().filename == "june-again.xlsx"
    assert len(held_files(storage)) == 1


def test_a_held_file_changed_in_storage_is_not_loaded(manager, storage):
    check(manager, june())
    pending = PendingIndicatorUpload.objects.get()
    (held,) = held_files(storage)
    held.write_bytes(xlsx(small_indicators(**{"Values!3!2": 10})))

    response = manager.post(f"{PAGES}load/{pending.token}/confirm/", follow=True)

    assert "The figures changed since your check." in response.content.decode()
    assert not IndicatorValue.objects.exists()
    assert not PendingIndicatorUpload.objects.exists() and held_files(storage) == []


def test_an_upload_nobody_confirmed_within_a_day_is_removed_with_its_file(manager, storage):
    check(manager, june())
    now = timezone.now()
    assert abandoned_uploads_remove(now=now) == 0
    assert len(held_files(storage)) == 1

    assert abandoned_uploads_remove(now=now + PENDING_UPLOAD_KEPT + timedelta(minutes=1)) == 1
    assert not PendingIndicatorUpload.objects.exists() and held_files(storage) == []
