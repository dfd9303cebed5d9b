"""The recommendations register: the list, a recommendation's page, recording what has been done
and the committee's decisions, and the monitoring report for a meeting."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plans.documents import pdf_from_html
from plans.models import BoardMeeting, Committee, Plan
from plans.selectors import objectives_with_parts, plan_for_user
from plans.views import download_response
from recommendations.forms import (
    PanelDecisionForm,
    RecommendationForm,
    RecommendationUpdateForm,
    meeting_label,
)
from recommendations.models import Recommendation, RecommendationSource, RecommendationStatus
from recommendations.monitoring import (
    monitoring_report,
    monitoring_report_html,
    monitoring_spreadsheet,
)
from recommendations.selectors import (
    decision_meetings,
    inspection_findings_not_in_register,
    recommendations_for_register,
    recommendations_with_progress,
)
from recommendations.services import (
    recommendation_create,
    recommendation_record_decision,
    recommendation_record_update,
    recommendations_from_inspection_references,
)

REPORT_FORMATS = ("pdf", "xlsx", "csv")


class RegisterFilter(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        choices=[
            ("live", "The live list"),
            ("closed", "Closed by the committee"),
            ("all", "The whole register"),
        ],
    )
    source = forms.ChoiceField(label="Source")
    meeting = forms.ChoiceField(label="Made at")
    status = forms.ChoiceField(label="Progress status")
    area = forms.ChoiceField(label="Linked priority area")
    awaiting = forms.BooleanField(label="Only those awaiting a decision")
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("number", "Reference"),
            ("date", "Date, oldest first"),
            ("status", "Progress status"),
            ("committee", "Tracked by"),
        ],
    )

    def __init__(self, data, *, plan: Plan, made_at: list[BoardMeeting]):
        super().__init__(data)
        for field in self.fields.values():
            field.required = False
        self.fields["source"].choices = [("", ""), *RecommendationSource.choices]
        self.fields["meeting"].choices = [("", "")] + [
            (str(meeting.pk), meeting_label(meeting)) for meeting in made_at
        ]
        self.fields["status"].choices = [("", ""), *RecommendationStatus.choices]
        self.fields["area"].choices = [("", "")] + [
            (area.reference, str(area)) for area in plan.priority_areas.all()
        ]

    def keeps(self, recommendation: Recommendation) -> bool:
        """Whether the recommendation passes every chosen filter."""
        chosen = self.cleaned_data if self.is_valid() else {}
        progress = recommendation.progress()
        show = chosen.get("show") or "live"
        if (show == "live" and not progress.is_open) or (show == "closed" and progress.is_open):
            return False
        if chosen.get("source") and recommendation.source != chosen["source"]:
            return False
        if chosen.get("meeting") and str(recommendation.made_at_id) != chosen["meeting"]:
            return False
        if chosen.get("status") and progress.status != chosen["status"]:
            return False
        if chosen.get("area") and chosen["area"] not in {
            objective.priority_area.reference for objective in recommendation.objectives.all()
        }:
            return False
        return not chosen.get("awaiting") or progress.awaiting_decision

    @property
    def narrows(self) -> bool:
        """Whether anything beyond the live list is chosen (to offer "clear the filters")."""
        chosen = self.cleaned_data if self.is_valid() else {}
        return any(value for name, value in chosen.items() if name not in ("show", "sort"))

    def sorted(self, recommendations: list[Recommendation]) -> list[Recommendation]:
        sort = (self.cleaned_data.get("sort") if self.is_valid() else "") or "number"
        statuses = list(RecommendationStatus.values)
        keys = {
            "number": lambda r: r.number,
            "date": lambda r: (r.date or date.max, r.number),
            "status": lambda r: (statuses.index(r.progress().status), r.number),
            "committee": lambda r: (r.committee, r.number),
        }
        return sorted(recommendations, key=keys[sort])


def _recommendation(plan: Plan, number: int) -> Recommendation:
    return get_object_or_404(
        recommendations_with_progress(plan).prefetch_related("objectives__actions"), number=number
    )


@require_safe
def recommendation_register(request, plan):
    plan = plan_for_user(request.user, plan)
    recommendations = list(recommendations_for_register(plan))
    made_at = sorted(
        {r.made_at for r in recommendations if r.made_at}, key=lambda m: m.date, reverse=True
    )
    register_filter = RegisterFilter(request.GET, plan=plan, made_at=made_at)
    shown = register_filter.sorted([r for r in recommendations if register_filter.keeps(r)])
    live = [r for r in recommendations if r.progress().is_open]
    return render(
        request,
        "recommendations/register.html",
        {
            "plan": plan,
            "recommendations": shown,
            "filter": register_filter,
            "live_count": len(live),
            "awaiting_count": sum(r.progress().awaiting_decision for r in live),
            "closed_count": len(recommendations) - len(live),
            "can_manage": request.user.has_perm("recommendations.manage_recommendations"),
            "panels": _monitoring_meetings(plan),
            "findings_to_add": len(inspection_findings_not_in_register(plan)),
            "today": timezone.localdate(),
        },
    )


@require_POST
def recommendations_from_plan(request, plan):
    """Add the inspection findings the plan's objectives cite, each once, for the board."""
    if not request.user.has_perm("recommendations.manage_recommendations"):
        raise PermissionDenied("Only a performance manager or a panel clerk adds recommendations.")
    plan = plan_for_user(request.user, plan, to_change=True)
    added = recommendations_from_inspection_references(
        plan, committee=Committee.IMPROVEMENT_BOARD, by=request.user
    )
    if added:
        messages.success(
            request,
            f"{added} inspection finding{'s' if added != 1 else ''} from the plan "
            f"{'were' if added != 1 else 'was'} added, tracked by the Improvement Board.",
        )
    else:
        messages.success(request, "Every inspection finding the plan cites is already here.")
    return redirect("recommendations:register", plan=plan.reference)


