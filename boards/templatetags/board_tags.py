from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def exception_row(item):
    """An exception as a row of the report page's table, from its row's values alone."""
    return render_to_string("boards/includes/exception_row.html", {"row": item.row})
