"""Governance records in the admin (with their history); the reminder log is read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models as m

for model in (m.Board, m.Meeting, m.Visit, m.WorkProgramme, m.Project, m.Framework, m.StatutoryPlan,
              m.ReportingRule):
    admin.site.register(model, SimpleHistoryAdmin)


@admin.register(m.ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "recipient")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
