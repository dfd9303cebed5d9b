"""The audit log an IT security review asks for: who signed in (or failed to), whose roles and
posts changed and who changed them, and who downloaded a board pack or evidence. Rows are only
added; the admin can read and filter them, never change them."""

from django.conf import settings
from django.db import models


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
    SIGN_OUT = "sign_out", "Signed out"
    ROLE_CHANGED = "role_changed", "Role changed"
    POST_CHANGED = "post_changed", "Post changed"
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
