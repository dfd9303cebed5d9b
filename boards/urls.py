from django.urls import path

from boards import views

app_name = "boards"

# The addresses are the ones the plans app served: bookmarks and links in papers keep working.
urlpatterns = [
    path("plans/<slug:plan>/report/", views.exception_report, name="exception_report"),
    path(
        "plans/<slug:plan>/report.<str:file_format>",
        views.exception_report_download,
        name="exception_report_download",
    ),
    path(
        "plans/<slug:plan>/board-pack.<str:file_format>",
        views.board_pack_download,
        name="board_pack_download",
    ),
    # A PDF or Word paper being made in the background: its page, its progress, its file.
    path("plans/<slug:plan>/papers/<int:pk>/", views.paper_build, name="paper_build"),
    path(
        "plans/<slug:plan>/papers/<int:pk>/status.json",
        views.paper_build_status,
        name="paper_build_status",
    ),
    path(
        "plans/<slug:plan>/papers/<int:pk>/file/",
        views.paper_build_download,
        name="paper_build_download",
    ),
    path("plans/<slug:plan>/meetings/", views.meeting_list, name="meeting_list"),
    path("plans/<slug:plan>/meetings/new/", views.meeting_edit, name="meeting_create"),
    path("plans/<slug:plan>/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("plans/<slug:plan>/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path(
        "plans/<slug:plan>/meetings/<int:pk>/publish/",
        views.meeting_publish,
        name="meeting_publish",
    ),
    path(
        "plans/<slug:plan>/meetings/<int:pk>/areas/<str:reference>/assessment/",
        views.area_assessment,
        name="area_assessment",
    ),
    path(
        "plans/<slug:plan>/actions/<str:reference>/ask-the-board/",
        views.decision_ask,
        {"about": "action"},
        name="decision_ask_action",
    ),
    path(
        "plans/<slug:plan>/areas/<str:reference>/ask-the-board/",
        views.decision_ask,
        {"about": "area"},
        name="decision_ask_area",
    ),
    path("plans/<slug:plan>/decisions/<int:pk>/", views.decision_record_view, name="decision"),
    path("papers/word-template/", views.word_template, name="word_template"),
    path("published/<int:pk>.pdf", views.published_download, name="published_download"),
]
