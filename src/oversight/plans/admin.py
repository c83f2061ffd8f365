from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, Person, Programme, ProgressNote, Recommendation, Source, Step, Theme


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "title", "status", "due", "recommendation"]
    list_filter = ["status", "recommendation__theme__programme"]
    search_fields = ["ref", "title"]
    inlines = [StepInline]
    filter_horizontal = ["owners"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    """Notes are never edited or deleted: they are the record of what was said when."""

    list_display = ["action", "date", "written_by", "text"]
    readonly_fields = ["action", "date", "text", "author", "author_name", "status_from", "status_to", "rag"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(Programme, SimpleHistoryAdmin)
admin.site.register(Person, SimpleHistoryAdmin)
admin.site.register(Theme, SimpleHistoryAdmin)
admin.site.register(Recommendation, SimpleHistoryAdmin)
admin.site.register(Source)
