"""Sign-in throttling: accounts are locked, an address only when many accounts fail from it.

django-axes locks one *account* after ``AXES_FAILURE_LIMIT`` wrong passwords. Locking by
address as well would lock out a whole council behind its reverse proxy after one person's
typos, so an address is refused only when ``OVERSIGHT_LOGIN_ADDRESS_ACCOUNTS`` different
accounts have failed from it within the cool-off time: that pattern is password spraying, not
a colleague who forgot a password.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def accounts_failing_from(ip: str) -> int:
    """How many different accounts have failed to sign in from ``ip`` within the cool-off time."""
    since = timezone.now() - get_cool_off()
    return (AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since)
            .values("username").distinct().count())


def address_blocked(request: HttpRequest) -> bool:
    ip = get_client_ip_address(request)
    return bool(ip) and accounts_failing_from(ip) >= settings.OVERSIGHT_LOGIN_ADDRESS_ACCOUNTS


class LoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if address_blocked(request):
            return render(request, "registration/address_locked.html", status=429)
        return super().post(request, *args, **kwargs)
