"""A plan's indicator pages: the list, one indicator's series, the board summary, loading a
month of figures, and choosing which of the council's indicators the plan shows."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from indicators.charts import series_chart
from indicators.exporters import indicator_template
from indicators.importers import load_indicator_file
from indicators.models import (
    BenchmarkKind,
    Indicator,
    PendingIndicatorUpload,
    SummaryList,
)
from indicators.quality import Flag, flag_rows, legend
from indicators.selectors import (
    BENCHMARK_COLUMNS,
    TRENDS,
    IndicatorRow,
    benchmark_heading,
    board_summary,
    indicator_rows,
    latest_month,
    with_benchmarks,
)
from indicators.services import (
    FiguresChangedSinceCheck,
    pending_upload_hold,
    pending_upload_load,
    plan_indicators_set,
    summary_choices_save,
)
from indicators.versions import indicator_versions
from plans.forms import SpreadsheetField
from plans.models import Plan, PriorityArea
from plans.navigation import plan_led_into
from plans.rag import Rag
from plans.selectors import plan_for_user, plans_for_user
from plans.spreadsheets import WorkbookError
from plans.views import download_response
from plans.workbook import write_csv, write_xlsx
from plans.workbook_checks import ImportRejected

# An indicator is never "Complete": that rating belongs to actions.
INDICATOR_RATINGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_RATED]
# A council's scorecard fits on one page; an installation serving several councils pages it.
INDICATOR_PAGE_SIZE = 50


class IndicatorFilterForm(forms.Form):
    area = forms.ChoiceField(label="Area", required=False)
    rag = forms.ChoiceField(label="RAG", required=False, choices=[("", "Any rating"), *Rag.choices])
    priority_area = forms.ModelChoiceField(
        label="Priority area",
        required=False,
        queryset=PriorityArea.objects.none(),
        empty_label="All priority areas",
    )
    trend = forms.ChoiceField(
        label="Trend", required=False, choices=[("", "Any trend"), *TRENDS.items()]
    )
    flag = forms.ChoiceField(
        label="Data quality", required=False, choices=[("", "Any"), *Flag.choices]
    )

    def __init__(self, *args, areas, priority_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas")] + [(a, a) for a in areas]
        self.fields["priority_area"].queryset = priority_areas


def _plan_rows(plan: Plan):
    return flag_rows(indicator_rows(plan.indicators.all()), today=timezone.localdate())


def _filtered_rows(request, plan: Plan):
    rows = _plan_rows(plan)
    form = IndicatorFilterForm(
        request.GET or None,
        areas=sorted({row.indicator.area for row in rows}),
        priority_areas=PriorityArea.objects.filter(plan=plan, indicators__isnull=False).distinct(),
    )
    if form.is_valid():
        wanted = form.cleaned_data
        rows = [
            row
            for row in rows
            if (not wanted["area"] or row.indicator.area == wanted["area"])
            and (not wanted["rag"] or row.rag == wanted["rag"])
            and (not wanted["trend"] or row.trend == wanted["trend"])
            and (not wanted["flag"] or wanted["flag"] in row.flags)
        ]
        if wanted["priority_area"]:
            linked = set(wanted["priority_area"].indicators.values_list("pk", flat=True))
            rows = [row for row in rows if row.indicator.pk in linked]
    return form, rows


@require_safe
def indicator_list(request, plan):
    plan = plan_for_user(request.user, plan)
    form, rows = _filtered_rows(request, plan)
    counts = {rating: sum(row.rag == rating for row in rows) for rating in INDICATOR_RATINGS}
    # Benchmarks are on each indicator's page and in the downloads, not in this table.
    page = Paginator(rows, INDICATOR_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "indicators/list.html",
        {
            "plan": plan,
            "rows": rows,
            "page": page,
            "form": form,
            "counts": counts,
            "month": latest_month(rows),
            "flag_legend": legend(),
            "filtered": any(value for key, value in query.items()),
            "query": query.urlencode(),
        },
    )


@require_safe
def indicator_export(request, plan, file_format):
    """The plan's indicator list, with the same filters, as CSV or XLSX: numbers stay numbers."""
    plan = plan_for_user(request.user, plan)
    if file_format not in ("csv", "xlsx"):
        raise Http404("Choose csv or xlsx.")
    _, rows = _filtered_rows(request, plan)
    with_benchmarks(rows)
    grid = [
        [
            "Reference", "Area", "Title", "Unit", "Month", "Latest figure", "RAG",
            "Change since previous month", "Trend", "Target", "Data quality",
            *[benchmark_heading(kind) for kind in BENCHMARK_COLUMNS],
        ]
    ]  # fmt: skip
    for row in rows:
        latest = row.latest
        grid.append([
            row.indicator.reference, row.indicator.area, row.indicator.title,
            row.indicator.get_unit_display(), latest.month if latest else None,
            latest.value if latest else None, Rag(row.rag).label, row.change,
            TRENDS.get(row.trend, ""), row.indicator.target_as_written,
            "; ".join(flag.label for flag in row.flags),
            *[(b.value if (b := row.benchmark(kind)) else None) for kind in BENCHMARK_COLUMNS],
        ])  # fmt: skip
    name = f"indicators-{plan.reference}"
    if file_format == "csv":
        return download_response(f"{name}.csv", write_csv(grid))
    return download_response(f"{name}.xlsx", write_xlsx({"Indicators": grid}))


