from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs) -> None:
    from .roles import ensure_roles

    ensure_roles()


class AccountsConfig(AppConfig):
    name = "oversight.accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the start-up checks)

        post_migrate.connect(_ensure_roles, dispatch_uid="oversight.accounts.ensure_roles")
