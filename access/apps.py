from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access and the audit log"

    def ready(self):
        # Connected on import: the audit log's records, the note of each sign-in's time, and
        # who may map directory groups to roles.
        from access import permissions, sessions, signals  # noqa: F401
