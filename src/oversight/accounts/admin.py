from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the system and read by administrators (also at /audit/)."""

    list_display = ["at", "actor", "os_user", "kind", "what", "programme", "rows_shown", "ip_address"]
    list_filter = ["kind", "actor", "programme"]
    search_fields = ["what", "actor", "path", "reason"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None  # not even "delete selected"

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("accounts.view_access_log") or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:  # the log is written by the system only
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
