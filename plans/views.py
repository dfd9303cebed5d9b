import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from plans import services
from plans.exporters import export_plan
from plans.filters import ActionFilter
from plans.forms import AuditResultForm, PlanReadersForm, PlanUploadForm, RolloverForm
from plans.importers import import_plan_file
from plans.models import (
    Action,
    ActionStatus,
    Plan,
    SuccessCriterion,
)
from plans.rollover import RolloverRefused, rollover_plan, rollover_preview
from plans.selectors import (
    RAG_ORDER,
    objectives_with_parts,
    plan_for_user,
    plan_overview,
    plans_for_user,
)
from plans.spreadsheets import WorkbookError
from plans.tables import ActionTable
from plans.workbook import WRITERS, blank_template_sheets, write_xlsx
from plans.workbook_checks import ImportRejected


@require_safe
def plan_list(request):
    """The plans the person reads, live ones first: the way from one plan to another."""
    return render(request, "plans/plan_list.html", {"plans": plans_for_user(request.user)})


@require_safe
def plan_detail(request, plan):
    plan = plan_for_user(request.user, plan)
    today = timezone.localdate()
    areas = plan_overview(plan, today)
    return render(
        request,
        "plans/plan_detail.html",
        {"plan": plan, "areas": areas, "today": today, "rag_order": RAG_ORDER},
    )


@require_safe
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


@require_safe
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
            "audit_form": AuditResultForm(),
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


@require_http_methods(["GET", "POST"])
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
        except ImportRejected as error:
            problems = error.problems
            form.add_error("file", error.advice("The plan was not imported"))
        else:
            messages.success(request, str(summary))
            return redirect(summary.plan)
    return render(
        request,
        "plans/plan_import.html",
        {"form": form, "problems": problems, "plans": Plan.objects.all()},
    )


@require_safe
@permission_required("plans.import_plan", raise_exception=True)
def import_template(request):
    """The empty workbook: every sheet with its headings, and the plan's field names."""
    return download_response("plan-import-template.xlsx", write_xlsx(blank_template_sheets()))


@require_safe
def plan_export(request, plan, file_format):
    plan = plan_for_user(request.user, plan)
    if file_format not in WRITERS:
        raise Http404("Choose xlsx, csv or json.")
    return download_response(*export_plan(plan, file_format))


def download_response(filename: str, content: bytes) -> HttpResponse:
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def plan_action(queryset, plan: Plan, reference: str) -> Action:
    return get_object_or_404(
        queryset.filter(objective__plan=plan)
        .select_related(
            "objective__priority_area",
            "objective__plan",
            "last_updated_by",
            "carried_over_from__objective__plan",
            "carried_over_to__objective__plan",
        )  # fmt: skip
        .prefetch_related("owners", "objective__responsible_posts"),
        reference=reference,
    )


def _updates_with_previous_status(action: Action) -> list:
    """Newest first, each with the status before it (the first update follows "Not started")."""
    previous = ActionStatus.NOT_STARTED.label
    updates = []
    for update in action.updates.select_related("created_by").order_by("version"):
        update.previous_status = previous
        previous = update.get_status_display()
        updates.append(update)
    return updates[::-1]


def _earlier_years(action: Action) -> list:
    """The actions this one carries on, from last year's back, each with its updates: the
    history is read from the new plan (plans.rollover)."""
    earlier, before = [], action.carried_over_from
    while before is not None:
        earlier.append((before, _updates_with_previous_status(before)))
        before = before.carried_over_from  # a year further back, read when there is one
    return earlier


@require_safe
def action_detail(request, plan, reference):
    plan = plan_for_user(request.user, plan)
    action = plan_action(Action.objects.visible_to(request.user), plan, reference)
    today = timezone.localdate()
    return render(
        request,
        "plans/action_detail.html",
        {
            "plan": plan,
            "action": action,
            "today": today,
            "updates": _updates_with_previous_status(action),
            "earlier": _earlier_years(action),
            "carried_on": getattr(action, "carried_over_to", None),
            "can_update": request.user.has_perm("plans.update_action", action),
            "reminders": action.reminders.select_related("recipient"),
        },
    )


@require_http_methods(["POST"])
@permission_required("plans.record_audit_results", raise_exception=True)
def audit_result_record(request, plan, reference):
    """Record (or correct) a month's audit result for a banded success criterion."""
    plan = plan_for_user(request.user, plan, to_change=True)
    criterion = get_object_or_404(
        SuccessCriterion.objects.filter(objective__plan=plan).exclude(direction=""),
        reference=reference,
    )
    form = AuditResultForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}")
        return redirect(criterion.objective)
    result = services.audit_result_record(criterion=criterion, by=request.user, **form.cleaned_data)
    messages.success(
        request,
        f"Audit result for {result.month:%B %Y} recorded: {result.percentage}% good or "
        f"outstanding ({result.rag.label}).",
    )
    return redirect(criterion.objective)


@require_http_methods(["GET", "POST"])
@permission_required("plans.give_plans", raise_exception=True)
def plan_readers(request, plan):
    """Give the plan to the board members and panel clerks of its board (or take it away)."""
    plan = plan_for_user(request.user, plan)
    form = PlanReadersForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        plan.members.set(form.cleaned_data["readers"])  # each one given or taken is audited
        messages.success(request, f"Who reads {plan.title} is saved.")
        return redirect(plan)
    return render(request, "plans/plan_readers.html", {"plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("plans.import_plan", raise_exception=True)
def plan_rollover(request, plan):
    """The yearly rollover as a page: check what it would do, then confirm (plans.rollover)."""
    source = plan_for_user(request.user, plan, to_change=True)
    form = RolloverForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                new = rollover_plan(source, **data, by=request.user)
            except RolloverRefused:
                pass  # shown below, from the preview's problems
            else:
                messages.success(request, f"{new.title} carries on from {source.title}, "
                                 "which is now archived.")  # fmt: skip
                return redirect(new)
        preview = rollover_preview(source, **data)
    return render(
        request,
        "plans/plan_rollover.html",
        {"plan": source, "form": form, "preview": preview},
        status=400 if form.errors or (preview and preview.problems) else 200,
    )
