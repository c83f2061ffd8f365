"""Granting, changing and revoking roles in a programme: the one place the rules are kept.

Used by the "People and roles" page, the ``oversight role`` command and single sign-on, so the
three cannot disagree. The rules:

* a role is one of the groups of ``accounts.roles.ROLES`` (a council may add its own groups in
  the admin; those can be granted too, by an administrator);
* an inspector's membership must have an expiry date, and no membership may be granted already
  expired (it would grant nothing and look as if it did);
* a programme manager (``plans.add_membership``) may grant, change and revoke roles in their
  programme, but not roles that carry child-level access or the power to grant any role
  (``accounts.roles.GUARDED_PERMISSIONS``): those need an administrator
  (``plans.grant_any_role``), so that nobody can widen their own or anyone's access to
  children's records beyond what they already hold;
* council-wide memberships (no programme) are granted only by a superuser or a council-wide
  administrator — in practice at the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Membership, Programme


class MembershipError(ValueError):
    """A grant or change that the rules refuse; the message says why, for a person to read."""


def roles() -> list[Group]:
    """The roles that can be granted, in the order of ``ROLES`` then any others the council added."""
    from oversight.accounts.roles import ROLES

    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    return [groups[n] for n in ROLES if n in groups] + [g for n, g in sorted(groups.items()) if n not in ROLES]


def role_named(name: str) -> Group:
    found = Group.objects.filter(name__iexact=name.strip()).first()
    if found is None:
        from oversight.accounts.roles import ROLES

        raise MembershipError(f"There is no role called {name!r}. Roles: {', '.join(ROLES)}.")
    return found


def permissions_of(role: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in role.permissions.all()}


def needs_expiry(role: Group) -> bool:
    from oversight.accounts.roles import EXPIRING_ROLES

    return role.name in EXPIRING_ROLES


def may_grant(granter, role: Group, programme: Programme | None) -> bool:
    """Whether ``granter`` may grant (change, revoke) ``role`` in ``programme`` (None: council-wide)."""
    from oversight.accounts.roles import GUARDED_PERMISSIONS

    if granter is None:  # the command line, run by whoever runs the server
        return True
    if granter.is_superuser:
        return True
    if programme is None:
        return granter.has_perm("plans.grant_any_role", _EveryProgramme()) and granter.has_perm(
            "plans.add_membership", _EveryProgramme())
    if not granter.has_perm("plans.add_membership", programme):
        return False
    if granter.has_perm("plans.grant_any_role", programme):
        return True
    return not (permissions_of(role) & GUARDED_PERMISSIONS)


class _EveryProgramme:
    """Asks the backend about council-wide roles only (a programme no one holds a role in)."""

    programme_id = -1


def grantable_roles(granter, programme: Programme | None) -> list[Group]:
    return [r for r in roles() if may_grant(granter, r, programme)]


def _check(role: Group, expires_on: dt.date | None) -> None:
    if needs_expiry(role) and expires_on is None:
        raise MembershipError(f"An {role.name.lower()}'s access must end on a date: give the date it expires.")
    if expires_on is not None and expires_on <= timezone.localdate():
        raise MembershipError(f"The expiry date {expires_on:%d/%m/%Y} is not in the future: the role would "
                              "grant nothing.")


def grant(user, role: Group | str, programme: Programme | None = None, *, expires_on: dt.date | None = None,
          granted_by=None, via: str = Membership.Via.APP) -> Membership:
    """Give ``user`` the role in the programme (or council-wide); granting it again sets the new expiry."""
    role = role_named(role) if isinstance(role, str) else role
    _check(role, expires_on)
    if not may_grant(granter=granted_by, role=role, programme=programme):
        raise MembershipError(f"You may not grant the role {role.name!r} here: it needs an administrator.")
    with transaction.atomic():
        existing = (Membership.objects.select_for_update().filter(user=user, role=role, programme=programme)
                    .order_by("pk").first())  # no ordering join: PostgreSQL locks no outer-joined row
        if existing is not None:
            if existing.expires_on != expires_on:
                existing.expires_on = expires_on
                existing.save(update_fields=["expires_on"])
            return existing
        return Membership.objects.create(user=user, role=role, programme=programme, expires_on=expires_on,
                                         granted_by=granted_by, via=via)


def change_expiry(membership: Membership, expires_on: dt.date | None, *, by=None) -> Membership:
    if not may_grant(by, membership.role, membership.programme):
        raise MembershipError(f"You may not change the role {membership.role.name!r}: it needs an administrator.")
    _check(membership.role, expires_on)
    membership.expires_on = expires_on
    membership.save(update_fields=["expires_on"])
    return membership


def revoke(membership: Membership, *, by=None) -> None:
    if not may_grant(by, membership.role, membership.programme):
        raise MembershipError(f"You may not revoke the role {membership.role.name!r}: it needs an administrator.")
    membership.delete()


def user_named(username: str):
    User = get_user_model()
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise MembershipError(f"Nobody has an account called {username.strip()!r}. An account is made when the "
                              "person first signs in with their council account, or an administrator makes a "
                              "local one.")
    return user


@dataclass(frozen=True)
class Row:
    """One line of the "People and roles" page (and its JSON twin)."""

    membership: Membership
    council_wide: bool
    live: bool
    may_change: bool

    def as_dict(self) -> dict:
        m = self.membership
        return {"id": m.pk, "username": m.user.get_username(), "name": m.user.get_full_name(),
                "role": m.role.name, "council_wide": self.council_wide,
                "expires_on": m.expires_on.isoformat() if m.expires_on else None, "live": self.live,
                "granted_by": m.granted_by.get_username() if m.granted_by_id else None,
                "granted_at": m.granted_at.isoformat(), "via": m.via}


def rows(programme: Programme, viewer) -> list[Row]:
    """Everyone who holds a role in the programme: its own memberships, then the council-wide ones."""
    today = timezone.localdate()
    qs = (Membership.objects.filter(Q(programme=programme) | Q(programme__isnull=True))
          .select_related("user", "role", "granted_by").prefetch_related("role__permissions__content_type")
          .order_by("programme_id", "user__username", "role__name"))
    out = []
    for m in qs:
        council_wide = m.programme_id is None
        out.append(Row(m, council_wide, m.is_live(today),
                       may_change=not council_wide and may_grant(viewer, m.role, programme)))
    out.sort(key=lambda r: (r.council_wide, r.membership.user.get_username().lower(), r.membership.role.name))
    return out


def programmes_for(user) -> QuerySet[Programme]:
    """The programmes ``user`` may read: all for a superuser or a council-wide role, else their own."""
    if user.is_superuser or user.has_perm("plans.view_programme", _EveryProgramme()):
        return Programme.objects.all()
    today = timezone.localdate()
    live = Membership.objects.filter(user=user).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))
    return Programme.objects.filter(pk__in=live.values("programme_id"))


def holders(programme: Programme, perm: str) -> QuerySet:
    """Active users who hold ``perm`` in the programme through a live membership (for reminders)."""
    app_label, codename = perm.split(".", 1)
    today = timezone.localdate()
    live = Membership.objects.filter(Q(programme=programme) | Q(programme__isnull=True),
                                     Q(expires_on__isnull=True) | Q(expires_on__gt=today),
                                     role__permissions__content_type__app_label=app_label,
                                     role__permissions__codename=codename)
    return get_user_model().objects.filter(is_active=True, pk__in=live.values("user_id"))
