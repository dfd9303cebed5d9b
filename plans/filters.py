import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from plans.models import Action, ActionStatus, InspectionReference, Post, PriorityArea

DATE_ERROR = {"invalid": "Enter the date as day/month/year, for example 31/03/2022."}


class GovukDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self):
        super().__init__(format="%d/%m/%Y", attrs={"class": "govuk-input govuk-input--width-10"})


class ActionFilter(django_filters.FilterSet):
    """The action list's filters. The plan is fixed by the page; choices come from that plan."""

    priority_area = django_filters.ModelChoiceFilter(
        label="Priority area",
        field_name="objective__priority_area",
        queryset=PriorityArea.objects,
        empty_label="All priority areas",
    )
    responsible_post = django_filters.ModelChoiceFilter(
        label="Responsible post",
        queryset=Post.objects,
        method="filter_responsible_post",
        empty_label="All posts",
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=ActionStatus.choices, empty_label="Any status"
    )
    due_after = django_filters.DateFilter(
        label="Due on or after",
        field_name="due_by",
        lookup_expr="gte",
        widget=GovukDateInput(),
        error_messages=DATE_ERROR,
    )
    due_before = django_filters.DateFilter(
        label="Due on or before",
        field_name="due_by",
        lookup_expr="lte",
        widget=GovukDateInput(),
        error_messages=DATE_ERROR,
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput
    )
    inspection_reference = django_filters.ChoiceFilter(
        label="Inspection reference",
        method="filter_inspection_reference",
        choices=[],
        empty_label="Any inspection reference",
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, plan, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.today = today or timezone.localdate()
        filters = self.filters
        filters["priority_area"].queryset = plan.priority_areas.all()
        filters["responsible_post"].queryset = Post.objects.filter(
            Q(objectives__plan=plan) | Q(owned_actions__objective__plan=plan)
        ).distinct()
        filters["inspection_reference"].extra["choices"] = self.inspection_choices()

    def inspection_choices(self):
        found = (
            InspectionReference.objects.filter(objective__plan=self.plan)
            .values_list("source", "kind", "year")
            .distinct()
            .order_by("source", "year", "kind")
        )
        choices = []
        for source, kind, year in found:
            label = InspectionReference(source=source, kind=kind, year=year).label
            choices.append((f"{source}|{kind}|{year}", label))
        return choices

    def filter_responsible_post(self, queryset, name, post):
        return queryset.filter(pk__in=Action.objects.owned_by(post).values("pk"))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Action.objects.overdue(self.today).values("pk"))

    def filter_inspection_reference(self, queryset, name, value):
        source, kind, year = value.rsplit("|", 2)  # a source may itself contain "|"
        return queryset.filter(
            objective__inspection_references__source=source,
            objective__inspection_references__kind=kind,
            objective__inspection_references__year=year,
        ).distinct()
