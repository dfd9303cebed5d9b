from django import template
from django.utils.safestring import mark_safe

from indicators import charts

register = template.Library()


@register.simple_tag
def figure(value, indicator, absolute=False):
    """A figure in its unit: 87%, 1,828, 105 per 10,000."""
    if value is not None and absolute:
        value = abs(value)
    return indicator.format_figure(value)


@register.filter
def benchmark_of(row, kind):
    return row.benchmark(kind)


@register.simple_tag
def sparkline(row):
    """An indicator row's last twelve months as a small SVG line, named for screen readers."""
    label = f"{row.indicator.title}: the last 12 months"
    # Built from numbers, with the label escaped by the chart.
    return mark_safe(charts.sparkline(row.last_twelve(), label=label))  # noqa: S308
