"""`manage.py check --deploy` names the settings a production install must not leave as they are."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

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


def the_documented_env() -> dict:
    """The lines of the production `.env` that docs/deploy.md gives, its placeholder key made."""
    text = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
    block = text.split("```\n# /srv/tracker/.env\n", 1)[1].split("```", 1)[0]
    env = dict(line.split("=", 1) for line in block.splitlines() if line)
    assert env["SECRET_KEY"].startswith("<")
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_reports_nothing_with_the_settings_the_deploy_guide_gives():
    documented = the_documented_env()
    assert documented["SECURE_SSL_REDIRECT"] == "true" and int(documented["SECURE_HSTS_SECONDS"])
    kept = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    result = subprocess.run(  # noqa: S603 (this interpreter, this project's manage.py)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=kept | documented, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_the_https_settings_check_deploy_says_so():
    documented = the_documented_env()
    del documented["SECURE_SSL_REDIRECT"], documented["SECURE_HSTS_SECONDS"]
    kept = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    result = subprocess.run(  # noqa: S603 (as above)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=kept | documented, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout
