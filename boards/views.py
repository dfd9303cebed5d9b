"""Board meetings, the exception report and the board pack: pages, downloads and publishing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from access.services import audit_download
from boards.builds import again_url, build_page_url, paper_build_request
from boards.forms import (
    AreaAssessmentForm,
    DecisionForm,
    DecisionRequestForm,
    MeetingForm,
    WordTemplateForm,
    report_filter,
    report_moment,
)
from boards.models import (
    AreaAssessment,
    BuildState,
    DecisionRequest,
    PackKind,
    PaperBuild,
    PaperFormat,
    PublishedPack,
    WordTemplate,
)
from boards.pack import board_pack, pack_spreadsheet, report_spreadsheet
from boards.reading import reading_order
from boards.report import ExceptionReport, build_exception_report
from boards.services import (
    area_assessment_record,
    decision_record,
    decision_request_ask,
    meeting_save,
    word_template_stop,
    word_template_use,
)
from boards.tasks import paper_build_task
from plans.documents import sha256_hex
from plans.models import Action, BoardMeeting, Plan
from plans.rag import worst
from plans.selectors import objectives_with_parts, plan_for_user
from plans.views import download_response, plan_action
from recommendations.selectors import recommendations_awaiting

REPORT_FORMATS = ("pdf", "docx", "xlsx", "csv")


def _meeting(plan: Plan, pk: int) -> BoardMeeting:
    return get_object_or_404(plan.board_meetings, pk=pk)


def _report_from_request(request, plan: Plan):
    """The report the query asks for, its filtered items, the filter and the form."""
    today = timezone.localdate()
    areas = list(plan.priority_areas.all())  # both forms offer them: read once
    data, meeting, as_at = report_moment(request.GET, plan=plan, today=today, areas=areas)
    report = build_exception_report(plan, as_at=as_at, meeting=meeting)
    posts = sorted({name for item in report.items for name in item.posts})
    item_filter, form = report_filter(data, plan=plan, today=today, areas=areas, posts=posts)
    return report, item_filter.apply(report.items), item_filter, form


@require_safe
def exception_report(request, plan):
    plan = plan_for_user(request.user, plan)
    report, items, item_filter, form = _report_from_request(request, plan)
    query = request.GET.urlencode()
    if "meeting" not in request.GET and report.meeting:
        query = f"meeting={report.meeting.pk}" + (f"&{query}" if query else "")
    return render(
        request,
        "boards/exception_report.html",
        {
            "plan": plan,
            "report": report,
            "items": items,
            "order": reading_order(report, items),
            "filter": item_filter,
            "form": form,
            "query": query,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


def _back_to_report(request, plan: Plan):
    """A download asked with a bad date: the report page shows the message."""
    url = reverse("boards:exception_report", kwargs={"plan": plan.reference})
    return redirect(f"{url}?{request.GET.urlencode()}")


def _filename(report: ExceptionReport, name: str, file_format: str) -> str:
    return f"{report.plan.reference}-{name}-{report.as_at:%Y-%m-%d}.{file_format}"


@require_safe
def exception_report_download(request, plan, file_format):
    if file_format not in REPORT_FORMATS:
        raise Http404("The report downloads as pdf, docx, xlsx or csv.")
    plan = plan_for_user(request.user, plan)
    if file_format in PaperFormat.values:
        return _paper_requested(request, plan, PackKind.EXCEPTION_REPORT, file_format)
    report, items, _, form = _report_from_request(request, plan)
    if form.errors:
        return _back_to_report(request, plan)
    content = report_spreadsheet(report, items, file_format)
    return download_response(_filename(report, "exception-report", file_format), content)


@require_safe
def board_pack_download(request, plan, file_format):
    """The whole pack: every exception, whatever the report page's filters."""
    if file_format not in REPORT_FORMATS:
        raise Http404("The board pack downloads as pdf, docx, xlsx or csv.")
    plan = plan_for_user(request.user, plan)
    if file_format in PaperFormat.values:
        return _paper_requested(request, plan, PackKind.BOARD_PACK, file_format)
    report, _, _, form = _report_from_request(request, plan)
    if form.errors:
        return _back_to_report(request, plan)
    if file_format == "xlsx":
        content = pack_spreadsheet(board_pack(report))
    else:
        content = report_spreadsheet(report, report.items, "csv")
    name = _filename(report, "board-pack", file_format)
    audit_download(request, f"board pack {name}")
    return download_response(name, content)


def _paper_requested(request, plan: Plan, kind: str, file_format: str):
    """Start or join the build of the PDF or Word paper the query asks for (a worker makes it:
    no request waits for WeasyPrint), and send the reader to its page."""
    today = timezone.localdate()
    areas = list(plan.priority_areas.all())
    data, meeting, as_at = report_moment(request.GET, plan=plan, today=today, areas=areas)
    # The report, and so its posts, is read by the worker: any post named passes here, and
    # keeps only the items it is responsible for (none, for a post not in the report).
    posts = [data["post"]] if data.get("post") else []
    item_filter, form = report_filter(data, plan=plan, today=today, areas=areas, posts=posts)
    if form.errors:
        return _back_to_report(request, plan)
    build, started = paper_build_request(
        plan=plan, meeting=meeting, as_at=as_at, kind=kind, file_format=file_format,
        query=item_filter.query if kind == PackKind.EXCEPTION_REPORT else "", by=request.user,
    )  # fmt: skip
    if started:
        paper_build_task.delay_on_commit(build.pk)
    return _see_build(build)


