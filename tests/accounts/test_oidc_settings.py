"""Single sign-on is off unless configured, fails fast when half-configured, and checks its role map."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from oversight.accounts import oidc


def _check_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    """``oversight check`` in a fresh process with these environment variables (settings read once)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_OIDC_")}
    return subprocess.run([sys.executable, "-m", "django", "check"], capture_output=True, text=True, timeout=120,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "oversight.config.settings", **env})


@pytest.mark.django_db
def test_the_sign_in_page_offers_only_local_accounts_when_single_sign_on_is_off(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b"Sign in with your council account" not in page.content
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_council_account_first_when_single_sign_on_is_on(client, settings):
    settings.OVERSIGHT_OIDC_ENABLED = True
    page = client.get("/accounts/login/?next=/performance/")
    assert b"Sign in with your council account" in page.content
    assert b'href="/oidc/authenticate/?next=/performance/"' in page.content
    assert b'name="password"' in page.content  # local accounts remain


def test_a_misspelt_role_in_the_role_map_stops_the_service_at_start_up(settings):
    settings.OVERSIGHT_OIDC_ROLE_MAP = {"Oversight.ProgrammeManager": "Programme Manager"}  # capital M: no such role
    with pytest.raises(SystemCheckError, match="not an Oversight role"):
        call_command("check")


def test_a_client_id_without_a_secret_or_an_issuer_fails_fast():
    no_secret = _check_with({"OVERSIGHT_OIDC_CLIENT_ID": "abc", "OVERSIGHT_OIDC_ISSUER": "https://example.test/v2.0",
                             "OVERSIGHT_OIDC_ROLE_MAP": '{"A": "Board member"}'})
    assert no_secret.returncode != 0 and "OVERSIGHT_OIDC_CLIENT_SECRET must be set" in no_secret.stderr
    no_issuer = _check_with({"OVERSIGHT_OIDC_CLIENT_ID": "abc", "OVERSIGHT_OIDC_CLIENT_SECRET": "s",
                             "OVERSIGHT_OIDC_ROLE_MAP": '{"A": "Board member"}'})
    assert no_issuer.returncode != 0 and "needs OVERSIGHT_OIDC_ISSUER" in no_issuer.stderr
    configured = _check_with({
        "OVERSIGHT_OIDC_CLIENT_ID": "abc", "OVERSIGHT_OIDC_CLIENT_SECRET": "s",
        "OVERSIGHT_OIDC_ISSUER": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        "OVERSIGHT_OIDC_ROLE_MAP": '{"Oversight.BoardMember": "Board member"}'})
    assert configured.returncode == 0, configured.stderr  # the provider is not contacted at start-up


@pytest.mark.django_db
def test_a_provider_that_is_down_stops_only_single_sign_on_not_local_sign_in(client, settings, owen_action_owner):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.OVERSIGHT_OIDC_ENABLED = True
    settings.OVERSIGHT_OIDC_ISSUER = f"http://127.0.0.1:{port}/council"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "oversight", "secret"
    oidc._discovery_cache.clear()
    unavailable = client.get("/oidc/authenticate/")
    assert unavailable.status_code == 503
    assert b"Signing in with your council account is not available right now" in unavailable.content
    signed_in = client.post("/accounts/login/", {"username": "owen", "password": "correct horse battery staple"})
    assert signed_in.status_code == 302 and client.get("/").status_code == 200
