from django.urls import path

from recommendations import views

app_name = "recommendations"

# The addresses are the ones the plans app served: bookmarks keep working.
urlpatterns = [
    path("plans/<slug:plan>/recommendations/", views.recommendation_register, name="register"),
    path("plans/<slug:plan>/recommendations/new/", views.recommendation_edit, name="create"),
    path(
        "plans/<slug:plan>/recommendations/from-plan/",
        views.recommendations_from_plan,
        name="from_plan",
    ),
    path(
        "plans/<slug:plan>/recommendations/monitoring/",
        views.monitoring_report_page,
        name="monitoring_report",
    ),
    path(
        "plans/<slug:plan>/recommendations/monitoring.<str:file_format>",
        views.monitoring_report_download,
        name="monitoring_report_download",
    ),
    path(
        "plans/<slug:plan>/recommendations/<int:number>/",
        views.recommendation_detail,
        name="detail",
    ),
    path(
        "plans/<slug:plan>/recommendations/<int:number>/edit/",
        views.recommendation_edit,
        name="edit",
    ),
    path(
        "plans/<slug:plan>/recommendations/<int:number>/update/",
        views.recommendation_update,
        name="update",
    ),
    path(
        "plans/<slug:plan>/recommendations/<int:number>/decision/",
        views.recommendation_decision,
        name="decision",
    ),
]
