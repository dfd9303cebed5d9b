from django.contrib import admin
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path

from plans.auth import QueuedPasswordResetForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("progress.urls")),
    path("", include("plans.urls")),
    path("", include("indicators.urls")),
    path("", include("reminders.urls")),
    path("", include("boards.urls")),
    path("", include("recommendations.urls")),
]