@require_safe
def indicator_detail(request, plan, reference):
    plan = plan_for_user(request.user, plan)
    indicator = get_object_or_404(
        Indicator.objects.prefetch_related("benchmarks", "plans"), reference=reference
    )
    # One the plan no longer shows is still found from its past papers, saying so.
    in_plan = plan in indicator.plans.all()
    if not in_plan and not indicator.history.filter(historicalindicator_plans__plan=plan).exists():
        raise Http404("This plan does not show that indicator.")
    # The month-by-month table shows each figure's own rating and numerator: models, not rows.
    row = IndicatorRow(indicator, list(indicator.values.order_by("month")))
    versions = indicator_versions(indicator)
    restated = {month for month, found in versions.items() if found.restated}
    latest_benchmarks = [
        (kind.label, row.benchmark(kind)) for kind in BenchmarkKind if row.benchmark(kind)
    ]
    chart = series_chart(
        [(v.month, v.value) for v in row.series],
        label=f"{indicator.title}, month by month, with its target band and benchmarks",
        minimum=indicator.amber_limit if indicator.upper_target is not None else None,
        upper=indicator.upper_target,
        benchmarks=[
            (f"{name} {b.year}", b.value) for name, b in latest_benchmarks if name != "Outturn"
        ],
        restated=restated,
    )
    return render(
        request,
        "indicators/detail.html",
        {
            "plan": plan,
            "in_plan": in_plan,
            # The other plans it is in that this person reads: a board reads its own plans.
            "other_plans": plans_for_user(request.user)
            .filter(indicators=indicator)
            .exclude(pk=plan.pk),
            "row": row,
            "months": [(value, versions.get(value.month)) for value in row.series],
            "restated": len(restated),
            "indicator": indicator,
            "chart": mark_safe(chart),  # noqa: S308 (built from numbers; text escaped)
            "benchmarks": indicator.benchmarks.all(),
        },
    )


class IndicatorUploadForm(forms.Form):
    file = SpreadsheetField(
        label="Indicator workbook",
        help_text="The indicator template, filled in (.xlsx).",
        error_messages={"required": "Select the indicator workbook to upload."},
    )


@require_http_methods(["GET", "POST"])
@permission_required("indicators.load_indicators", raise_exception=True)
def indicator_upload(request, plan):
    """Step 1: upload and check. Nothing is loaded until the uploader confirms."""
    plan = plan_for_user(request.user, plan, to_change=True)
    form = IndicatorUploadForm(request.POST, request.FILES) if request.method == "POST" else (
        IndicatorUploadForm()
    )  # fmt: skip
    problems, summary, pending = [], None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            summary = load_indicator_file(
                filename=upload.name, content=content, by=request.user, plan=plan, dry_run=True
            )
        except WorkbookError as error:
            form.add_error("file", str(error))
        except ImportRejected as error:
            problems = error.problems
            form.add_error("file", error.advice("The file was not loaded"))
        else:
            pending = pending_upload_hold(
                filename=upload.name, content=content, by=request.user, plan=plan,
                expected=summary.fingerprint(),
            )  # fmt: skip
    return render(
        request,
        "indicators/upload.html",
        {
            "plan": plan,
            "form": form,
            "problems": problems,
            "summary": summary,
            "pending": pending,
        },
    )


