from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oversight.accounts.throttle import LoginView

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("oversight.accounts.signon_urls")),  # single sign-on /oidc/, two-factor
    path("admin/", admin.site.urls),
    path("", include("oversight.ops.urls")),
    path("", include("oversight.accounts.audit_urls")),  # /audit/: the audit log, the reason form
    path("data/", include("oversight.datasets.urls")),
    path("performance/", include("oversight.performance.urls")),
    path("", include("oversight.risks.urls")),
    path("", include("oversight.governance.urls")),
    path("", include("oversight.reports.urls")),
    path("", include("oversight.plans.urls")),
]
