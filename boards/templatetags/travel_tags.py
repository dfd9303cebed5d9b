"""The direction of travel, shown on pages of other apps (the plan's overview) by its tag."""

from django import template
from django.utils.safestring import mark_safe

from boards.charts import travel_svg
from boards.travel import plan_travel

register = template.Library()


@register.inclusion_tag("boards/includes/direction_of_travel.html")
def direction_of_travel(plan, today):
    """The plan's direction of travel over its boards, as charts with their tables."""
    travels = plan_travel(plan, today)
    return {"whole": travels[0], "areas": travels[1:], "single_board": len(travels[0].tallies) < 2}


@register.simple_tag
def travel_chart(travel):
    return mark_safe(travel_svg(travel))  # noqa: S308 (built by us; every text escaped)
