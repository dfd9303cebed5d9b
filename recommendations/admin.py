from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.admin import ReadOnlyAdmin
from recommendations.models import PanelDecision, Recommendation, RecommendationUpdate


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "source", "committee", "made_at", "plan"]
    list_filter = ["plan", "source", "committee"]
    search_fields = ["title", "action_proposed"]
    filter_horizontal = ["objectives", "responsible_posts"]
    # The number is the plan's sequence, given when it is added (recommendations.services).
    readonly_fields = ["number", "plan"]

    def has_add_permission(self, request):
        return False  # added on the register page, which numbers it


@admin.register(RecommendationUpdate)
class RecommendationUpdateAdmin(ReadOnlyAdmin):
    """Read only: what has been done is appended and never changed."""

    list_display = ["recommendation", "taken_on", "status", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["action_taken"]


@admin.register(PanelDecision)
class PanelDecisionAdmin(ReadOnlyAdmin):
    """Read only: a committee's decision is kept as it was recorded."""

    list_display = ["recommendation", "meeting", "decision", "recorded_by", "recorded_at"]
    list_filter = ["decision"]
