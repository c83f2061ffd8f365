"""Security by default: production refuses to start unsafely; pages send protective headers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User


def _settings_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import oversight.config.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60)


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_in_subprocess({"OVERSIGHT_ENV": "production", "OVERSIGHT_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "OVERSIGHT_SECRET_KEY must be set" in result.stderr


def test_production_uses_secure_cookies_and_no_debug():
    result = _settings_in_subprocess({"OVERSIGHT_ENV": "production", "OVERSIGHT_SECRET_KEY": "k" * 60,
                                      "OVERSIGHT_ALLOWED_HOSTS": "oversight.example.org"})
    assert result.stdout.split() == ["True", "True", "False"]


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_refuse_framing(client):
    client.force_login(User.objects.create_user("tess"))
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account(client, settings):
    User.objects.create_user("lena", password="the right password 42")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "lena", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    response = client.post("/accounts/login/", {"username": "lena", "password": "the right password 42"},
                           REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429 or "_auth_user_id" not in client.session
