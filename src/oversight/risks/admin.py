"""The registers in the admin: read-only, so the admin cannot bypass the app's rules.

A score is always probability × impact, a re-score keeps its history and a stale edit is
refused; those rules live in ``services`` and the app's own pages, which are where changes
are made. Administrators can still look everything up here, with its history.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Concern, Development, Risk, RiskAssessment, RiskBands


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AssessmentInline(admin.TabularInline):
    model = RiskAssessment
    extra = 0
    can_delete = False
    readonly_fields = ["assessed_on", "probability", "impact", "score", "note", "by", "by_name"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Risk)
class RiskAdmin(ReadOnly):
    list_display = ["ref", "programme", "kind", "probability", "impact", "score", "status"]
    list_filter = ["programme", "kind", "status"]
    inlines = [AssessmentInline]


@admin.register(Concern, Development)
class EntryAdmin(ReadOnly):
    list_display = ["ref", "programme", "owner", "by_when_text", "status"]
    list_filter = ["programme", "status"]


@admin.register(RiskBands)
class BandsAdmin(ReadOnly):
    list_display = ["programme", "red_from", "amber_from"]
