"""`manage.py check --deploy` names the settings a production install must not leave as they are."""

from plans.checks import production_settings


def ids(problems):
    return sorted(problem.id for problem in problems)


def test_the_development_key_console_email_local_links_and_bench_tools_are_flagged(settings):
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = "http://127.0.0.1:8000"
    settings.DEVELOPMENT_TOOLS = True

    assert ids(production_settings(None)) == [
        "tracker.E001",
        "tracker.W001",
        "tracker.W002",
        "tracker.W003",
    ]


def test_production_settings_pass(settings):
    settings.SECRET_KEY = "a-long-random-value-made-for-this-council-only-0123456789"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SITE_URL = "https://tracker.council.gov.uk"
    settings.DEVELOPMENT_TOOLS = False

    assert production_settings(None) == []
