from django.contrib import admin

from .models import ChildDataAccess


@admin.register(ChildDataAccess)
class ChildDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "what", "rows_shown", "ip_address"]
    list_filter = ["user"]
    readonly_fields = [f.name for f in ChildDataAccess._meta.fields]

    def has_add_permission(self, request) -> bool:  # the log is written by the system only
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
