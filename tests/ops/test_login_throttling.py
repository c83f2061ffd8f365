"""Sign-in throttling locks the account someone is guessing, not everyone behind the same address."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

OFFICE = "10.20.30.40"  # the council's reverse proxy: every officer appears from here


def _sign_in(client, username, password, ip=OFFICE):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_account_but_a_colleague_at_the_same_address_still_signs_in(client, settings):
    User.objects.create_user("lena", password="the right password 42")
    User.objects.create_user("omar", password="omar's own password 7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "lena", "wrong")
    locked = _sign_in(client, "lena", "the right password 42")
    assert "_auth_user_id" not in client.session
    assert locked.status_code in (403, 429)
    colleague = _sign_in(client, "omar", "omar's own password 7")
    assert colleague.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="omar").pk)


@pytest.mark.django_db
def test_an_address_that_fails_on_many_accounts_is_paused(client, settings):
    settings.OVERSIGHT_LOGIN_ADDRESS_ACCOUNTS = 3
    User.objects.create_user("omar", password="omar's own password 7")
    for name in ("a1", "a2", "a3"):
        _sign_in(client, name, "guess", ip="203.0.113.9")
    paused = _sign_in(client, "omar", "omar's own password 7", ip="203.0.113.9")
    assert paused.status_code == 429
    assert b"Too many failed sign-ins from this network" in paused.content
    elsewhere = _sign_in(client, "omar", "omar's own password 7", ip=OFFICE)
    assert elsewhere.status_code == 302
