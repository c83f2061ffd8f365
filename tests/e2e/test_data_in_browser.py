"""End to end: a programme manager uploads and publishes an Annex A workbook; the scorecard fills; rows are gated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User

from oversight.accounts.models import ChildDataAccess
from oversight.accounts.roles import ensure_roles
from oversight.engine.synth import generate_annex_a

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def make_user(username: str, group: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.set([Group.objects.get(name=group)])
    return user


def test_an_upload_fills_the_scorecard_and_only_a_team_manager_sees_rows(page, live_server, settings, tmp_path,
                                                                          screenshot):
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # job in-request
    ensure_roles()
    make_user("priya", "Programme manager")
    make_user("tara", "Team manager")
    workbook = tmp_path / "annex-a-january.xlsx"
    generate_annex_a(workbook, dt.date(2020, 1, 31), seed=9, scale=0.2, messy=True)

    sign_in(page, live_server.url, "priya")
    page.goto(f"{live_server.url}/data/upload/")
    page.get_by_label("Annex A workbook").set_input_files(str(workbook))
    page.get_by_label("As-at date").fill("2020-01-31")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/data/2020-01-31*/**", timeout=60_000)
    assert page.get_by_text("annex-a-january.xlsx").first.is_visible()
    screenshot(page, "dataset-uploaded")
    page.get_by_role("button", name="Publish this dataset").click()  # a preview is not live until published
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/performance/")
    assert page.get_by_role("heading", name="Performance scorecard").is_visible()
    assert page.get_by_text("As at 31 January 2020").first.is_visible()
    screenshot(page, "scorecard")

    # the programme manager has no child-level permission: the rows page is refused
    response = page.goto(f"{live_server.url}/performance/indicators/cpp_open/rows/?month=2020-01")
    assert response.status == 403
    assert not ChildDataAccess.objects.exists()

    page.context.clear_cookies()  # a new session for the next person
    sign_in(page, live_server.url, "tara")
    response = page.goto(f"{live_server.url}/performance/indicators/cpp_open/rows/?month=2020-01")
    assert response.status == 200
    access = ChildDataAccess.objects.get()
    assert access.user.username == "tara"
