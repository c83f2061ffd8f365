"""``user.has_perm(perm)`` answered by the person's roles in the programme of the current request.

Roles are held per programme (``plans.Membership``). Views keep asking
``request.user.has_perm("app.codename")`` as they always have; this backend answers:

* with an explicit programme, ``user.has_perm(perm, programme)`` (or any object with a
  ``programme_id``): the person's roles in that programme, plus their council-wide roles;
* otherwise, for the programme of the request (``accounts.scope``: the URL's ``slug`` or
  ``?programme=``): the same;
* outside any programme (``/data/``, ``/performance/`` without ``?programme=``, a management
  command): whether the person holds the permission in *any* programme.

A membership that has reached its ``expires_on`` date grants nothing. A superuser is answered by
Django itself (everything). A user's Django groups grant nothing: roles come from memberships
only, so nobody keeps a council-wide role by accident. Permissions given to one user directly
(``user_permissions``, only a superuser can set them in the admin) still hold, council-wide:
they are the administrator's explicit exception and the data sets' test users use them.

Everything is read in one query per user object (which Django makes once per request) and kept
on it, so a page that asks twenty questions costs one query, not twenty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.utils import timezone

from . import scope

CACHE_ATTR = "_oversight_roles"
EVERY = None  # the key of council-wide roles


@dataclass
class Roles:
    """One person's live roles: permissions by programme (``None``: every programme), names too."""

    by_programme: dict[int | None, set[str]] = field(default_factory=dict)
    slugs: dict[str, int] = field(default_factory=dict)
    names: dict[int | None, set[str]] = field(default_factory=dict)

    def programme_id(self, where: scope.Where) -> int:
        """The programme ``where`` names, as a key (-1: one the person holds no role in)."""
        if where.pk is not None:
            return where.pk
        return self.slugs.get(where.slug, -1)  # a programme they hold nothing in: only council-wide roles

    def perms_in(self, programme_id: int | None) -> set[str]:
        return self.by_programme.get(EVERY, set()) | self.by_programme.get(programme_id, set())

    def anywhere(self) -> set[str]:
        return set().union(*self.by_programme.values()) if self.by_programme else set()


def roles_of(user) -> Roles:
    """The user's live roles, read once and kept on the user object (one object per request)."""
    cached = getattr(user, CACHE_ATTR, None)
    if cached is not None:
        return cached
    from oversight.plans.models import Membership

    roles = Roles()
    if user.is_active and not user.is_anonymous:
        today = timezone.localdate()
        rows = (Membership.objects.filter(user_id=user.pk)
                .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
                .values_list("programme_id", "programme__slug", "role__name",
                             "role__permissions__content_type__app_label", "role__permissions__codename"))
        for programme_id, slug, role, app_label, codename in rows:
            perms = roles.by_programme.setdefault(programme_id, set())
            roles.names.setdefault(programme_id, set()).add(role)
            if slug:
                roles.slugs[slug] = programme_id
            if codename:
                perms.add(f"{app_label}.{codename}")
    setattr(user, CACHE_ATTR, roles)
    return roles


def forget(user) -> None:
    """Drop what was read for ``user`` (after granting or revoking within the same request)."""
    for attr in (CACHE_ATTR, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


def _where(obj: Any) -> scope.Where | None:
    """The programme an object stands for: a Programme, something with a ``programme_id``, or None."""
    if obj is None:
        return None
    meta = getattr(obj, "_meta", None)
    if meta is not None and meta.label == "plans.Programme":
        return scope.Where(pk=obj.pk)
    programme_id = getattr(obj, "programme_id", None)
    if programme_id is not None:
        return scope.Where(pk=programme_id)
    return None


class ProgrammeRoleBackend(ModelBackend):
    """Password sign-in as Django's own backend; permissions from per-programme memberships."""

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        """Roles in the programme in question (``obj``, else the request's, else any)."""
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        roles = roles_of(user_obj)
        where = _where(obj) or scope.current()
        if where is None:
            return roles.anywhere()
        return roles.perms_in(roles.programme_id(where))

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        """Permissions given to this one user directly: council-wide, whatever the programme."""
        return super().get_user_permissions(user_obj)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return self.get_user_permissions(user_obj) | self.get_group_permissions(user_obj, obj)

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return user_obj.is_active and any(p.split(".", 1)[0] == app_label
                                          for p in self.get_all_permissions(user_obj))

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        """Not answerable per programme; use ``plans.memberships.holders`` instead."""
        raise NotImplementedError("Use oversight.plans.memberships.holders(programme, perm).")
