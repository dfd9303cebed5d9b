"""Roles from the council's directory: at every single sign-on, a person's roles in the tracker
become exactly those their directory groups (or app roles) are mapped to, so someone taken out
of a group loses the role at their next sign-in. Posts are still given in the tracker, and
other groups (such as the demo's) are left alone."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.urls import reverse

from access.models import DirectoryGroupRole
from plans.roles import Role, user_has_role


class TooManyGroups(Exception):
    """The token names no groups but says where to fetch them: Microsoft Entra ID does this for
    a person in more than 200 groups (the "overage" claim)."""


def directory_groups(claims: dict) -> list[str] | None:
    """The groups the token names, or None when the tracker is set to give roles itself
    (OIDC_GROUPS_CLAIM empty). A token without the claim names no groups: Entra ID leaves it
    out for someone in none."""
    claim = settings.OIDC_GROUPS_CLAIM
    if not claim:
        return None
    if claim not in claims and claim in claims.get("_claim_names", {}):
        raise TooManyGroups(claim)
    named = claims.get(claim) or []
    return [named] if isinstance(named, str) else [str(name) for name in named]


def roles_for(groups: list[str]) -> set[Group]:
    mappings = DirectoryGroupRole.objects.filter(directory_group__in=groups).select_related("role")
    return {mapping.role for mapping in mappings}


def apply_directory_roles(user, groups: list[str] | None) -> None:
    """Give and take away roles so the user's are those their groups map to (each change is
    recorded in the audit log as it happens)."""
    if groups is None:
        return
    wanted = roles_for(groups)
    held = set(user.groups.filter(name__in=Role.values))
    if held - wanted:
        user.groups.remove(*(held - wanted))
    if wanted - held:
        user.groups.add(*(wanted - held))


def has_a_role(user) -> bool:
    # Through the rules' predicates, which read the user's groups once a request for every check.
    return user.is_superuser or any(user_has_role(user, role) for role in Role)


def refuse_without_role(get_response):
    """Middleware: someone signed in with no role sees the page saying whom to ask, and nothing
    else but signing out."""

    def middleware(request):
        if (
            request.user.is_authenticated
            and request.path not in {reverse("access:no_role"), reverse("logout")}
            and not has_a_role(request.user)
        ):
            return redirect("access:no_role")
        return get_response(request)

    return middleware
