"""Real Redis for the tests that run a real Celery worker: skipped without it, except under
CI=true, where they fail (CI must run them)."""

import os

import pytest
from celery import Celery


def redis_producer(url: str):
    """A generator for a fixture: the Redis database at `url`, emptied before and after, and a
    Celery app that sends tasks there as the web or beat would."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        message = f"Worker tests need Redis at {url} (redis-server --daemonize yes)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run them, not skip them).")
        pytest.skip(message)
    client.flushdb()
    producer = Celery("tests", broker=url)
    yield producer
    producer.close()
    client.flushdb()
