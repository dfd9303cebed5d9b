import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from plans.exporters import export_plan
from plans.filters import ActionFilter
from plans.forms import PlanUploadForm
from plans.importers import PlanImportError, import_plan_file
from plans.models import Action, Plan
from plans.selectors import RAG_ORDER, objectives_with_parts, plan_for_user, plan_overview
from plans.tables import ActionTable
from plans.workbook import WRITERS, WorkbookError, blank_template_sheets, write_xlsx


def home(request):
    plans = list(Plan.objects.all())
    if len(plans) == 1:
        return redirect(plans[0])
    return render(request, "plans/plan_list.html", {"plans": plans})


def plan_detail(request, plan):
    plan = plan_for_user(request.user, plan)
    today = timezone.localdate()
    areas = plan_overview(plan, today)
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "areas": areas, "today": today, "rag_order": RAG_ORDER},
    )


def priority_area_detail(request, plan, reference):
    plan = plan_for_user(request.user, plan)
    area = get_object_or_404(plan.priority_areas, reference=reference)
    today = timezone.localdate()
    objectives = objectives_with_parts().filter(priority_area=area)
    rows = [(objective, objective.rag(today)) for objective in objectives]
    return render(
        request,
        "plans/priority_area_detail.html",
        {"plan": plan, "area": area, "rows": rows, "today": today},
    )


def objective_detail(request, plan, reference):
    plan = plan_for_user(request.user, plan)
    objective = get_object_or_404(objectives_with_parts().filter(plan=plan), reference=reference)
    today = timezone.localdate()
    return render(
        request,
        "plans/objective_detail.html",
        {
            "plan": plan,
            "objective": objective,
            "today": today,
            "rag": objective.rag(today),
            "rag_parts": objective.rag_parts(today),
        },
    )


class ActionListView(SingleTableMixin, FilterView):
    table_class = ActionTable
    filterset_class = ActionFilter
    template_name = "plans/action_list.html"
    table_pagination = {"per_page": 25}

    def dispatch(self, request, *args, **kwargs):
        self.plan = plan_for_user(request.user, kwargs["plan"])
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Action.objects.filter(objective__plan=self.plan)
            .with_deadline()
            .select_related("objective__priority_area", "objective__plan")
            .prefetch_related("owners", "objective__responsible_posts")
            .order_by("objective__position", "position")
        )

    def get_filterset_kwargs(self, filterset_class):
        return {
            **super().get_filterset_kwargs(filterset_class),
            "plan": self.plan,
            "today": self.today,
        }

    def get_table_kwargs(self):
        return {"today": self.today}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["filter"].form
        filtered = form.is_valid() and any(form.cleaned_data.values())
        return {**context, "plan": self.plan, "today": self.today, "filtered": filtered}


@permission_required("plans.import_plan", raise_exception=True)
def plan_import(request):
    # Bound on every POST, even an empty one, so that a missing file is reported.
    form = (
        PlanUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else PlanUploadForm()
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = import_plan_file(filename=upload.name, content=upload.read(), by=request.user)
        except WorkbookError as error:
            form.add_error("file", str(error))
        except PlanImportError as error:
            problems = error.problems
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            form.add_error(
                "file",
                f"The plan was not imported: {count} found. Nothing was changed. "
                "Correct the cells listed below and upload the file again.",
            )
        else:
            messages.success(request, str(summary))
            return redirect(summary.plan)
    return render(
        request,
        "plans/plan_import.html",
        {"form": form, "problems": problems, "plans": Plan.objects.all()},
    )


@permission_required("plans.import_plan", raise_exception=True)
def import_template(request):
    """The empty workbook: every sheet with its headings, and the plan's field names."""
    return _download("plan-import-template.xlsx", write_xlsx(blank_template_sheets()))


def plan_export(request, plan, file_format):
    plan = plan_for_user(request.user, plan)
    if file_format not in WRITERS:
        raise Http404("Choose xlsx, csv or json.")
    return _download(*export_plan(plan, file_format))


def _download(filename: str, content: bytes) -> HttpResponse:
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
