from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
    path("plan/<slug:slug>/", views.programme, name="programme"),
    path("plan/<slug:slug>.json", views.programme, {"fmt": "json"}, name="programme_json"),
    path("plan/<slug:slug>/tracker/", views.tracker, name="tracker"),
    path("plan/<slug:slug>/tracker.json", views.tracker, {"fmt": "json"}, name="tracker_json"),
    path("plan/<slug:slug>/actions/<int:pk>/", views.action_detail, name="action"),
    path("plan/<slug:slug>/actions/<int:pk>.json", views.action_detail, {"fmt": "json"}, name="action_json"),
    path("plan/<slug:slug>/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("plan/<slug:slug>/actions/<int:pk>/notes/", views.note_add, name="note_add"),
    path("plan/<slug:slug>/actions/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
]
