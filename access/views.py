"""The sign-in page (a password, the council's account, or both), the single sign-on's two steps
with a clear page for whatever goes wrong, the page for someone with no role, and the mapping of
directory groups to roles."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.models import Group
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from access.directory_roles import has_a_role
from access.models import AuditKind, DirectoryGroupRole
from access.services import audit_record
from access.single_sign_on import SignInRefused, discover_provider, single_sign_on_enabled
from plans.auth import QueuedPasswordResetForm
from plans.roles import Role

logger = logging.getLogger(__name__)


def sign_in_options() -> dict:
    return {
        "local_sign_in": settings.LOCAL_SIGN_IN,
        "single_sign_on": single_sign_on_enabled(),
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }


class SignInView(LoginView):
    """Django's sign-in page, offering the council's account when single sign-on is set, and
    refusing passwords once LOCAL_SIGN_IN is false."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | sign_in_options()

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_SIGN_IN:
            context = self.get_context_data(passwords_refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


@login_not_required
def password_reset(request, *args, **kwargs):
    """Django's reset form (the email sent by the worker), while passwords are in use."""
    if not settings.LOCAL_SIGN_IN:
        raise Http404("Passwords are switched off: sign in with your council account.")
    return PasswordResetView.as_view(form_class=QueuedPasswordResetForm)(request, *args, **kwargs)


def refused(request, error: SignInRefused):
    """The page for a sign-in that cannot go on, recorded in the audit log."""
    logger.warning("Single sign-on refused: %s", error.detail)
    audit_record(
        kind=AuditKind.SIGN_IN_FAILED, by=None, what=f"single sign-on refused: {error.detail}"
    )
    context = {"reason": error.reason} | sign_in_options()
    return render(request, "access/sign_in_refused.html", context, status=error.status)


class SingleSignOnStart(OIDCAuthenticationRequestView):
    """Sends the person to the provider, with state, nonce and PKCE kept in their session."""

    def __init__(self, *args, **kwargs):
        # The endpoints come from discovery at each sign-in (get), not from settings.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not single_sign_on_enabled():
            return redirect("login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discover_provider().authorization_endpoint
        except SignInRefused as error:
            return refused(request, error)
        return super().get(request)


class SingleSignOnCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: the library checks the state, our backend
    (access.single_sign_on) the token; anything refused gets a page that says what to do."""

    def get(self, request):
        if request.GET.get("state") not in request.session.get("oidc_states", {}):
            # Not a sign-in this session started (or one already finished): refused before the
            # library would act on it (it signs the person out on any "error").
            return refused(request, replayed("callback refused: no such sign-in open"))
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # the state is not one this session has open
            return refused(request, replayed(f"callback refused: {error}"))
        except SignInRefused as error:
            return refused(request, error)

    def login_failure(self):
        said = self.request.GET.get("error_description") or self.request.GET.get("error")
        if not said:  # no sign-in open in this session: the link was used, or came from elsewhere
            return refused(self.request, replayed("callback refused: no sign-in open"))
        return refused(
            self.request,
            SignInRefused(
                "Your sign-in did not complete. Start again from the sign-in page.",
                detail=f"the provider answered: {said}",
                status=400,
            ),
        )


def replayed(detail: str) -> SignInRefused:
    return SignInRefused(
        "This sign-in link has been used already, or was not started here, so it was refused. "
        "Start again from the sign-in page.",
        detail=detail,
        status=400,
    )


# Reached before anyone is signed in.
single_sign_on_start = login_not_required(SingleSignOnStart.as_view())
single_sign_on_callback = login_not_required(SingleSignOnCallback.as_view())


@require_safe
def no_role(request):
    """What someone signed in without a role sees, instead of every other page."""
    if has_a_role(request.user):
        return redirect("progress:home")
    givers = Group.objects.filter(
        name__in=[Role.ADMINISTRATOR, Role.PERFORMANCE_MANAGER]
    ).prefetch_related("user_set")
    contacts = sorted(
        {user for group in givers for user in group.user_set.all() if user.is_active},
        key=lambda user: (user.last_name, user.first_name, user.username),
    )
    return render(request, "access/no_role.html", {"contacts": contacts}, status=403)


class DirectoryGroupRoleForm(forms.ModelForm):
    class Meta:
        model = DirectoryGroupRole
        fields = ["directory_group", "description", "role"]
        labels = {
            "directory_group": "Directory group or app role",
            "description": "Its name",
            "role": "The role it gives",
        }
        widgets = {"role": forms.RadioSelect}
        error_messages = {
            "directory_group": {"required": "Enter the group's ID or the app role's value."},
            "role": {"required": "Choose the role it gives."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Group.objects.filter(name__in=Role.values).order_by("name")
        self.fields["role"].empty_label = None
        self.fields["directory_group"].strip = True

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error(None, "That group already gives that role.")


@require_http_methods(["GET", "POST"])
@permission_required("access.map_directory_groups", raise_exception=True)
def directory_group_roles(request):
    form = DirectoryGroupRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            mapping = form.save()
            audit_record(kind=AuditKind.ROLE_CHANGED, by=request.user, what=f"mapped {mapping}")
        messages.success(request, f"Members of {mapping.directory_group} get the role "
                         f"{mapping.role.name} from their next sign-in.")  # fmt: skip
        return redirect("access:directory_group_roles")
    return render(
        request,
        "access/directory_group_roles.html",
        {
            "form": form,
            "mappings": DirectoryGroupRole.objects.select_related("role"),
            "claim": settings.OIDC_GROUPS_CLAIM,
        }
        | sign_in_options(),
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("access.map_directory_groups", raise_exception=True)
def directory_group_role_remove(request, pk: int):
    mapping = get_object_or_404(DirectoryGroupRole, pk=pk)
    with transaction.atomic():
        audit_record(kind=AuditKind.ROLE_CHANGED, by=request.user, what=f"unmapped {mapping}")
        mapping.delete()
    messages.success(request, f"Members of {mapping.directory_group} lose the role "
                     f"{mapping.role.name} at their next sign-in.")  # fmt: skip
    return redirect("access:directory_group_roles")
