from django.contrib import admin

from .models import Dataset, DatasetEvent, LoadJob, Upload, WorklistTeam


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["dataset_id", "as_at", "source_name", "status", "figures", "uploaded_by", "uploaded_at", "errors",
                    "warnings"]
    list_filter = ["status", "figures", "as_at", "schema_version"]
    search_fields = ["dataset_id", "source_name", "sha256"]
    readonly_fields = [f.name for f in Dataset._meta.fields]

    def has_add_permission(self, request) -> bool:  # datasets come only from validated uploads
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # immutable
        return False


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "source_name", "as_at", "outcome", "via", "dataset"]
    list_filter = ["outcome", "via"]
    readonly_fields = [f.name for f in Upload._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DatasetEvent)
class DatasetEventAdmin(admin.ModelAdmin):
    """The lifecycle history: read-only (publish and withdraw happen on the dataset's page)."""

    list_display = ["at", "dataset", "action", "by", "reason"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in DatasetEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LoadJob)
class LoadJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "source_name", "as_at", "state", "stage", "dataset"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in LoadJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WorklistTeam)
class WorklistTeamAdmin(admin.ModelAdmin):
    """Which teams' worklists a team manager reads: the team as written in Annex A's "Allocated Team"."""

    list_display = ["user", "team"]
    search_fields = ["user__username", "team"]
