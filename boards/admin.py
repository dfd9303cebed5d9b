from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from boards.models import AreaAssessment, DecisionRequest, PublishedPack
from plans.admin import ReadOnlyAdmin


@admin.register(AreaAssessment)
class AreaAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "priority_area", "risk_rating", "recorded_by", "recorded_at"]
    list_filter = ["risk_rating"]


@admin.register(PublishedPack)
class PublishedPackAdmin(ReadOnlyAdmin):
    """Read only: a published pack is what the board received, and is never changed."""

    list_display = ["meeting", "kind", "as_at", "published_at", "published_by", "sha256"]
    list_filter = ["kind"]


@admin.register(DecisionRequest)
class DecisionRequestAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "priority_area", "action", "state", "asked_by"]
    list_filter = ["state"]
    raw_id_fields = ["action"]
