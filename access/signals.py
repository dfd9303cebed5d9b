"""Sign-ins, sign-outs, roles (the user's groups), posts held and plans given, recorded as they
happen. Who made such a change is the signed-in person of the request that made it
(simple_history's request middleware keeps it), or nobody for a command or migration."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from access.models import AuditKind
from access.services import audit_record
from access.single_sign_on import COUNCIL_BACKEND
from plans.models import Plan, Post

User = get_user_model()
CHANGES = {"post_add": "added", "post_remove": "removed"}


def _acting_person():
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    # Django notes on the user which backend let them in.
    council = getattr(user, "backend", "") == COUNCIL_BACKEND
    how = "with their council account" if council else "with a password"
    audit_record(kind=AuditKind.SIGN_IN, by=user, what=f"signed in {how}")


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(kind=AuditKind.SIGN_OUT, by=user, what="signed out")


@receiver(user_login_failed)
def _refused(sender, credentials, request=None, **kwargs):
    audit_record(
        kind=AuditKind.SIGN_IN_FAILED, by=None, username=credentials.get("username", ""),
        what="sign-in refused",
    )  # fmt: skip


def _changes(instance, action, reverse, pk_set, forward: str, backward: str):
    """(verb, ids) of a many-to-many change: what was added or removed; `clear()` is read
    before it happens, through the relation's name in either direction."""
    if action in CHANGES:
        return CHANGES[action], pk_set or set()
    if action == "pre_clear":
        related = getattr(instance, backward if reverse else forward)
        return "removed", set(related.values_list("pk", flat=True))
    return None, set()


def _log(kind: AuditKind, noun: str, verb: str, pairs):
    for user, held in pairs:
        audit_record(
            kind=kind, by=_acting_person(),
            what=f"{noun} {held} {verb} for {_name(user)} ({user.get_username()})",
        )  # fmt: skip


def _audit_memberships(
    through,
    kind: AuditKind,
    noun: str,
    held_model,
    forward: str,
    backward: str,
    *,
    declared_on_user: bool,
):
    """Log each person given or taken a role, post or plan, whichever side the change was
    made from (`forward` is the relation's name where it is declared, `backward` the other)."""

    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        verb, ids = _changes(instance, action, reverse, pk_set, forward, backward)
        if not ids:
            return
        if declared_on_user != reverse:  # the change was made from the person's side
            pairs = [(instance, held) for held in held_model.objects.filter(pk__in=ids)]
        else:
            pairs = [(user, instance) for user in User.objects.filter(pk__in=ids)]
        _log(kind, noun, verb, pairs)

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"audit {noun}")


_audit_memberships(User.groups.through, AuditKind.ROLE_CHANGED, "role", Group,
                   "groups", "user_set", declared_on_user=True)  # fmt: skip
_audit_memberships(Post.holders.through, AuditKind.POST_CHANGED, "post", Post,
                   "holders", "posts", declared_on_user=False)  # fmt: skip
_audit_memberships(Plan.members.through, AuditKind.PLAN_GIVEN, "plan", Plan,
                   "members", "member_of_plans", declared_on_user=False)  # fmt: skip
