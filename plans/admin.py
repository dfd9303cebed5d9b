from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    Action,
    InspectionReference,
    Objective,
    Partner,
    Plan,
    Post,
    PriorityArea,
    SuccessCriterion,
)


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    filter_horizontal = ["holders"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


class PriorityAreaInline(admin.TabularInline):
    model = PriorityArea
    fields = ["reference", "position", "title"]
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "organisation", "period"]
    inlines = [PriorityAreaInline]


@admin.register(PriorityArea)
class PriorityAreaAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "plan"]
    list_filter = ["plan"]


class ActionInline(admin.StackedInline):
    model = Action
    fields = ["reference", "position", "description", "owners", "due_date", "status"]
    filter_horizontal = ["owners"]
    extra = 0


class SuccessCriterionInline(admin.TabularInline):
    model = SuccessCriterion
    fields = ["reference", "criterion", "unit", "direction", "red", "amber", "green"]
    extra = 0


class InspectionReferenceInline(admin.TabularInline):
    model = InspectionReference
    fields = ["reference", "source", "year", "kind", "text"]
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "differently_or_better", "priority_area", "target_date"]
    list_filter = ["plan", "priority_area", "responsible_posts"]
    search_fields = ["reference", "differently_or_better", "outcome"]
    filter_horizontal = ["responsible_posts", "partners"]
    inlines = [ActionInline, SuccessCriterionInline, InspectionReferenceInline]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "description", "status", "due_date"]
    list_filter = ["status", "objective__priority_area"]
    search_fields = ["reference", "description"]
    filter_horizontal = ["owners"]


@admin.register(SuccessCriterion)
class SuccessCriterionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "criterion", "direction", "red", "amber", "green"]


@admin.register(InspectionReference)
class InspectionReferenceAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "source", "year", "kind"]
    list_filter = ["source", "year", "kind"]
