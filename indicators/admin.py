from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Benchmark, Indicator, IndicatorValue


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    fields = ["month", "value", "numerator", "denominator", "note"]
    extra = 0


class BenchmarkInline(admin.TabularInline):
    model = Benchmark
    fields = ["kind", "year", "value"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "area", "unit", "upper_target", "target_as_written"]
    list_filter = ["area", "unit", "period_type"]
    search_fields = ["reference", "title"]
    filter_horizontal = ["priority_areas"]
    inlines = [IndicatorValueInline, BenchmarkInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "month", "value"]
    list_filter = ["month"]


@admin.register(Benchmark)
class BenchmarkAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "kind", "year", "value"]
