import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from plans.exporters import export_plan
from plans.filters import ActionFilter
from plans.forms import AuditResultForm, PlanUploadForm, ProgressForm
from plans.importers import ImportRejected, import_plan_file
from plans.models import (
    Action,
    ActionStatus,
    AuditResult,
    BoardMeeting,
    Plan,
    ProgressUpdate,
    SuccessCriterion,
)
from plans.progress import StaleVersion, action_record_progress
from plans.selectors import RAG_ORDER, objectives_with_parts, plan_for_user, plan_overview
from plans.tables import ActionTable
from plans.workbook import WRITERS, WorkbookError, blank_template_sheets, write_xlsx


@require_safe
def home(request):
    if _my_actions(request.user).exists():
        return redirect("plans:my_actions")
    plans = list(Plan.objects.all())
    if len(plans) == 1:
        return redirect(plans[0])
    return render(request, "plans/plan_list.html", {"plans": plans})


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


def _plan_action(queryset, plan: Plan, reference: str) -> Action:
    return get_object_or_404(
        queryset.filter(objective__plan=plan)
        .select_related("objective__priority_area", "objective__plan", "last_updated_by")
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


@require_safe
def action_detail(request, plan, reference):
    plan = plan_for_user(request.user, plan)
    action = _plan_action(Action.objects.visible_to(request.user), plan, reference)
    today = timezone.localdate()
    return render(
        request,
        "plans/action_detail.html",
        {
            "plan": plan,
            "action": action,
            "today": today,
            "updates": _updates_with_previous_status(action),
            "can_update": request.user.has_perm("plans.update_action", action),
            "reminders": action.reminders.select_related("recipient"),
        },
    )


@require_http_methods(["GET", "POST"])
def action_update(request, plan, reference):
    plan = plan_for_user(request.user, plan)
    # Fetched through editable_by: someone else's action is simply not found.
    action = _plan_action(Action.objects.editable_by(request.user), plan, reference)
    today = timezone.localdate()
    conflict = None
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES, action=action, today=today)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action_record_progress(
                    action=action,
                    by=request.user,
                    version=data["version"],
                    status=data["status"],
                    commentary=data["commentary"],
                    revised_due_date=data["revised_due_date"],
                    revision_reason=data["revision_reason"],
                    evidence_link=data["evidence_link"],
                    evidence_file=data["evidence_file"],
                    today=today,
                )
            except StaleVersion as stale:
                # Show the other change; keep what this user typed, now based on the new version.
                conflict = list(
                    stale.action.updates.filter(version__gt=data["version"])
                    .select_related("created_by")
                    .order_by("version")
                )
                data = request.POST.copy()
                data["version"] = stale.action.version
                form = ProgressForm(data, action=stale.action, today=today)
                form.is_valid()
            else:
                messages.success(request, f"Action {action.reference} updated.")
                return redirect(action)
    else:
        form = ProgressForm(
            initial={"status": action.status, "version": action.version},
            action=action,
            today=today,
        )
    return render(
        request,
        "plans/action_update.html",
        {"plan": plan, "action": action, "form": form, "today": today, "conflict": conflict},
    )


def _my_actions(user):
    """Actions of the posts the user holds that they may also update (not a board member's)."""
    return Action.objects.held_by(user).filter(pk__in=Action.objects.editable_by(user).values("pk"))


@require_safe
def my_actions(request):
    """The actions of the posts the user holds: overdue first, then by due date."""
    today = timezone.localdate()
    actions = list(
        _my_actions(request.user)
        .select_related("objective__priority_area", "objective__plan")
        .prefetch_related("owners", "objective__responsible_posts")
    )
    actions.sort(
        key=lambda a: (not a.is_overdue(today), a.deadline is None, a.deadline or today, a.pk)
    )
    previous_meetings = {
        plan_id: BoardMeeting.objects.filter(plan_id=plan_id, date__lt=today).first()
        for plan_id in {a.objective.plan_id for a in actions}
    }
    rows = []
    for action in actions:
        meeting = previous_meetings[action.objective.plan_id]
        stale = bool(meeting) and (
            action.last_updated_at is None
            or timezone.localdate(action.last_updated_at) <= meeting.date
        )
        rows.append((action, meeting, stale))
    objectives = [
        (objective, objective.rag(today))
        for objective in objectives_with_parts()
        .filter(responsible_posts__holders=request.user)
        .distinct()
    ]
    return render(
        request,
        "plans/my_actions.html",
        {
            "rows": rows,
            "objectives": objectives,
            "today": today,
            "posts": request.user.posts.all(),
            "plan": actions[0].objective.plan if actions else None,
        },
    )


@require_safe
def evidence_download(request, update_id):
    update = get_object_or_404(
        ProgressUpdate.objects.filter(action__in=Action.objects.visible_to(request.user)),
        pk=update_id,
        evidence_file__gt="",
    )
    if not update.evidence_file.storage.exists(update.evidence_file.name):
        raise Http404("The evidence file is missing from storage. Tell your administrator.")
    return FileResponse(
        update.evidence_file.open("rb"),
        as_attachment=True,
        filename=update.evidence_filename or "evidence",
    )


@require_http_methods(["POST"])
@permission_required("plans.record_audit_results", raise_exception=True)
def audit_result_record(request, plan, reference):
    """Record (or correct) a month's audit result for a banded success criterion."""
    plan = plan_for_user(request.user, plan)
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
    data = form.cleaned_data
    result = AuditResult.objects.filter(
        criterion=criterion, month=data["month"].replace(day=1)
    ).first() or AuditResult(criterion=criterion, month=data["month"].replace(day=1))
    result.audited, result.good_or_outstanding = data["audited"], data["good_or_outstanding"]
    result.recorded_by = request.user
    result._history_user = request.user
    result.save()
    messages.success(
        request,
        f"Audit result for {result.month:%B %Y} recorded: {result.percentage}% good or "
        f"outstanding ({result.rag.label}).",
    )
    return redirect(criterion.objective)
