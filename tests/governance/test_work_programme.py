"""The improvement partner's work programme (seed 000, appendix 3): an accessible table and the seed's workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from oversight.governance.models import WorkProgramme, WorkTask

pytestmark = pytest.mark.django_db


def test_the_work_programme_page_is_a_table_that_says_each_months_kind_in_words(client, demo, bob_board_member):
    wp = WorkProgramme.objects.get(programme=demo)
    client.force_login(bob_board_member)
    page = client.get(wp.get_absolute_url()).content.decode()
    assert "<caption>Tasks by month" in page and '<abbr title="November 2017">Nov-17</abbr>' in page
    data = client.get(reverse("governance:work_programme_json", args=["demo", wp.pk])).json()
    assert [m["label"] for m in data["months"]] == ["Sep-17", "Oct-17", "Nov-17", "Dec-17", "Jan-18"]
    assert len(data["tasks"]) == 25
    visit = next(t for t in data["tasks"] if t["description"] == "Ofsted monitoring visit")
    assert [c["label"] for c in visit["cells"]] == ["", "", "Milestone", "", ""]
    assert visit["visit"] == "Fourth monitoring visit"


def test_the_workbook_has_the_seeds_layout_and_reads_back(client, demo, bob_board_member):
    wp = WorkProgramme.objects.get(programme=demo)
    client.force_login(bob_board_member)
    response = client.get(reverse("governance:work_programme_xlsx", args=["demo", wp.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Children's Services / Improvement Partner Work Programme Sept 17 - Jan 18"
    assert rows[1][0] == "v1 - 1/9/17"
    assert rows[3] == ("Task Description", "Resource (lead)", "Sep-17", "Oct-17", "Nov-17", "Dec-17", "Jan-18")
    assert rows[4] == ("Create a calendar of data products", "Torbay (TB)", "Project task", None, None, None, None)
    assert rows[5][2:] == ("Ongoing task",) * 5
    assert rows[28] == ("Ofsted", None, None, None, None, None, "Milestone")
    assert rows[30][:1] == ("Notes",) and rows[31][0] == "T = Torbay"


def test_a_task_typed_as_a_formula_reaches_excel_as_text(client, demo, bob_board_member):
    wp = WorkProgramme.objects.get(programme=demo)
    WorkTask.objects.create(work_programme=wp, order=99, description="=HYPERLINK(\"http://x\")", lead="@TB",
                            cells={"2017-09": "project"})
    client.force_login(bob_board_member)
    ws = openpyxl.load_workbook(io.BytesIO(client.get(reverse(
        "governance:work_programme_xlsx", args=["demo", wp.pk])).content)).active
    last = [r for r in ws.iter_rows(values_only=True) if r[0] and "HYPERLINK" in str(r[0])][0]
    assert last[:2] == ("'=HYPERLINK(\"http://x\")", "'@TB")


def test_priya_adds_a_task_and_picks_its_months_from_the_programmes_months(client, demo, priya_programme_manager):
    wp = WorkProgramme.objects.get(programme=demo)
    client.force_login(priya_programme_manager)
    form = client.get(reverse("governance:add_to", args=["demo", "task", wp.pk])).content.decode()
    assert "December 2017" in form
    r = client.post(reverse("governance:add_to", args=["demo", "task", wp.pk]), {
        "description": "Practice week", "lead": "TB", "order": 30, "month_2017-12": "milestone"})
    assert r.status_code == 302
    assert WorkTask.objects.get(description="Practice week").cells == {"2017-12": "milestone"}
