from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from access import views as access

# One sign-in page for everything: the admin's own sends people to it (and so to single
# sign-on, the lockout and the audit log), then lets staff through.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", access.SignInView.as_view(), name="login"),
    path("accounts/password_reset/", access.password_reset, name="password_reset"),
    path("accounts/council/", access.single_sign_on_start, name="single_sign_on_start"),
    path(
        "accounts/council/callback/",
        access.single_sign_on_callback,
        name="single_sign_on_callback",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("access/", include("access.urls")),
    path("", include("progress.urls")),
    path("", include("plans.urls")),
    path("", include("indicators.urls")),
    path("", include("reminders.urls")),
    path("", include("boards.urls")),
    path("", include("recommendations.urls")),
]
