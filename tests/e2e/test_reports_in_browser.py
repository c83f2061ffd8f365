"""End to end: an officer signs in, opens the reports, presses "Board pack" and opens the zip."""

from __future__ import annotations

import zipfile

import pytest

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"
REPORTS = ("highlight", "report-card", "tracker", "committee", "risks")


@pytest.fixture
def demo_officer(app) -> None:
    """The demo programme with its risks, and Priya, its programme manager."""
    app.call("demo", users={"priya": ["Programme manager"]}, risks=True)


def test_an_officer_presses_board_pack_and_gets_every_report_in_every_format(page, app, demo_officer,
                                                                            screenshot, tmp_path):
    page.goto(f"{app.url}/")
    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/plan/demo/")
    page.get_by_role("link", name="Reports", exact=True).click()
    page.wait_for_url("**/plan/demo/reports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Reports"
    screenshot(page, "reports-list")
    with page.expect_download(timeout=180_000) as info:
        page.get_by_role("link", name="Board pack").click()
    target = tmp_path / "pack.zip"
    info.value.save_as(target)
    names = zipfile.ZipFile(target).namelist()
    for name in REPORTS:
        for fmt in ("html", "docx", "xlsx", "pdf"):
            assert f"demo-{name}-2020-01.{fmt}" in names
    with zipfile.ZipFile(target) as zf:
        assert b"Highlight report" in zf.read("demo-highlight-2020-01.html")
        assert zf.read("demo-risks-2020-01.pdf").startswith(b"%PDF")


def test_an_officer_reads_the_highlight_report_on_screen(page, app, demo_officer, screenshot):
    page.goto(f"{app.url}/")
    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/plan/demo/")
    page.goto(f"{app.url}/plan/demo/reports/")
    page.get_by_role("link", name="Highlight report", exact=True).click()
    page.wait_for_url("**/plan/demo/reports/highlight/**")
    assert page.get_by_role("heading", name="Overall progress narrative").is_visible()
    assert page.get_by_role("heading", name="Issues / risks").is_visible()
    screenshot(page, "highlight-report")
