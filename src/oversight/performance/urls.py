"""Scorecard, its JSON twin and downloads, indicator front sheets and the rows behind a number."""

from django.urls import path, re_path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("scorecard.json", views.scorecard_json, name="scorecard_json"),
    re_path(r"^scorecard\.(?P<fmt>csv|xlsx)$", views.scorecard_download, name="scorecard_download"),
    path("indicators/<slug:indicator_id>/", views.indicator, name="indicator"),
    re_path(r"^indicators/(?P<indicator_id>[-\w]+)\.(?P<fmt>csv|xlsx)$", views.indicator_download,
            name="indicator_download"),
    path("indicators/<slug:indicator_id>/rows/", views.indicator_rows, name="indicator_rows"),
    path("indicators/<slug:indicator_id>/commentary/", views.commentary_add, name="commentary_add"),
    path("indicators/<slug:indicator_id>/targets/", views.target_add, name="target_add"),
]
