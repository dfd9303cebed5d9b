from django.contrib import admin

from access.models import AuditEvent
from plans.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read and filter the audit log; nobody adds, changes or deletes a row."""

    list_display = ["at", "kind", "username", "what"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    search_fields = ["username", "what"]
    date_hierarchy = "at"
