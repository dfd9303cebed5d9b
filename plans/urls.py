from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/import/", views.plan_import, name="plan_import"),
    path("plans/import/template.xlsx", views.import_template, name="import_template"),
    path("plans/<slug:plan>/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:plan>/readers/", views.plan_readers, name="plan_readers"),
    path("plans/<slug:plan>/rollover/", views.plan_rollover, name="plan_rollover"),
    path("plans/<slug:plan>/export.<str:file_format>", views.plan_export, name="plan_export"),
    path("plans/<slug:plan>/actions/", views.ActionListView.as_view(), name="action_list"),
    path(
        "plans/<slug:plan>/actions/<str:reference>/",
        views.action_detail,
        name="action_detail",
    ),
    path(
        "plans/<slug:plan>/areas/<str:reference>/",
        views.priority_area_detail,
        name="priority_area_detail",
    ),
    path(
        "plans/<slug:plan>/criteria/<str:reference>/audit/",
        views.audit_result_record,
        name="audit_result_record",
    ),
    path(
        "plans/<slug:plan>/objectives/<str:reference>/",
        views.objective_detail,
        name="objective_detail",
    ),
]
