from django.urls import path

from indicators import views

app_name = "indicators"

# The addresses are the ones the plans app served: bookmarks keep working.
urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/load/", views.indicator_upload, name="upload"),
    path("indicators/summary/", views.indicator_summary, name="summary"),
    path("indicators/export.<str:file_format>", views.indicator_export, name="export"),
    path(
        "indicators/load/<uuid:token>/confirm/",
        views.indicator_upload_confirm,
        name="upload_confirm",
    ),
    path("indicators/template.xlsx", views.indicator_template_download, name="template"),
    path("indicators/<str:reference>/", views.indicator_detail, name="detail"),
]
