"""The audit log page (``/audit/``, its ``.json`` twin and ``.csv`` download) and the reason form."""

from django.urls import path

from . import audit_views

app_name = "audit"
urlpatterns = [
    path("audit/", audit_views.audit_log, name="log"),
    path("audit.json", audit_views.audit_log, {"fmt": "json"}, name="log_json"),
    path("audit.csv", audit_views.audit_log, {"fmt": "csv"}, name="log_csv"),
    path("audit/reason/", audit_views.reason, name="reason"),
]
