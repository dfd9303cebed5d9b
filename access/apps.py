from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access and the audit log"

    def ready(self):
        # Connected on import: the audit log's records, and the note of each sign-in's time.
        from access import sessions, signals  # noqa: F401
