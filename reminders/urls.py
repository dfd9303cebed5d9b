from django.urls import path

from reminders import views

app_name = "reminders"

# The addresses are the ones the plans app served (emails and bookmarks keep working).
urlpatterns = [
    path("plans/<slug:plan>/reminders/", views.log_page, name="log"),
    path("plans/<slug:plan>/reminders/settings/", views.settings_page, name="settings"),
    path("plans/<slug:plan>/reminders/<int:pk>/send-again/", views.send_again, name="send_again"),
]
