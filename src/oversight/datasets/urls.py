"""Annex A uploads: one immutable Parquet dataset per upload, with its data-quality summary."""

from django.urls import path

from . import views

app_name = "datasets"
urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("uploads/", views.uploads, name="uploads"),
    path("<str:dataset_id>/", views.detail, name="detail"),
    path("<str:dataset_id>/report/", views.report, name="report"),
    path("<str:dataset_id>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<str:dataset_id>/rows/<slug:table>/", views.rows, name="rows"),
]