@require_http_methods(["POST"])
@permission_required("indicators.load_indicators", raise_exception=True)
def indicator_upload_confirm(request, plan, token):
    """Step 2: load the checked file. Only its uploader can confirm it."""
    plan = plan_for_user(request.user, plan, to_change=True)
    pending = get_object_or_404(
        PendingIndicatorUpload, token=token, uploaded_by=request.user, plan=plan
    )
    try:
        # Load only what the check showed: if someone loaded figures since, check again.
        summary = pending_upload_load(pending, by=request.user)
    except FiguresChangedSinceCheck:
        messages.warning(
            request, "The figures changed since your check. Upload the file again to check it."
        )
        return redirect("indicators:upload", plan=plan.reference)
    messages.success(request, str(summary))
    return redirect("indicators:list", plan=plan.reference)


@require_safe
@permission_required("indicators.load_indicators", raise_exception=True)
def indicator_template_download(request, plan):
    plan = plan_for_user(request.user, plan)
    return download_response(*indicator_template(plan, timezone.localdate()))


@require_http_methods(["GET", "POST"])
def indicator_summary(request, plan):
    """RAG counts and the three lists for the plan's board; a performance manager may adjust the
    lists."""
    plan = plan_for_user(request.user, plan, to_change=request.method == "POST")
    rows = _plan_rows(plan)
    month = latest_month(rows)
    can_adjust = request.user.has_perm("indicators.load_indicators")
    if request.method == "POST":
        if not can_adjust:
            raise PermissionDenied("Only performance managers adjust the summary.")
        if month is None:
            raise Http404("There are no figures to summarise yet.")
        choices = {
            row.indicator.reference: request.POST.get(f"list-{row.indicator.reference}")
            for row in rows
        }
        summary_choices_save(plan=plan, rows=rows, month=month, choices=choices, by=request.user)
        messages.success(request, f"The summary for {month:%B %Y} is saved.")
        return redirect("indicators:summary", plan=plan.reference)
    lists = board_summary(rows, month, plan=plan)
    return render(
        request,
        "indicators/summary.html",
        {
            "plan": plan,
            "month": month,
            "rows": rows,
            "counts": {
                rating: sum(row.rag == rating for row in rows) for rating in INDICATOR_RATINGS
            },
            "lists": [(SummaryList(key).label, lists[key]) for key in SummaryList.values[:3]],
            "choices": SummaryList.choices,
            "flag_legend": legend(),
            "can_adjust": can_adjust and not plan.is_archived,
        },
    )


class PlanIndicatorsForm(forms.Form):
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators this plan shows",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The council keeps each indicator once. One that another plan shows too keeps "
        "its figures: both plans show the same figures, loaded once.",
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)

        def label(indicator):
            others = [p.title for p in indicator.plans.all() if p.pk != plan.pk]
            shown = f" (also in {'; '.join(others)})" if others else ""
            return f"{indicator.reference} {indicator.title}{shown}"

        field = self.fields["indicators"]
        field.queryset = Indicator.objects.prefetch_related("plans")
        field.label_from_instance = label


@require_http_methods(["GET", "POST"])
@permission_required("indicators.load_indicators", raise_exception=True)
def plan_indicators_choose(request, plan):
    """Which of the council's indicators the plan's pages, summary and pack show."""
    plan = plan_for_user(request.user, plan, to_change=True)
    initial = {"indicators": list(plan.indicators.values_list("pk", flat=True))}
    data = request.POST if request.method == "POST" else None  # nothing ticked is a choice too
    form = PlanIndicatorsForm(data, initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        chosen = {indicator.pk for indicator in form.cleaned_data["indicators"]}
        added, removed = plan_indicators_set(plan=plan, chosen=chosen, by=request.user)
        messages.success(request, _chosen_in_words(plan, added, removed))
        return redirect("indicators:list", plan=plan.reference)
    return render(request, "indicators/choose.html", {"plan": plan, "form": form})


def _chosen_in_words(plan: Plan, added: list, removed: list) -> str:
    if not added and not removed:
        return f"{plan.title} already shows these indicators: nothing changed."
    parts = []
    if added:
        parts.append(f"added {', '.join(i.reference for i in added)}")
    if removed:
        parts.append(f"taken out {', '.join(i.reference for i in removed)}")
    return f"{plan.title}: {'; '.join(parts)}. Their figures are unchanged."


@require_safe
def old_address(request, rest=""):
    """The addresses the indicator pages had before they belonged to plans: on to the same page
    of the plan the navigation leads into, else to the list of plans to choose one."""
    reference = plan_led_into(request)
    if not reference:
        return redirect("plans:plan_list")
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(f"{reverse('indicators:list', kwargs={'plan': reference})}{rest}{query}")
