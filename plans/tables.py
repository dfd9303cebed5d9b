import django_tables2 as tables

from plans.models import Action
from plans.templatetags.plan_tags import action_rag


class ActionTable(tables.Table):
    reference = tables.Column(
        verbose_name="Ref", order_by=("objective__position", "position"), linkify=True
    )
    description = tables.Column(verbose_name="Action")
    priority_area = tables.Column(
        verbose_name="Priority area",
        accessor="objective__priority_area__title",
        order_by=("objective__priority_area__position",),
    )
    responsible = tables.Column(verbose_name="Responsible posts", empty_values=(), orderable=False)
    due_by = tables.DateColumn(verbose_name="Due", format="j F Y")
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

    def render_responsible(self, record):
        return "; ".join(post.name for post in record.responsible_posts())

    def render_rag(self, record):
        return action_rag(record, self.today)
