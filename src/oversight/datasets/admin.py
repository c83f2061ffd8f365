from django.contrib import admin

from .models import Dataset, Upload


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["dataset_id", "as_at", "source_name", "uploaded_by", "uploaded_at", "errors", "warnings"]
    list_filter = ["as_at", "schema_version"]
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
