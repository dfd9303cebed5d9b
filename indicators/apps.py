from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Measures that matter"

    def ready(self):
        # Connected on import: what this app keeps at the yearly rollover.
        from indicators import rollover  # noqa: F401
