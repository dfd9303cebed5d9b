import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_ten_wrong_passwords_pause_the_account_and_say_what_to_do(client):
    user = UserFactory(role=Role.HEAD_OF_SERVICE)
    for _ in range(9):
        assert sign_in(client, user.username, "wrong").status_code == 200

    tenth = sign_in(client, user.username, "wrong")
    after = sign_in(client, user.username, PASSWORD)  # even the right password waits

    for response in (tenth, after):
        assert response.status_code == 429
        assert "Wait 5 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_account_is_not_paused_by_someone_elses_failures(client):
    victim, other = UserFactory(), UserFactory()
    for _ in range(10):
        sign_in(client, victim.username, "wrong")
    assert sign_in(client, other.username, PASSWORD).status_code == 302


@pytest.fixture
def celery_eager():
    """Tasks run in the test process when queued (the worker tests run them in a real worker)."""
    from tracker.celery import app

    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = app.conf.task_eager_propagates = False


def test_the_reset_page_only_queues_the_email_for_the_worker(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from plans.tasks import send_email_task

    UserFactory(email="head@example.org")
    queued = []
    monkeypatch.setattr(
        send_email_task, "apply_async", lambda args, argsrepr: queued.append((args, argsrepr))
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "head@example.org"})

    assert response.status_code == 302 and mail.outbox == []
    ((message,), about) = queued[0]
    assert message["to"] == ["head@example.org"] and "/accounts/reset/" in message["body"]
    assert about == "(an email to head@example.org)"  # what the worker logs: not the link


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    client, celery_eager, django_capture_on_commit_callbacks
):
    user = UserFactory(email="head@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "head@example.org"})

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new_password = "a-brand-new-passphrase-2026"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Your password has been changed" in done.content.decode()
    assert sign_in(client, user.username, new_password).status_code == 302


def test_with_the_queue_unreachable_the_reset_email_is_sent_at_once(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from plans.tasks import send_email_task

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_email_task, "apply_async", broker_down)
    UserFactory(email="head@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "head@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_with_the_queue_and_the_mail_server_down_the_reset_page_still_answers_the_same(
    client, django_capture_on_commit_callbacks, monkeypatch, settings, caplog
):
    from kombu.exceptions import OperationalError

    from plans.tasks import send_email_task
    from tests.smtp import free_port, use_smtp

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_email_task, "apply_async", broker_down)
    use_smtp(settings, free_port())  # nothing listens there
    UserFactory(email="head@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password_reset/", {"email": "head@example.org"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert "Could not send the password-reset email (an email to head@example.org)" in caplog.text


def test_a_session_ends_after_eight_hours_without_a_request_not_eight_after_sign_in(client):
    user = UserFactory(role=Role.BOARD_MEMBER)
    start = datetime(2026, 12, 7, 9, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        assert sign_in(client, user.username, PASSWORD).status_code == 302
    for hours in (7, 14, 21):  # each request within eight hours of the one before
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert client.get("/my-actions/").status_code == 200, hours
    with time_machine.travel(start + timedelta(hours=21 + 8, minutes=1), tick=False):
        left = client.get("/my-actions/")
    assert left.status_code == 302 and left["Location"].startswith("/accounts/login/")


def test_a_page_within_the_minute_writes_nothing_to_the_session(client):
    user = UserFactory(role=Role.BOARD_MEMBER)
    client.force_login(user)
    client.get("/my-actions/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/my-actions/")
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
