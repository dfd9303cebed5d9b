from django import template
from django.utils.html import format_html

from plans import dates
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


@register.filter
def objective_rag(objective, today):
    return objective.rag(today)


@register.filter
def date_parts(field):
    """A day-month-year field's three boxes: (part, its input's name, id and value)."""
    value = field.value()
    if value is None or hasattr(value, "year"):
        value = field.field.widget.decompress(value)
    return [
        (
            part,
            f"{field.html_name}_{part}",
            f"{field.auto_id}_{part}",
            "" if typed is None else typed,
        )
        for part, typed in zip(("day", "month", "year"), value, strict=True)
    ]


@register.filter
def short_date(day) -> str:
    """1 Nov 2026 (plans.dates), as pages with hundreds of dates feel the date filter's cost."""
    return dates.short_date(day) if day else ""
