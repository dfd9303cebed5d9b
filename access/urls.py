from django.urls import path

from access import views

app_name = "access"
urlpatterns = [
    path("no-role/", views.no_role, name="no_role"),
    path("directory-groups/", views.directory_group_roles, name="directory_group_roles"),
    path(
        "directory-groups/<int:pk>/remove/",
        views.directory_group_role_remove,
        name="directory_group_role_remove",
    ),
]
