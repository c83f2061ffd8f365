from django.urls import path

from . import views

app_name = "governance"
P = "plan/<slug:slug>/governance"
urlpatterns = [
    path(f"{P}/", views.home, name="home"),
    path(f"{P}.json", views.home, {"fmt": "json"}, name="home_json"),
    path(f"{P}/boards/<int:pk>/", views.board, name="board"),
    path(f"{P}/boards/<int:pk>.json", views.board, {"fmt": "json"}, name="board_json"),
    path(f"{P}/meetings/<int:pk>/", views.meeting, name="meeting"),
    path(f"{P}/meetings/<int:pk>.json", views.meeting, {"fmt": "json"}, name="meeting_json"),
    path(f"{P}/visits/<int:pk>/", views.visit, name="visit"),
    path(f"{P}/visits/<int:pk>.json", views.visit, {"fmt": "json"}, name="visit_json"),
    path(f"{P}/work-programmes/<int:pk>/", views.work_programme, name="work_programme"),
    path(f"{P}/work-programmes/<int:pk>.json", views.work_programme, {"fmt": "json"}, name="work_programme_json"),
    path(f"{P}/work-programmes/<int:pk>.xlsx", views.work_programme, {"fmt": "xlsx"}, name="work_programme_xlsx"),
    path(f"{P}/projects/", views.projects, name="projects"),
    path(f"{P}/projects.json", views.projects, {"fmt": "json"}, name="projects_json"),
    path(f"{P}/projects/<int:pk>/state/", views.project_state, name="project_state"),
    path(f"{P}/self-assessment/import/", views.framework_import, name="framework_import"),
    path(f"{P}/self-assessment/<int:pk>/", views.framework, name="framework"),
    path(f"{P}/self-assessment/<int:pk>.json", views.framework, {"fmt": "json"}, name="framework_json"),
    path(f"{P}/findings/<int:pk>/to-plan/", views.finding_to_plan, name="finding_to_plan"),
    path(f"{P}/arising/<int:pk>/to-plan/", views.arising_to_plan, name="arising_to_plan"),
    path(f"{P}/edit/<str:kind>/new/", views.edit, name="add"),
    path(f"{P}/edit/<str:kind>/new/<int:parent>/", views.edit, name="add_to"),
    path(f"{P}/edit/<str:kind>/<int:pk>/", views.edit, name="edit"),
    path(f"{P}/plans/new/", views.statutory_plan_new, name="statutory_plan_new"),
    path(f"{P}/plans/<int:pk>/", views.statutory_plan, name="statutory_plan"),
    path(f"{P}/plans/<int:pk>.json", views.statutory_plan, {"fmt": "json"}, name="statutory_plan_json"),
    path(f"{P}/plans/<int:pk>.xlsx", views.statutory_plan, {"fmt": "xlsx"}, name="statutory_plan_xlsx"),
    path(f"{P}/plans/<int:pk>/import/", views.statutory_plan_import, name="statutory_plan_import"),
    path(f"{P}/calendar/", views.calendar, name="calendar"),
    path(f"{P}/calendar.json", views.calendar, {"fmt": "json"}, name="calendar_json"),
    path(f"{P}/calendar/boards/<int:pk>/", views.calendar_rule, name="calendar_rule"),
    path(f"{P}/calendar/meetings/<int:pk>/pack/", views.calendar_link, name="calendar_link"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("my-actions.json", views.my_actions, {"fmt": "json"}, name="my_actions_json"),
]
