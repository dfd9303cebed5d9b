from access.models import AuditEvent, AuditKind


def audit_record(*, kind: AuditKind, by, what: str, username: str = "") -> AuditEvent:
    """Add a row to the audit log. `by` is the person who did it (None when nobody is signed
    in); `username` is kept for a refused sign-in, whose account may not exist."""
    known = by if by is not None and by.is_authenticated else None
    return AuditEvent.objects.create(
        kind=kind, user=known, username=known.get_username() if known else username, what=what
    )


def audit_download(request, what: str) -> AuditEvent:
    return audit_record(kind=AuditKind.DOWNLOAD, by=request.user, what=what)
