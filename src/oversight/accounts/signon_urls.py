"""URLs of council single sign-on (``/oidc/…``) and TOTP two-factor (``/accounts/two-factor/…``).

The callback path ``/oidc/callback/`` is the redirect URI registered with the provider.
"""

from django.urls import include, path

from . import oidc, twofactor

two_factor = ([
    path("", twofactor.verify, name="verify"),
    path("setup/", twofactor.setup, name="setup"),
], "twofactor")

urlpatterns = [
    path("oidc/authenticate/", oidc.SignOnStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.SignOnCallbackView.as_view(), name="oidc_authentication_callback"),
    path("accounts/sso-refused/", oidc.sso_refused, name="sso_refused"),
    path("accounts/two-factor/", include(two_factor)),
]
