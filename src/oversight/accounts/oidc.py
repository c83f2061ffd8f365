"""Council single sign-on: OpenID Connect (Microsoft Entra ID or any standard provider).

mozilla-django-oidc runs the authorization-code flow (with PKCE, state and nonce); this module
decides who the person is in Oversight and what they may do:

* **Who.** The account is named by ``OVERSIGHT_OIDC_USERNAME_CLAIM`` (``preferred_username``,
  the UPN in Entra ID, by default). A local account of the same name that still has a password
  is never signed into by the provider: single sign-on must not be a way to take over the
  one-laptop administrator. Accounts made here have no usable password.
* **What.** Roles come from the provider on *every* sign-in: Entra app roles (``roles`` claim)
  or group object ids (``groups`` claim) are mapped to Oversight roles by
  ``OVERSIGHT_OIDC_ROLE_MAP``. Roles are held per programme (``plans.Membership``): a map value
  ``"Programme manager"`` gives the role in each programme of ``OVERSIGHT_OIDC_PROGRAMMES``
  (slugs), or council-wide (every programme) when that is empty; ``"demo:Programme manager"``
  gives it in the programme ``demo`` only. Memberships sign-on gave that the claims no longer
  give are taken away; memberships granted in Oversight or at the command line are left alone.
  Inspectors cannot come from the map (their access must end on a date: grant it in the app).
  Staff and superuser flags are never set.
* **Nobody else.** A person whose claims map to no role is *refused*, not let in with no role.
  In Oversight any signed-in person can read the plan, its risks and aggregate figures, so "no
  role" is not "no access"; and a council tenant holds thousands of staff and guests who can
  all reach the sign-in page when the app registration does not require assignment. Refusing
  keeps access an explicit decision in Entra ID. A refused person who had an account loses the
  roles the provider gave them, so a session still open elsewhere loses them at once.
* **Checks beyond the library's.** The ID token's ``aud`` must be our client and its ``iss``
  the configured issuer (the library checks only the signature, expiry and nonce); the userinfo
  ``sub`` must be the ID token's.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .roles import ROLES

log = logging.getLogger("oversight.accounts.oidc")

BACKEND_PATH = "oversight.accounts.oidc.CouncilOIDCBackend"

# Setting name -> key of the provider's discovery document.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery_cache: dict[str, dict[str, Any]] = {}


def enabled() -> bool:
    return bool(getattr(settings, "OVERSIGHT_OIDC_ENABLED", False))


def discovery(issuer: str) -> dict[str, Any]:
    """The provider's ``/.well-known/openid-configuration``, fetched once per process.

    Read on first use, not at start-up, so that a provider that is down stops single sign-on
    only, never the service or local sign-in. A document naming another issuer is refused
    (OpenID Connect Discovery §4.3): it would let a wrong URL hand out someone else's tokens.
    """
    if issuer not in _discovery_cache:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", 10))
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
            raise ImproperlyConfigured(f"{url} names issuer {document.get('issuer')!r}, not {issuer!r}.")
        _discovery_cache[issuer] = document
    return _discovery_cache[issuer]


def provider_setting(attr: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting, with endpoints filled from discovery when not given."""
    value = import_from_settings(attr, *default)
    issuer = getattr(settings, "OVERSIGHT_OIDC_ISSUER", "")
    if not value and attr in _DISCOVERED and issuer and enabled():
        value = discovery(issuer).get(_DISCOVERED[attr])
    return value


def split_role(value: str) -> tuple[str | None, str]:
    """``"demo:Programme manager"`` → ("demo", "Programme manager"); ``"Analyst"`` → (None, "Analyst")."""
    slug, sep, role = value.partition(":")
    return (slug.strip(), role.strip()) if sep else (None, value.strip())


def role_map() -> dict[str, list[str]]:
    """``OVERSIGHT_OIDC_ROLE_MAP`` with each value as a list (a claim may give several roles)."""
    raw = getattr(settings, "OVERSIGHT_OIDC_ROLE_MAP", {}) or {}
    return {str(k): ([v] if isinstance(v, str) else list(v)) for k, v in raw.items()}


