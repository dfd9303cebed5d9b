"""Deployment checks (`manage.py check --deploy`): settings that work on a laptop but would
quietly fail a council in production."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

CONSOLE_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    problems = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        problems.append(
            Error(
                "SECRET_KEY is the public development key.",
                hint="Set SECRET_KEY to a long random value (docs/deploy.md).",
                id="tracker.E001",
            )
        )
    if settings.EMAIL_BACKEND in CONSOLE_BACKENDS:
        problems.append(
            Warning(
                "Emails are not sent: EMAIL_URL is not set, so reminders only go to the log "
                "(and are marked sent).",
                hint="Set EMAIL_URL to the council's relay or a provider (docs/deploy.md).",
                id="tracker.W001",
            )
        )
    if "127.0.0.1" in settings.SITE_URL or "localhost" in settings.SITE_URL:
        problems.append(
            Warning(
                f"Links in emails point at {settings.SITE_URL}.",
                hint="Set SITE_URL to the address people use, e.g. https://tracker.council.gov.uk.",
                id="tracker.W002",
            )
        )
    if settings.DEVELOPMENT_TOOLS:
        problems.append(
            Warning(
                "The benchmark tools (bench/) are installed: their commands write synthetic plans.",
                hint="Deploy without the bench/ folder, or set DEVELOPMENT_TOOLS=false.",
                id="tracker.W003",
            )
        )
    return problems
