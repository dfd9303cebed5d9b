"""The benchmark's "floor" views: for each measured page, the same rows fetched in one query and
rendered in a bare template. A page's time over its floor's is what the tracker's own work costs
(its rules, history, layout); `manage.py bench` mounts these beside the app's URLs, never in
production (they are not in tracker/urls.py).
"""

from datetime import date, timedelta

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.urls import include, path
from django.utils import timezone

from indicators.models import IndicatorValue
from plans.as_at import end_of_day, rows_as_at
from plans.documents import pdf_from_html
from plans.models import Action, ActionStatus, Objective, Plan
from plans.workbook import write_xlsx

BARE = engines["django"].from_string(
    "<!DOCTYPE html><html lang=en><title>{{ title }}</title><table>"
    "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>"
    "{% endfor %}</table></html>"
)


def _bare(title: str, rows) -> str:
    return BARE.render({"title": title, "rows": rows})


def my_actions(request):
    rows = Action.objects.held_by(request.user).values_list(
        "reference", "description", "status", "due_date", "revised_due_date", "commentary",
        "objective__reference", "objective__priority_area__title",
    )  # fmt: skip
    return HttpResponse(_bare("My actions", rows))


def action_list(request, plan):
    rows = (
        Action.objects.filter(objective__plan__reference=plan, status=request.GET.get("status"))
        .order_by("due_date", "pk")
        .values_list("reference", "description", "status", "due_date", "objective__reference")[:25]
    )
    return HttpResponse(_bare("Actions", rows))


def objective(request, plan, reference):
    found = get_object_or_404(Objective, plan__reference=plan, reference=reference)
    rows = Action.objects.filter(objective=found).values_list(
        "reference", "description", "status", "due_date", "commentary", "objective__outcome"
    )
    return HttpResponse(_bare(f"Objective {reference}", rows))


def indicators(request):
    latest = IndicatorValue.objects.order_by("-month").values_list("month", flat=True).first()
    rows = (
        IndicatorValue.objects.filter(month__gt=latest - timedelta(days=366))
        .order_by("indicator__reference", "month")
        .values_list("indicator__reference", "indicator__title", "month", "value")
        if latest
        else []
    )
    return HttpResponse(_bare("Indicators", rows))


REPORT_COLUMNS = [
    "objective__priority_area__title", "objective__reference", "reference", "description",
    "status", "due_date", "revised_due_date", "commentary",
]  # fmt: skip


def _report_rows(plan: Plan):
    """The actions the report lists: unfinished and at risk, off track, overdue or not updated
    since the last meeting (the report's other rows, criteria and indicators, are few)."""
    today = timezone.localdate()
    last = plan.board_meetings.filter(date__lt=today).order_by("-date").first()
    stale = Q(last_updated_at__isnull=True)
    if last:
        stale |= Q(last_updated_at__lt=end_of_day(last.date))
    return (
        Action.objects.filter(objective__plan=plan)
        .exclude(status=ActionStatus.COMPLETE)
        .filter(
            Q(status__in=[ActionStatus.AT_RISK, ActionStatus.OFF_TRACK])
            | Q(revised_due_date__lt=today)
            | Q(revised_due_date__isnull=True, due_date__lt=today)
            | stale
        )
        .values_list(*REPORT_COLUMNS)
    )


def exception_report(request, plan):
    found = get_object_or_404(Plan, reference=plan)
    return HttpResponse(_bare("Exception report", _report_rows(found)))


def exception_report_pdf(request, plan):
    found = get_object_or_404(Plan, reference=plan)
    return HttpResponse(pdf_from_html(_bare("Exception report", _report_rows(found))))


def exception_report_xlsx(request, plan):
    found = get_object_or_404(Plan, reference=plan)
    return HttpResponse(write_xlsx({"Exceptions": [list(row) for row in _report_rows(found)]}))


def exception_report_as_at(request, plan, day):
    """The plan's actions as their history rows stood at the end of `day`, read as plans.as_at
    reads them: the plan's objectives, the newest row of each of their actions, the areas'
    titles (three queries)."""
    found = get_object_or_404(Plan, reference=plan)
    objectives = dict(found.objectives.values_list("pk", "priority_area__title"))
    fields = ["objective_id", "reference", "description", "status", "due_date", "commentary"]
    actions = rows_as_at(
        Action, end_of_day(date.fromisoformat(day)), fields, objective_id__in=list(objectives)
    )
    rows = [(objectives[a.objective_id], *a[1:]) for a in actions]
    return HttpResponse(_bare("Exception report as at", rows))


def layout(request):
    """Not a floor of any page: the app's own layout (header, navigation, footer) with nothing in
    it, signed in. Every page pays this much before its own rows; the bench reports it beside
    the floors."""
    return render(request, "base.html")


urlpatterns = [
    path("floor/layout/", layout),
    path("floor/my-actions/", my_actions),
    path("floor/<slug:plan>/actions/", action_list),
    path("floor/<slug:plan>/objectives/<str:reference>/", objective),
    path("floor/indicators/", indicators),
    path("floor/<slug:plan>/report/", exception_report),
    path("floor/<slug:plan>/report.pdf", exception_report_pdf),
    path("floor/<slug:plan>/report.xlsx", exception_report_xlsx),
    path("floor/<slug:plan>/report-as-at/<str:day>/", exception_report_as_at),
    path("", include("tracker.urls")),
]
