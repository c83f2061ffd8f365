"""The Django admin for the plan: an administrator's tool that cannot bypass the app's rules.

* For everyone but a superuser the plan's models are read-only here: programme managers edit
  the plan on the app's own pages, where every change is versioned and a status or RAG change
  needs a dated note.
* A superuser may correct data, but the rules still hold: an action's status, completion date
  and RAG ratings are read-only (they change only on the update page, with their dated note),
  progress notes are never edited or deleted, and every save bumps the version so a page
  loaded before the admin's save cannot overwrite it.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    BudgetLine,
    Membership,
    Person,
    Programme,
    ProgressNote,
    RagRating,
    Recommendation,
    Source,
    StatusReport,
    Step,
    Theme,
    ThemeOverview,
)


class AppRulesMixin:
    """Read-only unless superuser; a superuser's save still bumps the version (stale pages refused)."""

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        opts = self.model._meta
        return request.user.is_active and request.user.is_staff and (
            request.user.is_superuser
            or request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if any(f.name == "version" for f in self.model._meta.fields) and "version" not in fields:
            fields.append("version")
        return fields

    def save_model(self, request, obj, form, change) -> None:
        if change and hasattr(obj, "version"):
            type(obj).objects.filter(pk=obj.pk).update(version=F("version") + 1)
            obj.version = type(obj).objects.values_list("version", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class StepInline(ReadOnlyInline):
    model = Step
    readonly_fields = ["version"]


class RagInline(ReadOnlyInline):
    """RAG ratings are set with a dated note on the update page; shown here, never changed here."""

    model = RagRating
    fields = ["year", "quarter", "rag", "set_by", "set_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Action)
class ActionAdmin(AppRulesMixin, SimpleHistoryAdmin):
    list_display = ["ref", "title", "status", "due", "recommendation"]
    list_filter = ["status", "recommendation__theme__programme"]
    search_fields = ["ref", "title"]
    inlines = [StepInline, RagInline]
    filter_horizontal = ["owners"]
    # A status (and so completion) changes only on the update page, with its dated note.
    readonly_fields = ["status", "completed_on", "version"]


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    """Notes are never edited or deleted: they are the record of what was said when."""

    list_display = ["action", "date", "written_by", "text"]
    readonly_fields = ["action", "date", "text", "author", "author_name", "status_from", "status_to", "rag"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RagRating)
class RagRatingAdmin(admin.ModelAdmin):
    list_display = ["action", "year", "quarter", "rag", "set_by", "set_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PlanAdmin(AppRulesMixin, SimpleHistoryAdmin):
    pass


@admin.register(BudgetLine)
class BudgetLineAdmin(PlanAdmin):
    list_display = ["programme", "period_end", "name", "budget", "actual", "forecast", "variance"]
    list_filter = ["programme", "period_end"]


@admin.register(StatusReport)
class StatusReportAdmin(PlanAdmin):
    list_display = ["programme", "period_end", "rag", "author", "updated_at"]


@admin.register(ThemeOverview)
class ThemeOverviewAdmin(PlanAdmin):
    list_display = ["theme", "period_end", "rag", "author", "updated_at"]


for _model in (Programme, Person, Theme, Recommendation, Step):
    admin.site.register(_model, PlanAdmin)


@admin.register(Source)
class SourceAdmin(AppRulesMixin, admin.ModelAdmin):
    list_display = ["label", "kind", "date", "programme"]


@admin.register(Membership)
class MembershipAdmin(AppRulesMixin, SimpleHistoryAdmin):
    """Who holds which role where: superusers may correct it here; everyone else uses People and roles."""

    list_display = ("user", "role", "programme", "expires_on", "via", "granted_by", "granted_at")
    list_filter = ("role", "programme", "via")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    raw_id_fields = ("user", "granted_by")
    readonly_fields = ("granted_at", "granted_by", "via")

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