def _monitoring_meetings(plan: Plan) -> list[BoardMeeting]:
    """Each committee's next meeting (else its latest): where its monitoring report opens."""
    today = timezone.localdate()
    chosen = {}
    for meeting in plan.board_meetings.order_by("date"):
        current = chosen.get(meeting.committee)
        if current is None or current.date < today:
            chosen[meeting.committee] = meeting
    return sorted(chosen.values(), key=lambda m: m.committee)


@require_safe
def recommendation_detail(request, plan, number):
    plan = plan_for_user(request.user, plan)
    recommendation = _recommendation(plan, number)
    progress = recommendation.progress()
    objectives = objectives_with_parts().filter(
        pk__in=[objective.pk for objective in recommendation.objectives.all()]
    )
    # One log, oldest first: what officers recorded, and what the committee decided.
    log = sorted(
        [("update", u.created_at, u) for u in progress.updates]
        + [("decision", d.recorded_at, d) for d in progress.decisions],
        key=lambda entry: entry[1],
    )
    return render(
        request,
        "recommendations/detail.html",
        {
            "plan": plan,
            "recommendation": recommendation,
            "progress": progress,
            "objectives": objectives,
            "log": log,
            "changes": recommendation.history.select_related("history_user").order_by(
                "history_date"
            ),
            "today": timezone.localdate(),
            "can_update": progress.is_open
            and request.user.has_perm("recommendations.update_recommendation", recommendation),
            "can_decide": progress.awaiting_decision
            and request.user.has_perm("recommendations.manage_recommendations"),
            "can_manage": request.user.has_perm("recommendations.manage_recommendations"),
        },
    )


