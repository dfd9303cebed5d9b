"""Steps the browser tests share."""

from demo.loading import DEMO_PLAN_REFERENCE
from plans.models import Plan


def open_the_improvement_plan(page):
    """The demo runs two live plans, so the navigation offers the list of plans until one is
    opened (plans.navigation): open the improvement plan from it, as a newcomer would."""
    page.get_by_role("link", name="Plans", exact=True).click()
    title = Plan.objects.get(reference=DEMO_PLAN_REFERENCE).title
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title).wait_for()
