from django.contrib import admin

from plans.admin import ReadOnlyAdmin
from progress.models import ProgressUpdate


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    """Read only: updates are appended by their owners and never changed."""

    list_display = ["action", "version", "status", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["action__reference", "commentary"]
