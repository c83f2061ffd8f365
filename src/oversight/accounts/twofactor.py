"""Optional TOTP two-factor for local accounts (django-otp's TOTP device).

The password sign-in is unchanged (django-axes still counts wrong passwords). A person who has
enrolled an authenticator app then has a session that is signed in but not *verified*, and
``TwoFactorMiddleware`` lets that session reach nothing but the code page and sign-out until a
right code is given. A person in a role named in ``OVERSIGHT_TOTP_REQUIRED_ROLES`` who has not
enrolled is sent to enrol before anything else. Wrong codes slow down exponentially per device
(django-otp's throttling), so six digits cannot be guessed in the time a session lasts.

People signed in by their council's single sign-on are not asked: multi-factor is their
provider's job (Entra ID Conditional Access), and asking twice teaches people to type codes
into whatever asks.

The QR code is drawn on the server as SVG markup (segno): no script, no inline style, so the
strict Content-Security-Policy holds.
"""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .oidc import BACKEND_PATH

VERIFY, SETUP = "twofactor:verify", "twofactor:setup"


def signed_in_by_sso(request: HttpRequest) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND_PATH


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def required_for(user) -> bool:
    """Whether one of the user's roles must use two-factor (``OVERSIGHT_TOTP_REQUIRED_ROLES``)."""
    roles = getattr(settings, "OVERSIGHT_TOTP_REQUIRED_ROLES", [])
    if not roles:
        return False
    from .backends import roles_of  # the role names held in any programme (memberships, read once per request)

    return any(set(names) & set(roles) for names in roles_of(user).names.values())


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


class TwoFactorMiddleware:
    """Holds an unverified local session at the code (or enrolment) page; after OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified() and not signed_in_by_sso(request):
            open_paths = {reverse(VERIFY), reverse(SETUP), reverse("logout")}
            if request.path not in open_paths and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                target = VERIFY if confirmed_device(user) else SETUP if required_for(user) else None
                if target:
                    return HttpResponseRedirect(f"{reverse(target)}?next={request.get_full_path()}"
                                                if request.method == "GET" else reverse(target))
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(label="Code from your authenticator app", max_length=8, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "pattern": "[0-9]*", "spellcheck": "false"}))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code


def _check(form: CodeForm, device: TOTPDevice) -> bool:
    """Verify the code against the device, honouring (and reporting) its throttle."""
    if not form.is_valid():
        return False
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", "Too many wrong codes in a row. Wait a moment, then enter the newest code")
        return False
    if not device.verify_token(form.cleaned_data["code"]):
        form.add_error("code", "That code is not right. Enter the newest code from your authenticator app")
        return False
    return True


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: the code from the app enrolled before."""
    device = confirmed_device(request.user)
    if device is None:  # nothing to verify: set it up instead
        return redirect(SETUP)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check(form, device):
        otp_login(request, device)
        return HttpResponseRedirect(_safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
    return render(request, "accounts/two_factor_verify.html",
                  {"form": form, "next": _safe_next(request, "")}, status=400 if form.errors else 200)


def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (scan the QR code, type one code to prove it works), or turn it off."""
    device = confirmed_device(request.user)
    if device is not None:
        return _manage(request, device)
    pending, _ = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False,
                                                  defaults={"name": "Authenticator app"})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check(form, pending):
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        otp_login(request, pending)
        messages.success(request, "Two-factor sign-in is on. You will be asked for a code after your password.")
        return HttpResponseRedirect(_safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
    url = pending.config_url
    qr = segno.make(url, error="m").svg_inline(scale=5, title="QR code to scan with your authenticator app")
    secret = url.split("secret=", 1)[1].split("&", 1)[0]
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": mark_safe(qr),  # segno's own markup: no user data but the account name, escaped
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "required": required_for(request.user), "next": _safe_next(request, ""),
    }, status=400 if form.errors else 200)


def _manage(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    """Already enrolled: say so; turning it off needs a current code and is refused where required."""
    required = required_for(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not required and _check(form, device):
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, "Two-factor sign-in is off.")
        return redirect(SETUP)
    return render(request, "accounts/two_factor_manage.html", {"form": form, "required": required},
                  status=400 if form.errors else 200)
