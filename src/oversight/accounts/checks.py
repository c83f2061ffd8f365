"""Start-up checks: a misspelt permission in the role table stops the service, loudly."""

from __future__ import annotations

from django.core.checks import Error, register


@register()
def role_permissions_exist(app_configs, **kwargs) -> list[Error]:
    from .roles import unknown_role_permissions

    return [Error(f"Role permission does not exist: {item}", hint="Check accounts/roles.py ROLES for a typo.",
                  id="oversight.E001") for item in unknown_role_permissions()]


from . import oidc  # noqa: E402, F401  (registers the single sign-on role-map check)
