"""End to end: a programme manager uploads and publishes an Annex A workbook; the scorecard fills; rows are gated."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.engine.synth import generate_annex_a

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_an_upload_fills_the_scorecard_and_only_a_team_manager_sees_rows(page, app, tmp_path, screenshot):
    app.call("people", users={"priya": ["Programme manager"], "tara": ["Team manager"]})
    workbook = tmp_path / "annex-a-january.xlsx"
    generate_annex_a(workbook, dt.date(2020, 1, 31), seed=9, scale=0.2, messy=True)

    sign_in(page, app.url, "priya")
    page.goto(f"{app.url}/data/upload/")
    page.get_by_label("Annex A workbook").set_input_files(str(workbook))
    page.get_by_label("As-at date").fill("2020-01-31")
    page.get_by_role("button", name="Upload and check").click()
    # the check runs as a job (in the request on the live server, in the worker when installed)
    page.wait_for_url("**/data/2020-01-31*/**", timeout=120_000)
    assert page.get_by_text("annex-a-january.xlsx").first.is_visible()
    screenshot(page, "dataset-uploaded")
    page.get_by_role("button", name="Publish this dataset").click()  # a preview is not live until published
    page.wait_for_load_state()

    page.goto(f"{app.url}/performance/")
    assert page.get_by_role("heading", name="Performance scorecard").is_visible()
    assert page.get_by_text("As at 31 January 2020").first.is_visible()
    screenshot(page, "scorecard")

    # the programme manager has no child-level permission: the rows page is refused
    response = page.goto(f"{app.url}/performance/indicators/cpp_open/rows/?month=2020-01")
    assert response.status == 403
    assert app.call("child_data_access") == []

    page.context.clear_cookies()  # a new session for the next person
    sign_in(page, app.url, "tara")
    response = page.goto(f"{app.url}/performance/indicators/cpp_open/rows/?month=2020-01")
    assert response.status == 200
    assert app.call("child_data_access") == ["tara"]
