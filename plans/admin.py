from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    Action,
    AuditResult,
    BoardMeeting,
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
    list_display = ["reference", "title", "lead", "plan"]
    list_filter = ["plan"]


class ActionInline(admin.StackedInline):
    model = Action
    fields = ["reference", "position", "description", "owners", "due_date", "status"]
    readonly_fields = ["status"]
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


# Progress (status, commentary, revised dates) changes only through progress updates.
PROGRESS_FIELDS = [
    "status",
    "revised_due_date",
    "revision_reason",
    "commentary",
    "last_updated_at",
    "last_updated_by",
    "version",
]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    readonly_fields = PROGRESS_FIELDS
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


@admin.register(BoardMeeting)
class BoardMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "committee", "papers_due", "plan"]
    list_filter = ["plan", "committee"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For final records (what the board received, what owners reported): shown, never
    added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditResult)
class AuditResultAdmin(SimpleHistoryAdmin):
    list_display = ["criterion", "month", "audited", "good_or_outstanding"]
    list_filter = ["month"]