@require_http_methods(["GET", "POST"])
def recommendation_edit(request, plan, number=None):
    if not request.user.has_perm("recommendations.manage_recommendations"):
        raise PermissionDenied("Only a performance manager or a panel clerk records these.")
    plan = plan_for_user(request.user, plan, to_change=True)
    recommendation = _recommendation(plan, number) if number else None
    form = RecommendationForm(request.POST or None, instance=recommendation, plan=plan)
    if request.method == "POST" and form.is_valid():
        changed = form.save(commit=False)
        data = form.cleaned_data
        if recommendation is None:
            recommendation = recommendation_create(
                changed, objectives=data["objectives"], posts=data["responsible_posts"],
                by=request.user,
            )  # fmt: skip
            messages.success(request, f"{recommendation.reference} is added to the register.")
        else:
            changed._history_user = request.user
            changed.save()
            form.save_m2m()
            messages.success(request, f"{recommendation.reference} is saved.")
        return redirect(recommendation)
    return render(
        request,
        "recommendations/form.html",
        {"plan": plan, "recommendation": recommendation, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def recommendation_update(request, plan, number):
    plan = plan_for_user(request.user, plan, to_change=True)
    recommendation = _recommendation(plan, number)
    if not request.user.has_perm("recommendations.update_recommendation", recommendation):
        raise PermissionDenied("Only the posts that answer for it record what has been done.")
    progress = recommendation.progress()
    if not progress.is_open:
        messages.error(request, "The committee has closed this recommendation: it stays as it is.")
        return redirect(recommendation)
    today = timezone.localdate()
    form = RecommendationUpdateForm(
        request.POST or None,
        recommendation=recommendation,
        initial={"taken_on": today, "status": progress.status},
    )
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_record_update(recommendation, by=request.user, today=today,
                                         **form.cleaned_data)  # fmt: skip
        except ValidationError as problems:
            _add_problems(form, problems)
        else:
            messages.success(request, f"What has been done on {recommendation.reference} is "
                             "recorded.")  # fmt: skip
            return redirect(recommendation)
    return render(
        request,
        "recommendations/update.html",
        {"plan": plan, "recommendation": recommendation, "progress": progress, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def recommendation_decision(request, plan, number):
    if not request.user.has_perm("recommendations.manage_recommendations"):
        raise PermissionDenied("Only a performance manager or a panel clerk records a decision.")
    plan = plan_for_user(request.user, plan, to_change=True)
    recommendation = _recommendation(plan, number)
    progress = recommendation.progress()
    if not progress.awaiting_decision:
        messages.error(request, f"{recommendation.reference} is not awaiting a decision.")
        return redirect(recommendation)
    today = timezone.localdate()
    meetings = decision_meetings(recommendation, today)
    form = PanelDecisionForm(
        request.POST or None, meetings=meetings, decisions=progress.decision_choices(),
        initial={"meeting": request.GET.get("meeting") or meetings.first()},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_record_decision(recommendation, by=request.user, today=today,
                                           **form.cleaned_data)  # fmt: skip
        except ValidationError as problems:
            _add_problems(form, problems)
        else:
            decision = form.cleaned_data["decision"]
            messages.success(request, f"The decision on {recommendation.reference} is recorded: "
                             f"{dict(form.fields['decision'].choices)[decision]}.")  # fmt: skip
            return redirect(recommendation)
    return render(
        request,
        "recommendations/decision.html",
        {
            "plan": plan,
            "recommendation": recommendation,
            "progress": progress,
            "form": form,
            "has_meetings": meetings.exists(),
        },
        status=400 if form.errors else 200,
    )


def _add_problems(form: forms.Form, problems: ValidationError):
    """Put a service's ValidationError on the form: by field where it names one."""
    if hasattr(problems, "error_dict"):
        for name, errors in problems.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in problems.messages:
            form.add_error(None, message)


def _report_meeting(request, plan: Plan) -> BoardMeeting:
    meeting_id = request.GET.get("meeting", "")
    if meeting_id.isdigit():
        return get_object_or_404(plan.board_meetings, pk=int(meeting_id))
    meetings = _monitoring_meetings(plan)
    if not meetings:
        raise Http404("The plan has no meetings yet: a performance manager records them first.")
    return meetings[0]


@require_safe
def monitoring_report_page(request, plan):
    plan = plan_for_user(request.user, plan)
    meeting = _report_meeting(request, plan)
    report = monitoring_report(plan, meeting, timezone.localdate())
    return render(
        request,
        "recommendations/monitoring_report.html",
        {
            "plan": plan,
            "report": report,
            "meetings": plan.board_meetings.order_by("-date"),
        },
    )


@require_safe
def monitoring_report_download(request, plan, file_format):
    if file_format not in REPORT_FORMATS:
        raise Http404("The monitoring report downloads as pdf, xlsx or csv.")
    plan = plan_for_user(request.user, plan)
    meeting = _report_meeting(request, plan)
    report = monitoring_report(plan, meeting, timezone.localdate())
    if file_format == "pdf":
        content = pdf_from_html(monitoring_report_html(report))
    else:
        content = monitoring_spreadsheet(report, file_format)
    committee = meeting.committee.lower().replace(" ", "-")
    name = f"{plan.reference}-{committee}-monitoring-{meeting.date:%Y-%m-%d}.{file_format}"
    return download_response(name, content)
