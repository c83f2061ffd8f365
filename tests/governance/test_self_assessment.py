"""Self-assessment frameworks as data (seed 000's High Impact Change Model), imported from Excel, and movement."""

from __future__ import annotations

import datetime as dt
import os

import openpyxl
import pytest
from django.urls import reverse

from oversight.governance.frameworks import FrameworkImportError, import_framework
from oversight.governance.models import Assessment, AssessmentEntry, Framework
from oversight.governance.queries import framework_data

pytestmark = pytest.mark.django_db
LEVELS = ["Not yet established", "Plans in place", "Established", "Mature", "Exemplary"]


def _workbook(path, rows, head=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(head or ["Code", "Change", "Description", *LEVELS])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


GOOD = [
    ["1", "Early Discharge Planning", "Planning should begin before admission",
     "Early discharge planning in the community for elective admissions is not yet in place.",
     "CCG and ASC commissioners are discussing how community and primary care coordinate early discharge planning.",
     "Joint pre admission discharge planning is in place in primary care .",
     "GPs and DNs lead the discussions about early discharge planning for elective admissions",
     "Early discharge planning occurs for all planned admissions by an integrated community health and social care "
     "team."],
    ["", "", "", "Discharge planning does not start in A+E",
     "Plans are in place to develop discharge planning in A+E for emergency admissions",
     "Emergency admissions have a provisional discharge date set in within 48hrs",
     "Emergency admissions have discharge dates set which whole hospital are committed to delivering",
     "Evidence shows X% patients go home on date agreed on admission"],
    ["2", "Systems to Monitor Patient Flow", "", "No relationship between demand and capacity in care pathways",
     "Analysis of demand underway", "Policy agreed", "Capacity usually matches demand",
     "Capacity always matches demand"],
]


def test_a_framework_imports_from_excel_with_its_levels_and_descriptor_rows(plan, tmp_path):
    fw = import_framework(plan, _workbook(tmp_path / "hicm.xlsx", GOOD), "High Impact Change Model")
    assert fw.levels == LEVELS
    data = framework_data(fw)
    assert [(i["code"], i["title"], len(i["descriptors"])) for i in data["items"]] == [
        ("1", "Early Discharge Planning", 2), ("2", "Systems to Monitor Patient Flow", 1)]
    assert data["items"][0]["descriptors"][1][4] == "Evidence shows X% patients go home on date agreed on admission"


def test_a_bad_workbook_is_refused_with_every_error_by_row_and_column_and_nothing_is_written(plan, tmp_path):
    rows = [GOOD[0], ["1", "Again", "", "a", "b", "c", "d", "e"], ["3", "", "", "a", "", "", "", ""],
            ["4", "No descriptors"]]
    head = ["Code", "Change", "Notes", *LEVELS[:4], ""]
    with pytest.raises(FrameworkImportError) as e:
        import_framework(plan, _workbook(tmp_path / "bad.xlsx", rows, head), "Broken")
    errors = e.value.errors
    assert 'bad.xlsx: row 1, column C: expected the heading "Description", found "Notes"' in errors
    assert any("row 1, column H" in x for x in errors)
    assert 'bad.xlsx: row 3, column A (Code): "1" is used twice' in errors
    assert "bad.xlsx: row 4, column B (Change): a change needs a title" in errors
    assert any(x.startswith("bad.xlsx: row 5:") and "no descriptors" in x for x in errors)
    assert not Framework.objects.filter(programme=plan).exists()


def test_a_file_that_is_not_a_workbook_is_refused_in_one_line(plan, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(os.urandom(3000))
    with pytest.raises(FrameworkImportError) as e:
        import_framework(plan, junk, "Junk")
    assert len(e.value.errors) == 1 and "junk.xlsx" in e.value.errors[0]


def test_a_workbook_over_the_row_limit_is_refused_before_it_is_parsed(plan, tmp_path, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_MAX_PLAN_ROWS", "3")
    rows = GOOD + [["", "", "", "x", "x", "x", "x", "x"]] * 5
    with pytest.raises(FrameworkImportError) as e:
        import_framework(plan, _workbook(tmp_path / "big.xlsx", rows), "Big")
    assert "big.xlsx" in str(e.value) and not Framework.objects.filter(programme=plan).exists()


def test_the_page_shows_movement_between_two_assessments(client, demo, bob_board_member):
    fw = Framework.objects.get(programme=demo)
    later = Assessment.objects.create(framework=fw, assessed_on=dt.date(2018, 3, 31), title="Spring review")
    items = {i.code: i for i in fw.items.all()}
    AssessmentEntry.objects.create(assessment=later, item=items["1"], level=5)  # exemplary → exemplary
    AssessmentEntry.objects.create(assessment=later, item=items["2"], level=5)  # mature → exemplary
    AssessmentEntry.objects.create(assessment=later, item=items["3"], level=2)  # established → plans in place
    client.force_login(bob_board_member)
    data = client.get(reverse("governance:framework_json", args=["demo", fw.pk])).json()
    move = {i["code"]: i["movement_label"] for i in data["items"]}
    assert move == {"1": "no change", "2": "up 1 level", "3": "down 1 level", "4": None, "5": None, "6": None,
                    "7": None, "8": None}
    page = client.get(fw.get_absolute_url()).content.decode()
    assert "up 1 level" in page and "Exemplary" in page


def test_the_demo_holds_seed_000s_eight_changes_and_the_councils_september_2017_self_assessment(demo):
    data = framework_data(Framework.objects.get(programme=demo))
    assert len(data["items"]) == 8 and data["levels"] == LEVELS
    latest = {i["title"]: i["latest"]["level_name"] for i in data["items"] if i["latest"]}
    assert latest == {"Early Discharge Planning": "Exemplary", "Systems to Monitor Patient Flow": "Mature",
                      "Multi-Disciplinary/Multi-Agency Discharge Teams, including the voluntary and community sector":
                          "Established", "Home First/Discharge to Access": "Established"}
    two = next(i for i in data["items"] if i["code"] == "2")
    assert len(two["descriptors"]) == 5


def test_priya_imports_a_framework_on_the_page_and_a_board_member_may_not(client, plan, tmp_path,
                                                                       priya_programme_manager, bob_board_member):
    path = _workbook(tmp_path / "hicm.xlsx", GOOD)
    client.force_login(bob_board_member)
    assert client.get(reverse("governance:framework_import", args=["demo"])).status_code == 403
    client.force_login(priya_programme_manager)
    with path.open("rb") as fh:
        r = client.post(reverse("governance:framework_import", args=["demo"]), {"file": fh, "name": "HICM"})
    assert r.status_code == 302
    assert Framework.objects.get(programme=plan, name="HICM").items.count() == 2
