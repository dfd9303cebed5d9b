import os

from django.db import connection


def test_the_suite_runs_on_the_database_it_was_given():
    # CI runs the suite a second time with DATABASE_URL set to PostgreSQL; make sure it really does.
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
