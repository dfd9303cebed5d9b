"""The head of service's pages: landing on My actions, recording progress, and evidence."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from access.services import audit_download
from plans.models import Action
from plans.selectors import objectives_with_parts, plan_for_user, plans_for_user
from plans.views import plan_action
from progress.forms import ProgressForm
from progress.models import ProgressUpdate
from progress.selectors import actions_by_next_step, actions_to_update
from progress.services import StaleVersion, action_record_progress


@require_safe
def home(request):
    """My actions for someone with actions to update; else their plan, or the list of plans."""
    if actions_to_update(request.user).exists():
        return redirect("progress:my_actions")
    plans = list(plans_for_user(request.user)[:2])
    if len(plans) == 1:
        return redirect(plans[0])
    return redirect("plans:plan_list")


@require_http_methods(["GET", "POST"])
def action_update(request, plan, reference):
    plan = plan_for_user(request.user, plan, to_change=True)
    # Fetched through editable_by: someone else's action is simply not found.
    action = plan_action(Action.objects.editable_by(request.user), plan, reference)
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
        "progress/action_update.html",
        {"plan": plan, "action": action, "form": form, "today": today, "conflict": conflict},
    )


@require_safe
def my_actions(request):
    """The actions of the posts the user holds, by plan, grouped by what to do next."""
    today = timezone.localdate()
    mine = actions_by_next_step(request.user, today=today)
    objectives = [
        (objective, objective.rag(today))
        for objective in objectives_with_parts()
        .filter(responsible_posts__holders=request.user, plan__archived=None)
        .distinct()
    ]
    return render(
        request,
        "progress/my_actions.html",
        {
            "mine": mine,
            "objectives": objectives,
            "today": today,
            "posts": request.user.posts.all(),
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
    audit_download(
        request, f"evidence '{update.evidence_filename}' of action {update.action.reference}"
    )
    return FileResponse(
        update.evidence_file.open("rb"),
        as_attachment=True,
        filename=update.evidence_filename or "evidence",
    )
