import django_tables2 as tables
from django.db.models import Case, F, When
from django.utils.formats import date_format

from plans.models import Action, ActionStatus
from plans.templatetags.plan_tags import action_rag


class ActionTable(tables.Table):
    reference = tables.Column(
        verbose_name="Ref",
        order_by=("objective__position", "position"),
        linkify=True,
        attrs={"a": {"class": "govuk-link"}},
    )
    description = tables.Column(verbose_name="Action")
    priority_area = tables.Column(
        verbose_name="Priority area",
        accessor="objective__priority_area__title",
        order_by=("objective__priority_area__position",),
    )
    responsible = tables.Column(verbose_name="Responsible posts", empty_values=(), orderable=False)
    # Not DateColumn: it compiles its template for every cell.
    due_by = tables.Column(verbose_name="Due", default="No date given")
    status = tables.Column(verbose_name="Status")
    rag = tables.Column(verbose_name="RAG", empty_values=(), orderable=False)

    class Meta:
        model = Action
        fields = []
        sequence = [
            "reference",
            "description",
            "priority_area",
            "responsible",
            "due_by",
            "status",
            "rag",
        ]
        attrs = {"class": "govuk-table"}

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def order_due_by(self, queryset, is_descending):
        # Actions without any date go last either way: they are never overdue.
        due = F("due_by")
        due = due.desc(nulls_last=True) if is_descending else due.asc(nulls_last=True)
        return queryset.order_by(due, "objective__position", "position"), True

    def order_status(self, queryset, is_descending):
        # In the order work moves through, not alphabetically.
        rank = Case(
            *[When(status=value, then=index) for index, value in enumerate(ActionStatus.values)]
        )
        queryset = queryset.annotate(status_rank=rank)
        return queryset.order_by(
            "-status_rank" if is_descending else "status_rank", "objective__position", "position"
        ), True

    def render_responsible(self, record):
        return "; ".join(post.name for post in record.responsible_posts())

    def render_due_by(self, value):
        return date_format(value, "DATE_FORMAT")

    def render_rag(self, record):
        return action_rag(record, self.today)
