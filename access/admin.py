from django.contrib import admin

from access.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read and filter the audit log; nobody adds, changes or deletes a row."""

    list_display = ["at", "kind", "username", "what"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    search_fields = ["username", "what"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
