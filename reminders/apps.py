from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self):
        # Connected on import: what this app keeps at the yearly rollover.
        from reminders import rollover  # noqa: F401
