from django.urls import path

from progress import views

app_name = "progress"

# The addresses are the ones the plans app served: emailed links to the update form still work.
urlpatterns = [
    path("", views.home, name="home"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("evidence/<int:update_id>/", views.evidence_download, name="evidence_download"),
    path(
        "plans/<slug:plan>/actions/<str:reference>/update/",
        views.action_update,
        name="action_update",
    ),
]
