"""Annex A uploads: one immutable Parquet dataset per upload, with its data-quality summary and lifecycle."""

from django.urls import path

from . import views

app_name = "datasets"
urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("uploads/", views.uploads, name="uploads"),
    path("jobs/<uuid:job_id>/", views.job, name="job"),
    path("jobs/<uuid:job_id>.json", views.job, name="job_json"),
    path("<str:dataset_id>.json", views.detail, name="detail_json"),
    path("<str:dataset_id>/", views.detail, name="detail"),
    path("<str:dataset_id>/publish/", views.publish, name="publish"),
    path("<str:dataset_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:dataset_id>/retry/", views.retry, name="retry"),
    path("<str:dataset_id>/teams/", views.teams, name="teams"),
    path("<str:dataset_id>/teams.json", views.teams, name="teams_json"),
    path("<str:dataset_id>/worklist/", views.worklist, name="worklist"),
    path("<str:dataset_id>/worklist.csv", views.worklist, {"fmt": "csv"}, name="worklist_csv"),
    path("<str:dataset_id>/worklist.xlsx", views.worklist, {"fmt": "xlsx"}, name="worklist_xlsx"),
    path("<str:dataset_id>/worklist.json", views.worklist, {"fmt": "json"}, name="worklist_json"),
    path("<str:dataset_id>/report/", views.report, name="report"),
    path("<str:dataset_id>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<str:dataset_id>/rows/<slug:table>/", views.rows, name="rows"),
]
