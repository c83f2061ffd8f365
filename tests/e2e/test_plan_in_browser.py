"""End to end: an officer signs in, reads the tracker and records progress in a real browser."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


@pytest.fixture
def demo_officer(app) -> dict:
    """The demo programme and Priya, its programme manager; returns the actions' addresses by reference."""
    return app.call("demo", users={"priya": ["Programme manager"]})["actions"]


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_officer_signs_in_and_sees_the_programme_overview(page, app, demo_officer, screenshot):
    sign_in(page, app.url)
    page.wait_for_url("**/plan/demo/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Children's Services Improvement Programme")
    assert page.get_by_role("cell", name="A sufficient and skilled workforce").is_visible() or \
        page.get_by_text("A sufficient and skilled workforce").first.is_visible()
    screenshot(page, "programme-overview")


def test_an_officer_records_progress_and_the_note_appears_in_the_history(page, app, demo_officer, screenshot):
    sign_in(page, app.url)
    action = demo_officer["3.1.3"]
    page.goto(f"{app.url}{action}")
    page.get_by_role("link", name="Update status, RAG and progress").click()
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save update").click()
    # refused: a status change needs a note, and the error summary says so
    assert page.get_by_role("alert").is_visible()
    assert "Add a dated progress note" in page.get_by_role("alert").inner_text()
    page.get_by_label("Progress note").fill("Draft policies with HR for consultation.")
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"**{action}")
    assert page.get_by_text("Draft policies with HR for consultation.").is_visible()
    assert page.get_by_text("Status: Not started → In progress").is_visible()
    screenshot(page, "action-detail")
    saved = app.call("action", ref="3.1.3")  # what the app stored, not only what it showed
    assert saved["status"] == "in_progress"
    assert "Draft policies with HR for consultation." in [n["text"] for n in saved["notes"]]


def test_the_tracker_shows_outstanding_and_completed_sections(page, app, demo_officer, screenshot):
    sign_in(page, app.url)
    page.goto(f"{app.url}/plan/demo/tracker/?as_at=2017-09-01")
    assert page.get_by_role("heading", name="Actions completed as at 30th September 2017 (2)").is_visible()
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply filters").click()
    assert "overdue=1" in page.url
    screenshot(page, "tracker")
