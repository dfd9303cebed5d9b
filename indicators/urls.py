from django.urls import path, re_path

from indicators import views

app_name = "indicators"

# Each plan's indicators are under the plan; the addresses before that lead on to them.
PLAN = "plans/<slug:plan>/indicators/"
urlpatterns = [
    path(PLAN, views.indicator_list, name="list"),
    path(f"{PLAN}load/", views.indicator_upload, name="upload"),
    path(f"{PLAN}choose/", views.plan_indicators_choose, name="choose"),
    path(f"{PLAN}summary/", views.indicator_summary, name="summary"),
    path(f"{PLAN}export.<str:file_format>", views.indicator_export, name="export"),
    path(
        f"{PLAN}load/<uuid:token>/confirm/", views.indicator_upload_confirm, name="upload_confirm"
    ),
    path(f"{PLAN}template.xlsx", views.indicator_template_download, name="template"),
    path(f"{PLAN}<str:reference>/", views.indicator_detail, name="detail"),
    re_path(r"^indicators/(?P<rest>.*)$", views.old_address, name="old_address"),
]
