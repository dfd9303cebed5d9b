"""Gunicorn's settings; gunicorn reads this file from the directory it starts in."""

import gc


def post_worker_init(worker):
    # Django and the app, loaded once, live as long as the worker: move them out of the garbage
    # collector's sight, so a full collection walks only what the current request made. It took
    # about 70 ms off the report page's p95 (docs/benchmarks.md).
    gc.freeze()
