"""Settings for the improvement plan tracker, all driven by the environment.

SQLite by default; set DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/tracker) for PostgreSQL.
"""

from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Demo mode allows the demo accounts (and their printed passwords) to exist.
DEMO_MODE = env.bool("DEMO_MODE", default=False)
# Public, for laptops and CI; `manage.py check --deploy` refuses it (plans/checks.py).
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "plans",
    "access",
    "progress",
    "indicators",
    "reminders",
    "recommendations",
    "boards",
    "demo",
]
# The benchmark and load-test tools (bench/) are not the product: installed where the folder is,
# unless DEVELOPMENT_TOOLS=false; `check --deploy` warns when a deployment has them.
DEVELOPMENT_TOOLS = env.bool("DEVELOPMENT_TOOLS", default=find_spec("bench") is not None)
if DEVELOPMENT_TOOLS:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "access.sessions.session_expiry",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "access.directory_roles.refuse_without_role",
    "plans.navigation.remember_plan",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "plans.auth.DemoAwareModelBackend",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plans.navigation.navigation",
                "access.context_processors.sign_in",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Login throttling: 10 failed sign-ins for one account lock it for 5 minutes.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Lockout is per account, as promised; rotating browsers cannot reset a username's count.
# The HSTS preload list takes whole registrable domains (council.gov.uk, not the tracker's
# host): a council decides that for every service at once, so this app does not ask for it.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]

# Email: EMAIL_URL such as smtp://user:password@mail.example.org:587 (default: print to console).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="improvement-tracker@localhost")
# A slow mail server delays reminders (they are retried) rather than holding a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Links in emails point here: the address people use to reach the tracker.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Reminders (issue 6): the defaults; the performance manager can change them for a plan.
REMINDER_DUE_SOON_DAYS = env.int("REMINDER_DUE_SOON_DAYS", default=14)
REMINDER_OVERDUE_EVERY_DAYS = env.int("REMINDER_OVERDUE_EVERY_DAYS", default=7)
REMINDER_ESCALATION_DAYS = env.int("REMINDER_ESCALATION_DAYS", default=28)
REMINDER_UPDATE_REQUEST_WORKING_DAYS = env.int("REMINDER_UPDATE_REQUEST_WORKING_DAYS", default=10)
# How long a worker's claim on a reminder lasts before another worker may take it over: longer
# than sending one email can take (EMAIL_TIMEOUT), short enough to recover quickly.
REMINDER_LEASE_SECONDS = env.int("REMINDER_LEASE_SECONDS", default=300)
# A reminder the mail server did not take is tried again after these waits, the last one
# repeating, until it has been tried 10 times (then it is marked failed and shown in the log).
REMINDER_RETRY_SECONDS = env.list(
    "REMINDER_RETRY_SECONDS", cast=int, default=[60, 300, 900, 3600, 14400]
)
if not REMINDER_RETRY_SECONDS or min(REMINDER_RETRY_SECONDS) < 1:
    raise ImproperlyConfigured(
        "REMINDER_RETRY_SECONDS: give one or more waits of 1 second or more."
    )

# Celery: Redis in production (REDIS_URL); with none, a folder on disk, so the demo needs no server.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_DIR = Path(env("CELERY_BROKER_DIR", default=str(BASE_DIR / ".celery")))
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),  # for `celery inspect`
        "store_processed": False,
    }
