from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from plans import charts
from plans.rag import Rag

register = template.Library()


@register.simple_tag
def rag(rating, label=""):
    """A RAG rating as a word in a coloured tag: colour is never the only signal."""
    rating = Rag(rating)
    return format_html(
        '<strong class="app-rag app-rag--{}">{}</strong>', rating.value, label or rating.label
    )


@register.filter
def semicolon_list(names):
    return "; ".join(str(name) for name in names)


@register.simple_tag
def action_rag(action, today):
    """An action's RAG; an overdue action says so, since it is Red whatever its status."""
    rating = action.rag(today)
    return rag(rating, f"{rating.label} – overdue" if action.is_overdue(today) else "")


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


@register.filter
def objective_rag(objective, today):
    return objective.rag(today)
