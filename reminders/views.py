"""Reminders in the app: the log of what was sent, and the plan's reminder settings."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plans.selectors import plan_for_user
from reminders.forms import ReminderSettingsForm
from reminders.models import ReminderKind, ReminderSettings, ReminderState
from reminders.selectors import reminders_seen_by
from reminders.services import reminder_send_again, reminder_settings_save

LOG_PAGE_SIZE = 50


class ReminderLogFilter(forms.Form):
    state = forms.ChoiceField(label="State", choices=[("", "All"), *ReminderState.choices])
    kind = forms.ChoiceField(label="Kind", choices=[("", "All"), *ReminderKind.choices])
    state.required = kind.required = False


@require_safe
def log_page(request, plan):
    plan = plan_for_user(request.user, plan)
    log_filter = ReminderLogFilter(request.GET)
    reminders = reminders_seen_by(request.user, plan)  # latest first (Reminder.Meta)
    filtered = False
    if log_filter.is_valid():
        for name in ("state", "kind"):
            if log_filter.cleaned_data[name]:
                reminders = reminders.filter(**{name: log_filter.cleaned_data[name]})
                filtered = True
    page = Paginator(reminders, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reminders/log.html",
        {
            "plan": plan,
            "page": page,
            "filter": log_filter,
            "filtered": filtered,
            "query": query.urlencode(),
            "sees_everyone": request.user.has_perm("reminders.manage_reminders"),
            "rules": ReminderSettings.for_plan(plan),
        },
    )


@require_http_methods(["GET", "POST"])
def settings_page(request, plan):
    if not request.user.has_perm("reminders.manage_reminders"):
        raise PermissionDenied("Only performance managers change when reminders are sent.")
    plan = plan_for_user(request.user, plan, to_change=True)
    current = ReminderSettings.for_plan(plan)
    was_paused = current.paused  # the form writes its values onto `current` as it validates
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        changed = form.save(commit=False)
        try:
            reminder_settings_save(
                changed, by=request.user, was_paused=was_paused, today=timezone.localdate()
            )
        except IntegrityError:  # someone saved the plan's first settings a moment before
            messages.error(request, "Someone else has just changed these settings. Check them.")
            return redirect("reminders:settings", plan=plan.reference)
        messages.success(
            request,
            "Reminders are paused for this plan."
            if changed.paused
            else "The reminder settings are saved. They apply from the next morning's check.",
        )
        return redirect("reminders:log", plan=plan.reference)
    changes = current.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "reminders/settings.html",
        {"plan": plan, "form": form, "changes": changes if current.pk else []},
        status=400 if form.errors else 200,
    )


@require_POST
def send_again(request, plan, pk):
    if not request.user.has_perm("reminders.manage_reminders"):
        raise PermissionDenied("Only performance managers send a failed reminder again.")
    plan = plan_for_user(request.user, plan, to_change=True)
    reminder = get_object_or_404(plan.reminders.select_related("recipient"), pk=pk)
    if not reminder.recipient.email:
        messages.error(
            request,
            f"{reminder.recipient} has no email address. Add one in the admin, then send again.",
        )
    elif reminder_send_again(reminder):
        when = " when reminders are resumed" if ReminderSettings.for_plan(plan).paused else ""
        messages.success(
            request, f"The reminder to {reminder.recipient.email} will be sent again{when}."
        )
    else:
        messages.error(request, "Only a reminder that failed can be sent again.")
    return redirect(reverse("reminders:log", kwargs={"plan": plan.reference}))
