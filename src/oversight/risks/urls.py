from django.urls import path

from . import views

app_name = "risks"
urlpatterns = [
    path("plan/<slug:slug>/risks/", views.register, name="register"),
    path("plan/<slug:slug>/risks.json", views.register, {"fmt": "json"}, name="register_json"),
    path("plan/<slug:slug>/risks/new/", views.risk_add, name="risk_add"),
    path("plan/<slug:slug>/risks/bands/", views.bands, name="bands"),
    path("plan/<slug:slug>/risks/<int:pk>/", views.risk_detail, name="risk"),
    path("plan/<slug:slug>/risks/<int:pk>.json", views.risk_detail, {"fmt": "json"}, name="risk_json"),
    path("plan/<slug:slug>/risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("plan/<slug:slug>/risks/<int:pk>/rescore/", views.risk_rescore, name="risk_rescore"),
    path("plan/<slug:slug>/risks/<int:pk>/close/", views.risk_close, name="risk_close"),
]
# Concerns and developments share their views; the paths are spelt out so that no pattern here
# can swallow another app's page under plan/<slug>/.
for _kind in ("concerns", "developments"):
    urlpatterns += [
        path(f"plan/<slug:slug>/{_kind}/", views.entry_list, {"kind": _kind}, name=f"{_kind}"),
        path(f"plan/<slug:slug>/{_kind}.json", views.entry_list, {"kind": _kind, "fmt": "json"},
             name=f"{_kind}_json"),
        path(f"plan/<slug:slug>/{_kind}/new/", views.entry_edit, {"kind": _kind}, name=f"{_kind}_add"),
        path(f"plan/<slug:slug>/{_kind}/<int:pk>/edit/", views.entry_edit, {"kind": _kind}, name=f"{_kind}_edit"),
    ]
