from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("plan/<slug:slug>/reports/", views.report_list, name="list"),
    path("plan/<slug:slug>/reports.json", views.report_list, {"fmt": "json"}, name="list_json"),
    path("plan/<slug:slug>/reports/pack.zip", views.board_pack_zip, name="board_pack"),
    path("plan/<slug:slug>/reports/<str:name>/", views.report_page, name="report"),
    path("plan/<slug:slug>/reports/<str:name>.<str:fmt>", views.report_download, name="download"),
    path("plan/<slug:slug>/packs/new/", views.pack_new, name="pack_new"),
    path("plan/<slug:slug>/packs/<int:version>/", views.pack_page, name="pack"),
    path("plan/<slug:slug>/packs/<int:version>.json", views.pack_page, {"fmt": "json"}, name="pack_json"),
    path("plan/<slug:slug>/packs/<int:version>.zip", views.pack_zip_download, name="pack_zip"),
    path("plan/<slug:slug>/packs/<int:version>/edit/", views.pack_edit, name="pack_edit"),
    path("plan/<slug:slug>/packs/<int:version>/<str:action>/", views.pack_transition, name="pack_transition"),
    path("plan/<slug:slug>/packs/<int:version>/files/<int:pk>/", views.pack_file, name="pack_file"),
]
