"""The audit log an IT security review asks for: who signed in (or failed to), whose roles and
posts changed and who changed them, and who downloaded a board pack or evidence. Rows are only
added; the admin can read and filter them, never change them."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
    SIGN_OUT = "sign_out", "Signed out"
    ROLE_CHANGED = "role_changed", "Role changed"
    POST_CHANGED = "post_changed", "Post changed"
    PLAN_GIVEN = "plan_given", "Plan given or taken away"
    DOWNLOAD = "download", "Downloaded"


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    # Who did it: kept as the name typed or held then, so a refused or removed account still shows.
    username = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.TextField(help_text="What was done, to whom or to which file.")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "-at"], name="audit_kind_newest")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.username} {self.what}"


class DirectoryGroupRole(models.Model):
    """A group (or app role) in the council's directory that gives one of the tracker's roles to
    whoever signs in through single sign-on as its member. Applied at every such sign-in."""

    directory_group = models.CharField(
        max_length=200,
        help_text="As the provider writes it in the groups claim: for Microsoft Entra ID, the "
        "group's object ID (or the app role's value).",
    )
    description = models.CharField(
        max_length=200, blank=True, help_text="Its name in the directory, to recognise it by."
    )
    role = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["directory_group", "role__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory_group", "role"], name="directory_group_gives_a_role_once"
            )
        ]

    def __str__(self):
        return f"{self.description or self.directory_group} → {self.role.name}"


class SignInIdentity(models.Model):
    """The provider's lasting name for a person (issuer and subject), linked to their account at
    their first single sign-on; later sign-ins find them by it, whatever their email becomes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_identities"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_identity")
        ]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"
