"""Safe by default: no debug pages, the service's own error pages, an accessibility statement."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import path

from oversight.plans.memberships import grant


def test_debug_is_off_unless_asked_for():
    code = "import oversight.config.settings as s; print(s.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k != "OVERSIGHT_DEBUG"}
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    asked = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**env, "OVERSIGHT_DEBUG": "1"}, timeout=60)
    assert plain.stdout.strip() == "False"
    assert asked.stdout.strip() == "True"


def test_production_refuses_to_start_without_its_host_names():
    code = "import oversight.config.settings"
    env = {**os.environ, "OVERSIGHT_ENV": "production", "OVERSIGHT_SECRET_KEY": "k" * 60}
    env.pop("OVERSIGHT_ALLOWED_HOSTS", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert "OVERSIGHT_ALLOWED_HOSTS must be set" in result.stderr


def test_the_accessibility_statement_is_open_to_everyone(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert b"Accessibility statement for Oversight" in response.content
    assert b"WCAG 2.2" in response.content


@pytest.mark.django_db
def test_a_missing_page_shows_the_service_s_own_404_page(client):
    client.force_login(User.objects.create_user("nina"))
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def _boom(request):
    raise RuntimeError("DATABASE_URL=postgres://oversight:secret@db/oversight")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_error_shows_a_plain_apology_and_never_the_settings(client, roles):
    client.raise_request_exception = False
    nina = User.objects.create_user("nina")
    grant(nina, "Board member")  # a role: past the programme gate
    client.force_login(nina)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"secret" not in response.content and b"DATABASE_URL" not in response.content


def test_static_files_are_served_by_the_app_itself(client):
    response = client.get("/static/css/oversight.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