CELERY_TIMEZONE = "Europe/London"  # the working morning is a UK morning
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged once done, and given back if its worker dies: the database's claim on
# each reminder, not the broker, stops a second send.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_IGNORE_RESULT = True  # the database keeps what a task did (e.g. PaperBuild)
# Tests only: a pause at the start of each step of a paper's build, so that a test can kill the
# worker mid-build (tests/boards/integration/test_paper_worker.py). Leave it at 0.
PAPER_BUILD_TEST_PAUSE = env.float("PAPER_BUILD_TEST_PAUSE", default=0)
CELERY_BEAT_SCHEDULE = {
    # Every working morning: find the reminders due today.
    "reminders-sweep": {
        "task": "reminders.tasks.reminders_sweep_task",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
    # Every minute: send what waits, retries whose time has come, claims of dead workers.
    "reminders-dispatch": {"task": "reminders.tasks.reminders_dispatch_task", "schedule": 60.0},
    # Every hour: the previous meeting's papers and those the direction of travel shows, once
    # settled, recorded before anyone asks.
    "papers-record": {
        "task": "boards.tasks.record_previous_papers_task",
        "schedule": crontab(minute=10),
    },
    # Every hour: checked indicator uploads nobody confirmed within a day, removed.
    "abandoned-uploads-remove": {
        "task": "indicators.tasks.abandoned_uploads_remove_task",
        "schedule": crontab(minute=20),
    },
    # Every hour: board papers made in the background over a day ago, removed with their files.
    "paper-builds-remove": {
        "task": "boards.tasks.paper_builds_remove_task",
        "schedule": crontab(minute=30),
    },
}
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# The locale's formats win over settings: tracker/formats/en_GB sets "31 March 2022".
FORMAT_MODULE_PATH = ["tracker.formats"]

STATIC_URL = "static/"
# Set for deployment (collectstatic); without it the app serves static/ through the finders.
STATIC_ROOT = env("STATIC_ROOT", default=None)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            # In production: whitenoise.storage.CompressedManifestStaticFilesStorage.
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# The app works from compiled assets in static/ without collectstatic (demo and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded evidence; served only through a permission-checked view, never as static files.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"

# Data-quality flags (indicators.quality; docs/rag-rules.md): a month's figure is late this many
# working days after the month ends; an audit result of fewer cases is a small sample.
FIGURES_DUE_WORKING_DAYS = env.int("FIGURES_DUE_WORKING_DAYS", default=10)
SMALL_SAMPLE_CASES = env.int("SMALL_SAMPLE_CASES", default=10)
# The largest spreadsheet any upload or import command reads (plans.spreadsheets).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Content-Security-Policy (django-csp): pages load only this site's own scripts, styles,
# images and fonts, and run no inline code (the browser tests fail on any violation).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Behind TLS (docs/deploy.md): HTTPS only, which browsers remember (HSTS), and secure cookies.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# A session ends this many hours after its last request (access.sessions).
SESSION_IDLE_HOURS = env.float("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = int(SESSION_IDLE_HOURS * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Sign-in with the council's accounts through OpenID Connect (access.single_sign_on), set by
# OIDC_ISSUER: for Microsoft Entra ID https://login.microsoftonline.com/<tenant ID>/v2.0.
OIDC_ISSUER = env("OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
# The claim that lists a person's directory groups ("groups") or app roles ("roles"); empty to
# give roles in the tracker instead (Google Workspace puts no groups in its tokens).
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your council account")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "single_sign_on_callback"
# A council-account session ends this many hours after sign-in, however busy (access.sessions).
COUNCIL_SESSION_HOURS = env.float("COUNCIL_SESSION_HOURS", default=12)
# Passwords kept in the tracker: for small councils and the demo; false once single sign-on works.
LOCAL_SIGN_IN = env.bool("LOCAL_SIGN_IN", default=True)
if OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too (docs/deploy.md)."
        )
    AUTHENTICATION_BACKENDS.append("access.single_sign_on.CouncilAccountBackend")
elif not LOCAL_SIGN_IN:
    raise ImproperlyConfigured(
        "LOCAL_SIGN_IN is false and OIDC_ISSUER is not set, so nobody could sign in: set "
        "OIDC_ISSUER (docs/deploy.md) or LOCAL_SIGN_IN=true."
    )
if not LOCAL_SIGN_IN:  # nothing, the admin's sign-in included, accepts a password
    AUTHENTICATION_BACKENDS.remove("plans.auth.DemoAwareModelBackend")

# History is read, never replayed: a "revert" would bypass progress updates and versions.
SIMPLE_HISTORY_REVERT_DISABLED = True

DJANGO_TABLES2_TEMPLATE = "govuk_table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
