"""The performance manager's reminder pages in a real browser, on the demo: the settings with a
mistake and its fix, the log after a sweep, a failure, and an action's reminders. Every page is
checked with axe."""

import re

import pytest
from django.utils import timezone

from demo.loading import DEMO_PLAN_REFERENCE
from plans.roles import Role
from reminders.models import Reminder, ReminderState
from reminders.selectors import reminders_to_send
from reminders.services import reminder_send, reminders_sweep
from tests.e2e.checks import assert_accessible
from tests.e2e.journeys import open_the_improvement_plan
from tests.e2e.test_plan_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_performance_manager_sets_the_reminders_and_reads_the_log(page, demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sign_in(page, demo, Role.PERFORMANCE_MANAGER)
    open_the_improvement_plan(page)
    page.get_by_role("link", name="Reminders", exact=True).click()
    page.get_by_role("heading", name="Reminders", exact=True).wait_for()
    assert "0 reminders" in page.get_by_role("status").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Change when reminders are sent").click()
    page.get_by_label("Escalation: days overdue").fill("0")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)  # the page with its error
    page.get_by_label("Escalation: days overdue").fill("21")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The reminder settings are saved.").wait_for()
    assert "21 days overdue, to the post's escalation contact" in page.locator("main").inner_text()

    # The morning's sweep, sent; one address refused.
    reminders_sweep(today=timezone.localdate())
    for reminder_id in list(reminders_to_send(now=timezone.now())):
        reminder_send(reminder_id)
    reminders = Reminder.objects.filter(plan__reference=DEMO_PLAN_REFERENCE)  # the page's plan
    total = reminders.count()
    refused = reminders.order_by("pk").first()
    Reminder.objects.filter(pk=refused.pk).update(
        state=ReminderState.FAILED, last_error="The address was refused: 550 No such mailbox"
    )
    page.reload()
    assert page.get_by_role("status").inner_text().startswith(f"{total} reminders")
    main = page.locator("main").inner_text()
    assert "Overdue" in main and re.search(r"Sent \d+ \w+ \d{4}, \d\d:\d\d", main)
    assert "Failed after" in main and "550 No such mailbox" in main
    page.get_by_role("button", name=f"Send again to {refused.email}").wait_for()
    assert_accessible(page)

    page.get_by_label("Kind").select_option("escalation")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("status").wait_for()
    assert_accessible(page)
    escalated = reminders.filter(kind="escalation").first().actions.first()
    page.get_by_role("link", name=escalated.reference, exact=True).first.click()
    page.get_by_role("heading", name="Reminders").wait_for()
    assert "Escalation" in page.locator("main").inner_text()
    assert_accessible(page)
