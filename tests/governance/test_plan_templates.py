"""Statutory plans made from a template keep their own layout (seed 000's youth justice plan 2017/18)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from oversight.governance.frameworks import FrameworkImportError
from oversight.governance.models import StatutoryPlan
from oversight.governance.statutory import create_from_template, import_plan_xlsx, plan_data, plan_xlsx

pytestmark = pytest.mark.django_db


def test_the_demo_holds_seed_000s_youth_justice_plan_in_its_own_columns(client, demo, bob_board_member):
    plan = StatutoryPlan.objects.get(programme=demo, layout="youth_justice")
    client.force_login(bob_board_member)
    data = client.get(reverse("governance:statutory_plan_json", args=["demo", plan.pk])).json()
    sections = {s["key"]: s for s in data["sections"]}
    assert sections["outcomes"]["columns"] == ["Outcome", "Risk", "Plan", "Who", "By When"]
    assert [r[0] for r in sections["outcomes"]["rows"]] == ["First Time Entrants", "Re-Offending", "Use of custody"]
    assert sections["service"]["columns"][2] == "Success Criteria" and len(sections["service"]["rows"]) == 8
    assert sections["budget"]["rows"][-1] == ["Total", "540 173", "33, 442", "", "573 615"]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Youth Justice Outcomes Plan" in page and "By When" in page and "Import its workbook" not in page


def test_the_workbook_has_a_sheet_per_section_and_imports_back_into_a_new_plan_from_the_template(demo, tmp_path):
    plan = StatutoryPlan.objects.get(programme=demo, layout="youth_justice")
    book = openpyxl.load_workbook(io.BytesIO(plan_xlsx(plan)))
    assert book.sheetnames == ["Outcomes Plan", "Service Plan", "Risk Register", "Table 1 Partner contributions",
                               "Grant spending"]
    assert [c.value for c in book["Service Plan"][1]] == ["Area for Improvement", "Action", "Success Criteria",
                                                         "Responsible", "Deadline"]
    path = tmp_path / "yjp.xlsx"
    path.write_bytes(plan_xlsx(plan))
    copy = create_from_template(demo, "youth_justice", "Copy", "2017/18")
    assert import_plan_xlsx(copy, path) == 3 + 8 + 5 + 9 + 5
    assert plan_data(copy)["sections"] == plan_data(plan)["sections"]


def test_a_workbook_with_a_wrong_heading_is_refused_by_sheet_row_and_column_and_nothing_changes(demo, tmp_path):
    plan = StatutoryPlan.objects.get(programme=demo, layout="youth_justice")
    book = openpyxl.load_workbook(io.BytesIO(plan_xlsx(plan)))
    book["Risk Register"]["B1"] = "Mitigations"
    del book["Grant spending"]
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(FrameworkImportError) as e:
        import_plan_xlsx(plan, path)
    assert 'bad.xlsx: sheet "Risk Register", row 1, column B: expected the heading "Mitigation", found "Mitigations"' \
        in e.value.errors
    assert any('no sheet "Grant spending"' in x for x in e.value.errors)
    assert plan.rows.count() == 30


def test_a_cell_typed_as_a_formula_is_written_as_text(plan):
    yjp = create_from_template(plan, "youth_justice", "YJP", rows={"risks": [["=1+1", "@SUM(A1)"]]})
    ws = openpyxl.load_workbook(io.BytesIO(plan_xlsx(yjp)))["Risk Register"]
    assert [c.value for c in ws[2]] == ["'=1+1", "'@SUM(A1)"]


def test_priya_creates_a_plan_from_a_template_and_a_board_member_may_not(client, plan, priya_programme_manager,
                                                                        bob_board_member):
    url = reverse("governance:statutory_plan_new", args=["demo"])
    client.force_login(bob_board_member)
    assert client.get(url).status_code == 403
    client.force_login(priya_programme_manager)
    r = client.post(url, {"layout": "youth_justice", "title": "Youth Justice Plan", "period_text": "2020/21"})
    assert r.status_code == 302
    made = StatutoryPlan.objects.get(programme=plan, title="Youth Justice Plan")
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Nothing written yet." in page and "Import its workbook" in page
