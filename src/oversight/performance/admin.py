"""Admin for targets (checked against polarity), benchmarks, commentary, local measures and scorecard
groups; runs and values are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Benchmark,
    Commentary,
    IndicatorRun,
    LocalMeasure,
    LocalMeasureValue,
    ScorecardEntry,
    ScorecardGroup,
    Target,
)


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "minimum", "upper", "due", "label", "updated_at"]
    list_filter = ["indicator"]
    search_fields = ["indicator", "label"]


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ["indicator", "time_period", "level", "area_name", "value", "quartile", "rank"]
    list_filter = ["level", "indicator"]
    search_fields = ["indicator", "area_name", "area_code"]


@admin.register(Commentary)
class CommentaryAdmin(admin.ModelAdmin):
    list_display = ["indicator", "month", "author", "created_at"]
    list_filter = ["indicator"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(IndicatorRun)
class IndicatorRunAdmin(admin.ModelAdmin):
    """Aggregates are computed, never typed: the admin only lists and deletes runs."""

    list_display = ["as_at", "source", "computed_at", "calendar"]
    readonly_fields = [f.name for f in IndicatorRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class LocalMeasureValueInline(admin.TabularInline):
    """Values are shown, not typed here: the app's form and import check and compute them."""

    model = LocalMeasureValue
    extra = 0
    fields = ["month", "numerator", "denominator", "value", "entered_by", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LocalMeasure)
class LocalMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "ref", "name", "code", "unit", "polarity", "period_type"]
    list_filter = ["programme", "unit"]
    search_fields = ["name", "code", "ref"]
    inlines = [LocalMeasureValueInline]

    def get_readonly_fields(self, request, obj=None):
        # the code is the key of its targets and commentary ("local-<code>"): fixed once made
        return ["code"] if obj else []


class ScorecardEntryInline(admin.TabularInline):
    model = ScorecardEntry
    extra = 0


@admin.register(ScorecardGroup)
class ScorecardGroupAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "order", "title", "theme"]
    list_filter = ["programme"]
    inlines = [ScorecardEntryInline]
