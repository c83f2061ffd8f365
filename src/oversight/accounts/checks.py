"""Start-up checks: a misspelt permission in the role table stops the service, loudly."""

from __future__ import annotations

from django.core.checks import Error, register


@register()
def role_permissions_exist(app_configs, **kwargs) -> list[Error]:
    from .roles import unknown_role_permissions

    return [Error(f"Role permission does not exist: {item}", hint="Check accounts/roles.py ROLES for a typo.",
                  id="oversight.E001") for item in unknown_role_permissions()]


from . import oidc  # noqa: E402, F401  (registers the single sign-on role-map check)


@register()
def every_role_reads_its_programme(app_configs, **kwargs) -> list[Error]:
    """A role without ``plans.view_programme`` would be refused every page by the programme gate."""
    from .roles import ROLES
    from .scope import READ_PROGRAMME

    return [Error(f"Role {role!r} does not include {READ_PROGRAMME}: its holders would get 403 on every page.",
                  hint="Add it to the role in accounts/roles.py ROLES.", id="oversight.E002")
            for role, perms in ROLES.items() if READ_PROGRAMME not in perms]