def mapped_roles(claims: dict[str, Any]) -> set[str]:
    """The Oversight roles that the ``roles`` and ``groups`` claims give, through the role map."""
    values: list[str] = []
    for claim in ("roles", "groups"):
        got = claims.get(claim) or []
        values += [got] if isinstance(got, str) else [str(v) for v in got]
    mapping = role_map()
    return {role for value in values for role in mapping.get(value, [])}


def mapped_memberships(claims: dict[str, Any]) -> set[tuple[str | None, str]]:
    """(programme slug or None for council-wide, role) pairs the claims give (``OVERSIGHT_OIDC_PROGRAMMES``)."""
    programmes = list(getattr(settings, "OVERSIGHT_OIDC_PROGRAMMES", []) or [])
    out: set[tuple[str | None, str]] = set()
    for value in mapped_roles(claims):
        slug, role = split_role(value)
        if slug:
            out.add((slug, role))
        else:
            out |= {(p, role) for p in programmes} if programmes else {(None, role)}
    return out


@register()
def role_map_names_real_roles(app_configs, **kwargs) -> list[Error]:
    """A misspelt role in the map would silently refuse everyone it was meant for: fail at start."""
    from .roles import EXPIRING_ROLES

    errors = [Error(f"OVERSIGHT_OIDC_ROLE_MAP maps {claim!r} to {role!r}, which is not an Oversight role.",
                    hint=f"Use one of: {', '.join(ROLES)} (optionally as \"programme-slug:Role\").",
                    id="oversight.E010")
              for claim, roles in role_map().items() for role in roles if split_role(role)[1] not in ROLES]
    errors += [Error(f"OVERSIGHT_OIDC_ROLE_MAP maps {claim!r} to {role!r}: that role's access must end on a date, "
                     "so it cannot come from single sign-on.", hint="Grant it in the app with an end date.",
                     id="oversight.E011")
               for claim, roles in role_map().items() for role in roles if split_role(role)[1] in EXPIRING_ROLES]
    return errors


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """Signs council staff in from their provider's ID token; idle when single sign-on is off.

    Django builds every backend for every sign-in attempt, password ones included, so nothing
    here may reach the provider or fail until a provider callback is actually being handled.
    """

    def __init__(self, *args, **kwargs):  # the base reads (and checks) endpoints eagerly: read lazily
        self.UserModel = get_user_model()

    get_settings = staticmethod(provider_setting)

    OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 (the base class's attribute names)
        return provider_setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return provider_setting("OIDC_OP_USER_ENDPOINT", None)

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return provider_setting("OIDC_OP_JWKS_ENDPOINT", None)

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self):  # noqa: N802
        return getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256")

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            # The provider went away mid-flow, or answered nonsense: a failed sign-in, not a 500.
            log.exception("Single sign-on: the provider could not be reached or answered wrongly.")
            return None
        except (SuspiciousOperation, jwt.PyJWTError) as exc:  # signature, expiry, nonce, aud or iss wrong
            log.warning("Single sign-on refused a token: %s", exc)
            return None

    def get_user(self, user_id):
        """Deactivated accounts lose their sessions (the library's own ``get_user`` forgets that)."""
        if not enabled():
            return None
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is for another client (aud).")
        issuer = settings.OVERSIGHT_OIDC_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ID token is from another issuer (iss).")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's added where the provider has one.

        Entra ID puts ``roles`` and ``groups`` in the ID token only, so the signed token wins
        wherever both name a claim.
        """
        userinfo: dict[str, Any] = {}
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") not in (None, payload.get("sub")):
                raise SuspiciousOperation("userinfo is about someone else (sub).")
        return {**userinfo, **payload}

    def username_from(self, claims: dict[str, Any]) -> str:
        claim = settings.OVERSIGHT_OIDC_USERNAME_CLAIM
        return str(claims.get(claim) or claims.get("email") or "").strip().lower()[:150]

    def describe_user_by_claims(self, claims):
        return f"username {self.username_from(claims)!r}"

    def filter_users_by_claims(self, claims):
        username = self.username_from(claims)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username)

    def verify_claims(self, claims):
        username = self.username_from(claims)
        if not username:
            log.warning("Single sign-on refused: no %s or email claim.", settings.OVERSIGHT_OIDC_USERNAME_CLAIM)
            return False
        if not mapped_roles(claims):
            log.warning("Single sign-on refused for %s: none of their app roles or groups is mapped to an "
                        "Oversight role (OVERSIGHT_OIDC_ROLE_MAP).", username)
            for user in self.filter_users_by_claims(claims):
                if not user.has_usable_password():
                    self._set_memberships(user, set())
            return False
        return True

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(self.username_from(claims))  # no password: unusable
        log.info("Single sign-on created the account %s.", user.get_username())
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        if user.has_usable_password():
            raise SuspiciousOperation(f"{user.get_username()} is a local account with a password; single sign-on "
                                      "does not sign into it (an administrator can turn its password off).")
        user.email = str(claims.get("email") or user.email)[:254]
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.save(update_fields=["email", "first_name", "last_name"])
        self._set_memberships(user, mapped_memberships(claims))
        return user

    @staticmethod
    def _set_memberships(user, wanted: set[tuple[str | None, str]]) -> None:
        """Make the memberships sign-on gave the user exactly ``wanted``; others (granted by hand) stay.

        A programme named in the map or ``OVERSIGHT_OIDC_PROGRAMMES`` that does not exist (yet) is
        skipped with a warning, not an error: the person still signs in with the rest.
        """
        from oversight.plans.models import Membership, Programme

        groups = {g.name: g for g in Group.objects.filter(name__in=list(ROLES))}
        slugs = {slug for slug, _ in wanted if slug}
        programmes = {p.slug: p for p in Programme.objects.filter(slug__in=slugs)}
        for slug in sorted(slugs - set(programmes)):
            log.warning("Single sign-on: no programme %r (OVERSIGHT_OIDC_ROLE_MAP / OVERSIGHT_OIDC_PROGRAMMES).", slug)
        keys = {(programmes[s].pk if s else None, groups[r].pk) for s, r in wanted
                if r in groups and (s is None or s in programmes)}
        mine = Membership.objects.filter(user=user, via=Membership.Via.SSO)
        for m in mine:
            if (m.programme_id, m.role_id) not in keys:
                m.delete()
        held = set(Membership.objects.filter(user=user).values_list("programme_id", "role_id"))
        for programme_id, role_id in sorted(keys - held, key=str):
            Membership.objects.create(user=user, programme_id=programme_id, role_id=role_id, via=Membership.Via.SSO)

    # Permissions are answered by accounts.backends.ProgrammeRoleBackend (per programme); this backend, a
    # ModelBackend underneath, must not also answer them from the user's Django groups.
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False


@method_decorator(login_not_required, name="dispatch")
class SignOnStartView(OIDCAuthenticationRequestView):
    """``/oidc/authenticate/``: sends the person to their council's provider."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, *args, **kwargs):  # the base reads the endpoint eagerly: read it when used
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802 (the base class's attribute name)
        return provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on is not switched on.")
        try:
            return super().get(request)
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            log.exception("Single sign-on: the provider's discovery document could not be read.")
            return render(request, "accounts/sso_unavailable.html", status=503)


@method_decorator(login_not_required, name="dispatch")
class SignOnCallbackView(OIDCAuthenticationCallbackView):
    """``/oidc/callback/``: the provider sends the person back here with a one-time code."""

    get_settings = staticmethod(provider_setting)

    @property
    def failure_url(self):
        return reverse("sso_refused")

    def get(self, request):
        if not enabled():
            raise Http404("Single sign-on is not switched on.")
        return super().get(request)


@login_not_required
def sso_refused(request: HttpRequest) -> HttpResponse:
    """Where a refused or failed single sign-on lands: says what to ask for, not why in detail."""
    return render(request, "accounts/sso_refused.html", {"sso_enabled": enabled()}, status=403)