def _see_build(build: PaperBuild) -> HttpResponseRedirect:
    """See Other (303): the build's page, for a GET or a POST alike."""
    response = HttpResponseRedirect(build_page_url(build))
    response.status_code = 303
    return response


def _build_of(request, plan: str, pk: int) -> PaperBuild:
    """A build of a plan the reader reads, whoever started it."""
    plan = plan_for_user(request.user, plan)
    builds = PaperBuild.objects.select_related("plan", "meeting", "published")
    return get_object_or_404(builds, pk=pk, plan=plan)


def _build_context(request, build: PaperBuild) -> dict:
    lost = build.is_lost(timezone.now())
    return {
        "plan": build.plan,
        "build": build,
        "what": build.get_kind_display().lower(),
        "lost": lost,
        "finished": lost or build.state in (BuildState.READY, BuildState.FAILED),
        "again": again_url(build),
        "can_publish": request.user.has_perm("plans.manage_meetings"),
    }


@require_safe
def paper_build(request, plan, pk):
    """A paper being made in the background: how far it has got, then its download."""
    build = _build_of(request, plan, pk)
    return render(request, "boards/paper_build.html", _build_context(request, build))


@require_safe
@never_cache
def paper_build_status(request, plan, pk):
    """The build's progress for the page's script: its state and the page's status, as HTML."""
    build = _build_of(request, plan, pk)
    context = _build_context(request, build)
    html = render_to_string("boards/includes/paper_build_status.html", context, request=request)
    return JsonResponse({
        "state": build.state, "step": build.step, "steps": build.steps,
        "step_name": build.step_name, "finished": context["finished"], "html": html,
    })  # fmt: skip


@require_safe
def paper_build_download(request, plan, pk):
    build = _build_of(request, plan, pk)
    if build.state != BuildState.READY or not build.file:
        raise Http404("This paper is not ready yet: its page says how it is going.")
    with build.file.open("rb") as stored:
        content = stored.read()
    if build.kind == PackKind.BOARD_PACK:
        audit_download(request, f"board pack {build.download_name}")
    return download_response(build.download_name, content)


