"""Report pages, their JSON twins, downloads, the Board pack button and the pack pages."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from oversight.reports import packs
from oversight.reports.builders import build
from oversight.reports.data import to_json


@pytest.fixture
def plan(plan_factory):
    return plan_factory("web", 1)


def test_the_reports_page_lists_every_report_and_the_board_pack_button(client, plan, priya_programme_manager):
    client.force_login(priya_programme_manager)
    page = client.get("/plan/web/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    for title in ("Highlight report", "Report card", "Improvement action tracker", "Committee cover report",
                  "Risk register"):
        assert title in html
    assert 'id="board-pack"' in html and "Board pack" in html
    assert "style=" not in html and "<script>" not in html


def test_a_report_page_and_its_json_twin_print_the_same_builder_output(client, plan, january, priya_programme_manager):
    client.force_login(priya_programme_manager)
    page = client.get("/plan/web/reports/highlight/?period=2020-01-31")
    assert page.status_code == 200
    assert "Overall progress narrative" in page.content.decode()
    data = client.get("/plan/web/reports/highlight.json?period=2020-01-31").json()
    assert data == __import__("json").loads(__import__("json").dumps(to_json(build("highlight", plan, january))))
    assert data["header"]["overall_status"] == "amber"


def test_an_unknown_report_is_not_found(client, plan, priya_programme_manager):
    client.force_login(priya_programme_manager)
    assert client.get("/plan/web/reports/minutes/").status_code == 404
    assert client.get("/plan/web/reports/highlight.odt").status_code == 404


def test_the_tracker_downloads_as_a_spreadsheet_with_the_databases_actions(client, plan, priya_programme_manager):
    client.force_login(priya_programme_manager)
    resp = client.get("/plan/web/reports/tracker.xlsx?period=2020-01-31")
    assert resp.status_code == 200
    assert resp["Content-Disposition"] == 'attachment; filename="web-tracker-2020-01.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "0.0.1" in text and "Do 1" in text


def test_the_board_pack_button_gives_a_zip_of_every_report(client, plan, priya_programme_manager):
    client.force_login(priya_programme_manager)
    resp = client.get("/plan/web/reports/pack.zip?period=2020-01-31")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(resp.content)).namelist()
    assert "web-highlight-2020-01.html" in names and "web-risks-2020-01.pdf" in names
    assert len(names) == 5 * len(packs.available_formats())


def test_a_programme_manager_starts_and_submits_a_pack_from_the_pages(client, plan, priya_programme_manager):
    client.force_login(priya_programme_manager)
    resp = client.post("/plan/web/packs/new/?period=2020-01-31")
    assert resp.status_code == 302 and resp["Location"] == "/plan/web/packs/1/"
    page = client.get("/plan/web/packs/1/")
    assert "Committee report narrative" in page.content.decode()
    client.post("/plan/web/packs/1/edit/", {"title": "January pack", "meeting": "Improvement Board",
                                            "wards_affected": "All", "key_decision": "no"})
    client.post("/plan/web/packs/1/submit/")
    data = client.get("/plan/web/packs/1.json").json()
    assert data["state"] == "submitted" and data["narrative"]["meeting"] == "Improvement Board"
    assert [e["action"] for e in data["events"]] == ["created", "edited", "submitted"]


def test_a_board_member_cannot_see_a_draft_pack_or_start_one(client, plan, priya_programme_manager,
                                                             bob_board_member, january):
    packs.create_pack(plan, january, priya_programme_manager)
    client.force_login(bob_board_member)
    assert client.get("/plan/web/packs/1/").status_code == 403
    assert client.post("/plan/web/packs/new/").status_code == 403


def test_a_board_member_downloads_an_issued_pack_as_it_was_issued(client, plan, priya_programme_manager,
                                                                  bob_board_member, january):
    pack = packs.create_pack(plan, january, priya_programme_manager)
    packs.submit(pack, priya_programme_manager)
    packs.approve(pack, priya_programme_manager)
    packs.issue(pack, priya_programme_manager, formats=("html",))
    client.force_login(bob_board_member)
    assert client.get("/plan/web/packs/1/").status_code == 200
    resp = client.get("/plan/web/packs/1.zip")
    members = zipfile.ZipFile(io.BytesIO(resp.content))
    stored = pack.files.get(name="highlight")
    assert members.read(stored.filename) == bytes(stored.content)


LIVE_URLS = ("/plan/web/reports/highlight/?period=2020-01-31", "/plan/web/reports/highlight.json",
             "/plan/web/reports/highlight.pdf", "/plan/web/reports/tracker.xlsx?period=2019-10-31",
             "/plan/web/reports/pack.zip?period=2020-01-31")


@pytest.mark.parametrize("url", LIVE_URLS)
def test_a_board_member_cannot_open_or_download_a_live_report_for_any_period(client, plan, bob_board_member, url):
    client.force_login(bob_board_member)
    assert client.get(url).status_code == 403


def test_a_board_member_sees_the_issued_packs_and_no_link_to_a_live_report(client, plan, priya_programme_manager,
                                                                           bob_board_member, january):
    packs.create_pack(plan, january, priya_programme_manager)  # a draft: not for the board
    issued = packs.create_pack(plan, january, priya_programme_manager)
    packs.submit(issued, priya_programme_manager)
    packs.approve(issued, priya_programme_manager)
    packs.issue(issued, priya_programme_manager, formats=("html",))
    client.force_login(bob_board_member)
    html = client.get("/plan/web/reports/").content.decode()
    assert "/plan/web/reports/highlight/" not in html and "/plan/web/reports/pack.zip" not in html
    assert 'id="board-pack"' in html and 'href="/plan/web/packs/2.zip"' in html
    assert "Version 2" in html and "Version 1" not in html
    data = client.get("/plan/web/reports.json").json()
    assert data["live_reports"] is False and data["reports"] == []
    assert [p["version"] for p in data["packs"]] == [2]
    for href in ("/plan/web/packs/2/", "/plan/web/packs/2.zip"):
        assert client.get(href).status_code == 200


def test_before_any_pack_is_issued_a_board_member_is_told_so_without_a_dead_button(client, plan, bob_board_member):
    client.force_login(bob_board_member)
    html = client.get("/plan/web/reports/").content.decode()
    assert "No board pack has been issued yet." in html and 'id="board-pack"' not in html
