import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def role_groups(request):
    """The role groups a migration made. A transactional test empties every table when it ends,
    those groups included, so a test that follows it on the same worker would miss them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from tests.factories import restore_role_groups

    restore_role_groups()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database another process can open (the Celery worker tests): for SQLite, a file."""
    import tempfile
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(tempfile.gettempdir()) / f"tracker-tests-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture
def celery_eager():
    """Tasks run in the test process when queued (the worker tests run them in a real worker).
    A task queued on commit runs when the test's transaction would commit: tests/papers.py."""
    from tracker.celery import app

    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = app.conf.task_eager_propagates = False
