from datetime import timedelta

import time_machine
from django.utils import timezone

from plans.exception_report import KeptReports


def test_the_least_recently_used_report_is_dropped_first():
    kept = KeptReports(size=2, lifetime=timedelta(hours=1))
    kept.set("a", "report a")
    kept.set("b", "report b")
    assert kept.get("a") == "report a"  # now used more recently than b

    kept.set("c", "report c")

    assert (kept.get("a"), kept.get("b"), kept.get("c")) == ("report a", None, "report c")


def test_a_report_is_kept_for_its_lifetime_only():
    kept = KeptReports(size=2, lifetime=timedelta(hours=1))
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        kept.set("a", "report a")
    with time_machine.travel(now + timedelta(minutes=59), tick=False):
        assert kept.get("a") == "report a"
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        assert kept.get("a") is None


def test_clear_forgets_every_report():
    kept = KeptReports(size=2, lifetime=timedelta(hours=1))
    kept.set("a", "report a")
    kept.clear()
    assert kept.get("a") is None
