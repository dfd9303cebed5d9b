from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Improvement plans"

    def ready(self):
        # Registered on import: the deployment checks, and the note of each sign-in's time.
        from plans import checks, sessions  # noqa: F401