@require_safe
def meeting_list(request, plan):
    plan = plan_for_user(request.user, plan)
    meetings = plan.board_meetings.order_by("-date").prefetch_related("published")
    return render(
        request,
        "boards/meeting_list.html",
        {"plan": plan, "meetings": meetings, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, plan, pk=None):
    if not request.user.has_perm("plans.manage_meetings"):
        raise PermissionDenied("Only performance managers record board meetings.")
    plan = plan_for_user(request.user, plan, to_change=True)
    meeting = _meeting(plan, pk) if pk else None
    form = MeetingForm(request.POST or None, instance=meeting, plan=plan)
    if request.method == "POST" and form.is_valid():
        meeting = meeting_save(form.save(commit=False), by=request.user)
        messages.success(request, f"{meeting} is saved.")
        return redirect(meeting)
    return render(
        request,
        "boards/meeting_form.html",
        {"plan": plan, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
def meeting_detail(request, plan, pk):
    plan = plan_for_user(request.user, plan)
    meeting = _meeting(plan, pk)
    today = timezone.localdate()
    assessments = {
        assessment.priority_area_id: assessment
        for assessment in meeting.assessments.select_related("recorded_by")
    }
    areas = [
        (area, assessments.get(area.pk), request.user.has_perm("boards.assess_priority_area", area))
        for area in plan.priority_areas.select_related("lead").prefetch_related("lead__holders")
    ]
    return render(
        request,
        "boards/meeting_detail.html",
        {
            "plan": plan,
            "meeting": meeting,
            "awaiting": recommendations_awaiting(meeting, today),
            "decisions": meeting.recommendation_decisions.select_related(
                "recommendation", "recorded_by"
            ),
            "can_decide": request.user.has_perm("recommendations.manage_recommendations"),
            "as_at": meeting.as_at(today),
            "previous": meeting.previous(),
            "published": meeting.published.select_related("published_by"),
            "areas": areas,
            "decision_requests": meeting.decision_requests.select_related(
                "action", "priority_area", "asked_by"
            ),
            "pack_kinds": PackKind.choices,
            "can_manage": request.user.has_perm("plans.manage_meetings"),
        },
    )


@require_POST
def meeting_publish(request, plan, pk):
    """Publish the PDF as issued (a worker makes and stores it, with its hash), so the meeting
    page lists what the board had; on to the build's page, which says when it is done."""
    if not request.user.has_perm("plans.manage_meetings"):
        raise PermissionDenied("Only performance managers publish board packs.")
    plan = plan_for_user(request.user, plan, to_change=True)
    meeting = _meeting(plan, pk)
    kind = request.POST.get("kind")
    if kind not in PackKind.values:
        messages.error(request, "Choose the exception report or the board pack to publish.")
        return redirect(meeting)
    build, started = paper_build_request(
        plan=plan, meeting=meeting, as_at=meeting.as_at(timezone.localdate()), kind=kind,
        file_format=PaperFormat.PDF, by=request.user, publish=True,
    )  # fmt: skip
    if started:
        paper_build_task.delay_on_commit(build.pk)
    return _see_build(build)


@require_safe
def published_download(request, pk):
    pack = get_object_or_404(PublishedPack.objects.select_related("meeting__plan"), pk=pk)
    plan_for_user(request.user, pack.meeting.plan.reference)
    name = f"{pack.meeting.plan.reference}-{pack.kind.replace('_', '-')}-{pack.as_at:%Y-%m-%d}.pdf"
    with pack.file.open("rb") as stored:
        content = stored.read()
    if sha256_hex(content) != pack.sha256:
        # Never hand the board a file that is not the one published.
        return HttpResponse(
            "This file no longer matches the fingerprint recorded when it was published. "
            "Ask the administrator to restore it from the backup.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    audit_download(request, f"published {pack.get_kind_display().lower()} {name}")
    return download_response(name, content)


@require_http_methods(["GET", "POST"])
def area_assessment(request, plan, pk, reference):
    plan = plan_for_user(request.user, plan, to_change=True)
    meeting = _meeting(plan, pk)
    area = get_object_or_404(plan.priority_areas.select_related("lead"), reference=reference)
    if not request.user.has_perm("boards.assess_priority_area", area):
        raise PermissionDenied("Only the area's lead or a performance manager records this.")
    assessment = AreaAssessment.objects.filter(meeting=meeting, priority_area=area).first()
    form = AreaAssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        area_assessment_record(form.save(commit=False), meeting=meeting, area=area, by=request.user)
        messages.success(request, f"The risk rating for {area} is saved.")
        return redirect(meeting)
    objectives = objectives_with_parts().filter(priority_area=area)
    today = timezone.localdate()
    return render(
        request,
        "boards/area_assessment.html",
        {
            "plan": plan,
            "meeting": meeting,
            "area": area,
            "form": form,
            "area_rag": worst(objective.rag(today) for objective in objectives),
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def decision_ask(request, plan, reference, about):
    """Ask the board for a decision on an action (`about` "action") or a priority area."""
    plan = plan_for_user(request.user, plan, to_change=True)
    if about == "action":
        action = plan_action(Action.objects.all(), plan, reference)
        area, subject = action.objective.priority_area, action
    else:
        action, area = None, get_object_or_404(plan.priority_areas, reference=reference)
        subject = area
    if not request.user.has_perm("boards.ask_for_decision", subject):
        raise PermissionDenied("Only the action's owner or the area's lead asks the board.")
    today = timezone.localdate()
    form = DecisionRequestForm(request.POST or None, plan=plan, today=today)
    if request.method == "POST" and form.is_valid():
        asked = decision_request_ask(
            form.save(commit=False), area=area, action=action, by=request.user
        )
        messages.success(request, f"Your request is in the papers for {asked.meeting}.")
        return redirect(f"{asked.meeting.get_absolute_url()}#decisions")
    return render(
        request,
        "boards/decision_ask.html",
        {"plan": plan, "action": action, "area": area, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def decision_record_view(request, plan, pk):
    """Record the board's decision on a request (performance managers)."""
    if not request.user.has_perm("plans.manage_meetings"):
        raise PermissionDenied("Only performance managers record the board's decisions.")
    plan = plan_for_user(request.user, plan, to_change=True)
    asked = get_object_or_404(
        DecisionRequest.objects.select_related("meeting", "action", "priority_area"),
        pk=pk,
        meeting__plan=plan,
    )
    initial = {"outcome": asked.state, "decision": asked.decision} if asked.decided_at else None
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        decision_record(asked, by=request.user, **form.cleaned_data)
        messages.success(request, f"The board's decision on “{asked.title}” is recorded.")
        return redirect(f"{asked.meeting.get_absolute_url()}#decisions")
    return render(
        request,
        "boards/decision_record.html",
        {"plan": plan, "asked": asked, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def word_template(request):
    """The council's own Word template for the Word papers (performance managers)."""
    if not request.user.has_perm("plans.manage_meetings"):
        raise PermissionDenied("Only performance managers choose the papers' Word template.")
    if request.method == "POST" and request.POST.get("use") == "plain":
        word_template_stop()
        messages.success(request, "The Word papers are written in the tracker's plain layout.")
        return redirect("boards:word_template")
    form = WordTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        word_template_use(content=form.cleaned_data["content"], name=upload.name, by=request.user)
        messages.success(request, f"The Word papers are written in “{upload.name}” from now on.")
        return redirect("boards:word_template")
    return render(
        request,
        "boards/word_template.html",
        {"form": form, "in_use": WordTemplate.objects.filter(in_use=True).first()},
        status=400 if form.errors else 200,
    )
