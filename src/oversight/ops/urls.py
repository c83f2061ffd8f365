from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
