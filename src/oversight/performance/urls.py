"""Scorecard, its JSON twin and downloads, indicator front sheets, the rows behind a number,
team performance surgeries, and the programme's local measures and scorecard layout."""

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
    path("teams/", views.team, name="team"),
    path("teams.json", views.team, {"fmt": "json"}, name="team_json"),
    path("programmes/<slug:slug>/measures/", views.measures, name="measures"),
    path("programmes/<slug:slug>/measures.json", views.measures, {"fmt": "json"}, name="measures_json"),
    path("programmes/<slug:slug>/measures/new/", views.measure_edit, name="measure_add"),
    path("programmes/<slug:slug>/measures/import/", views.measures_import, name="measures_import"),
    path("programmes/<slug:slug>/measures/<slug:code>/", views.measure_values, name="measure_values"),
    path("programmes/<slug:slug>/measures/<slug:code>/edit/", views.measure_edit, name="measure_edit"),
    path("programmes/<slug:slug>/scorecard-groups/", views.scorecard_groups, name="scorecard_groups"),
]
