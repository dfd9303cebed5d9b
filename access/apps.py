from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access and the audit log"

    def ready(self):
        from access import signals  # noqa: F401 (records sign-ins, roles and posts held)
