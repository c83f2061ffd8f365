from django.urls import path

from . import edit_views, roles_views, views

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
    # themes and the programme's status for a reporting period
    path("plan/<slug:slug>/themes/<int:pk>/", views.theme_detail, name="theme"),
    path("plan/<slug:slug>/themes/<int:pk>.json", views.theme_detail, {"fmt": "json"}, name="theme_json"),
    path("plan/<slug:slug>/themes/<int:pk>/overview/", edit_views.overview_edit, name="overview_edit"),
    path("plan/<slug:slug>/status/", edit_views.status_edit, name="status_edit"),
    path("plan/<slug:slug>/budget/add/", edit_views.budget_edit, name="budget_add"),
    path("plan/<slug:slug>/budget/<int:pk>/", edit_views.budget_edit, name="budget_edit"),
    path("plan/<slug:slug>/settings/", edit_views.settings_edit, name="settings"),
    # the plan's structure
    path("plan/<slug:slug>/structure/", edit_views.plan_edit, name="plan_edit"),
    path("plan/<slug:slug>/structure/themes/add/", edit_views.theme_edit, name="theme_add"),
    path("plan/<slug:slug>/structure/themes/<int:pk>/", edit_views.theme_edit, name="theme_edit"),
    path("plan/<slug:slug>/structure/themes/<int:theme_pk>/recommendations/add/", edit_views.recommendation_edit,
         name="recommendation_add"),
    path("plan/<slug:slug>/structure/recommendations/<int:pk>/", edit_views.recommendation_edit,
         name="recommendation_edit"),
    path("plan/<slug:slug>/structure/recommendations/<int:rec_pk>/actions/add/", edit_views.plan_action_edit,
         name="plan_action_add"),
    path("plan/<slug:slug>/structure/actions/<int:pk>/", edit_views.plan_action_edit, name="plan_action_edit"),
    path("plan/<slug:slug>/structure/actions/<int:action_pk>/steps/add/", edit_views.step_edit, name="step_add"),
    path("plan/<slug:slug>/structure/steps/<int:pk>/", edit_views.step_edit, name="step_edit"),
    path("plan/<slug:slug>/structure/move/<str:kind>/<int:pk>/", edit_views.move, name="move"),
    path("plan/<slug:slug>/people/", edit_views.people, name="people"),
    path("plan/<slug:slug>/people/add/", edit_views.person_edit, name="person_add"),
    path("plan/<slug:slug>/people/<int:pk>/", edit_views.person_edit, name="person_edit"),
    # who holds which role in the programme (accounts/access.py, plans/memberships.py)
    path("plan/<slug:slug>/roles/", roles_views.roles, name="roles"),
    path("plan/<slug:slug>/roles.json", roles_views.roles, {"fmt": "json"}, name="roles_json"),
    path("plan/<slug:slug>/roles/<int:pk>/", roles_views.role_edit, name="role_edit"),
]
