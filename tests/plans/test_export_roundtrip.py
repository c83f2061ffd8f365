"""Exporting a plan and importing it again gives back the same plan."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from oversight.plans.exporters import export_json, write_docx, write_xlsx
from oversight.plans.importers import build_programme, import_plan
from oversight.plans.importers.draft import (
    DraftAction,
    DraftNote,
    DraftPerson,
    DraftProgramme,
    DraftRag,
    DraftRecommendation,
    DraftSource,
    DraftStep,
    DraftTheme,
)
from oversight.plans.models import Action, Programme, ProgressNote

TODAY = dt.date(2024, 1, 15)


def _rich_draft() -> DraftProgramme:
    """A plan that uses every field the JSON carries."""
    return DraftProgramme(
        slug="rich", name="Children's services improvement", sro="Vincent Clark", programme_manager="Priya Patel",
        period_start=dt.date(2019, 4, 1), period_end=dt.date(2021, 3, 31), aim="Good help, earlier.",
        people=[DraftPerson("Vincent Clark", "Assistant Director Children's Services", "VC"),
                DraftPerson("Priya Patel", "Programme manager", "PP"),
                DraftPerson("Head of Service MASH/ SA", "Head of Service MASH/ SA")],
        sources=[DraftSource("Ofsted Dec 2016", "inspection", dt.date(2016, 12, 31)),
                 DraftSource("Peer review 2019", "peer_review", None)],
        themes=[DraftTheme("Help and protection", overview="Front door and assessment.", recommendations=[
            DraftRecommendation("Ensure that assessments are timely", ref="1", source="Ofsted Dec 2016", actions=[
                DraftAction(
                    "Consistent application of CP thresholds", ref="1.6",
                    owners=["Head of Service MASH/ SA", "Vincent Clark"], when_text="Sept - Nov 2017",
                    due=dt.date(2017, 11, 30), success_measure="Audits show correct threshold.", status="ongoing",
                    service_area="All", resources="Change Fund Grant £41k.", cost=Decimal("41000.00"),
                    funding_source="Change Fund Grant", additional_revenue=True,
                    steps=[DraftStep("Performance reporting", "Sept 2017", dt.date(2017, 9, 30), ""),
                           DraftStep("Train IROs", "", None, "completed")],
                    notes=[DraftNote(dt.date(2016, 12, 9), "HoS notified on all section 47s."),
                           DraftNote(dt.date(2017, 3, 31), "Over 80% within 24 hours.", author_name="Priya Patel",
                                     status_from="in_progress", status_to="ongoing", rag="amber")],
                    rags=[DraftRag(2019, 4, "red"), DraftRag(2020, 1, "amber")],
                    indicators=["icpc_to_cpp_pct", "s47_to_icpc_pct"]),
                DraftAction("Practice standards issued", ref="1.7", status="completed",
                            completed_on=dt.date(2017, 9, 1)),
            ]),
            DraftRecommendation("Improve partnership working", ref="", source=None),
        ])],
    )


@pytest.mark.django_db
def test_build_programme_writes_a_draft_made_in_code():
    programme = build_programme(_rich_draft())
    assert programme.sro.name == "Vincent Clark"
    action = Action.objects.get(ref="1.6")
    assert action.cost == Decimal("41000.00") and action.additional_revenue
    assert action.rag_ratings.count() == 2
    assert action.latest_rating.rag == "amber"


@pytest.mark.django_db
def test_the_json_export_has_the_documented_shape():
    data = export_json(build_programme(_rich_draft()))
    assert {"programme", "people", "sources", "themes", "status_reports", "theme_overviews", "budget"} <= set(data)
    assert {"slug", "name", "sro", "programme_manager", "period_start", "period_end"} <= set(data["programme"])
    assert data["people"][0] == {"name": "Head of Service MASH/ SA", "role": "Head of Service MASH/ SA",
                                 "initials": ""}
    assert data["sources"][0] == {"label": "Ofsted Dec 2016", "kind": "inspection", "date": "2016-12-31"}
    rec = data["themes"][0]["recommendations"][0]
    assert rec["source"] == "Ofsted Dec 2016"
    action = rec["actions"][0]
    assert action["owners"] == ["Head of Service MASH/ SA", "Vincent Clark"]  # in the order written
    assert action["steps"][1] == {"text": "Train IROs", "when_text": "", "due": None, "status": "completed"}
    assert (action["due"], action["status"], action["cost"]) == ("2017-11-30", "ongoing", "41000.00")
    assert action["rag"] == [{"period": "2019/20 Q4", "rag": "red"}, {"period": "2020/21 Q1", "rag": "amber"}]
    assert action["notes"][1]["author"] == "Priya Patel"
    assert action["notes"][1]["date"] == "2017-03-31"


@pytest.mark.django_db
def test_a_json_export_imported_into_an_empty_database_exports_the_same(tmp_path):
    programme = build_programme(_rich_draft())
    officer = User.objects.create_user("owen", first_name="Owen", last_name="Officer")
    ProgressNote.objects.create(action=Action.objects.get(ref="1.7"), date=dt.date(2017, 9, 1),
                                text="Signed off at the board.", author=officer)
    first = export_json(programme)
    path = tmp_path / "plan.json"
    call_command("plan", "export", "--programme", "rich", "--format", "json", "-o", str(path), stdout=io.StringIO())
    assert json.loads(path.read_text()) == first
    Programme.objects.all().delete()
    assert not Action.objects.exists()
    call_command("plan", "import", str(path), "--programme", "rich", stdout=io.StringIO(), stderr=io.StringIO())
    assert export_json(Programme.objects.get(slug="rich")) == first


@pytest.mark.django_db
def test_a_tracker_exported_to_excel_imports_to_the_same_actions_steps_and_notes(tmp_path, plan_files):
    # Add seed 000's action with no number, an unknown status and an undated note.
    rows = plan_files.TRACKER_ROWS[:9] + [plan_files.row(
        "Page 60", "Monitor and analyse service specific performance information",
        "HOS Safeguarding and QA\nCS Performance Lead", "• Develop a LOGI PARIS report",
        "To be completed by end of 2017",
        "Consistently clear management information.", "Data continues to be captured manually by SARS (11.04.17)",
        "Performance data delivery date required")] + plan_files.TRACKER_ROWS[9:]
    import_plan(plan_files.write_xlsx(tmp_path / "in.xlsx", rows), "a", source="Ofsted Dec 2016", today=TODAY)
    before = export_json(Programme.objects.get(slug="a"))
    assert ProgressNote.objects.filter(author_name="imported (undated)").count() == 1
    write_xlsx(Programme.objects.get(slug="a"), tmp_path / "out.xlsx")
    report = import_plan(tmp_path / "out.xlsx", "b", source="Ofsted Dec 2016", today=dt.date(2030, 1, 1))
    after = export_json(Programme.objects.get(slug="b"))
    assert after["themes"] == before["themes"]
    assert after["people"] == before["people"]
    assert after["sources"] == before["sources"]
    assert report.warnings == []


@pytest.mark.django_db
def test_a_tracker_exported_to_word_imports_to_the_same_plan(tracker_docx, tmp_path):
    import_plan(tracker_docx, "a", today=TODAY)
    before = export_json(Programme.objects.get(slug="a"))
    write_docx(Programme.objects.get(slug="a"), tmp_path / "out.docx")
    import_plan(tmp_path / "out.docx", "b", today=TODAY)
    after = export_json(Programme.objects.get(slug="b"))
    assert (after["themes"], after["people"]) == (before["themes"], before["people"])


def _tracker_fields(data: dict) -> list:
    """What the tracker layout carries: resources, costs and service areas are not in it."""
    keep = ("ref", "title", "owners", "steps", "when_text", "due", "status", "completed_on", "success_measure", "notes")
    return [(t["title"], r["ref"], r["text"], [{k: a[k] for k in keep} for a in r["actions"]])
            for t in data["themes"] for r in t["recommendations"]]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_an_action_plan_with_initials_exports_to_a_tracker_that_keeps_its_people(action_plan_xlsx, tmp_path, fmt):
    import_plan(action_plan_xlsx, "a", today=TODAY)
    before = export_json(Programme.objects.get(slug="a"))
    out = tmp_path / f"out.{fmt}"
    call_command("plan", "export", "--programme", "a", "--format", fmt, "-o", str(out), stdout=io.StringIO())
    import_plan(out, "b", today=TODAY)
    after = export_json(Programme.objects.get(slug="b"))
    assert after["people"] == before["people"]  # names, roles and initials, through the Key
    assert _tracker_fields(after) == _tracker_fields(before)


@pytest.mark.django_db
def test_a_completed_action_exported_to_excel_keeps_its_completion_date(tmp_path):
    programme = build_programme(_rich_draft())
    write_xlsx(programme, tmp_path / "out.xlsx")
    import_plan(tmp_path / "out.xlsx", "b", today=TODAY)
    a17 = Action.objects.get(recommendation__theme__programme__slug="b", ref="1.7")
    assert (a17.status, a17.completed_on) == ("completed", dt.date(2017, 9, 1))
    a16 = Action.objects.get(recommendation__theme__programme__slug="b", ref="1.6")
    assert [(s.text, s.when_text, s.status) for s in a16.steps.all()] == [
        ("Performance reporting", "Sept 2017", ""), ("Train IROs", "", "completed")]
    assert [(n.date, n.text, n.author_name) for n in a16.notes.all()] == [
        (dt.date(2016, 12, 9), "HoS notified on all section 47s.", ""),
        (dt.date(2017, 3, 31), "Over 80% within 24 hours.", "Priya Patel")]


@pytest.mark.django_db
def test_the_word_export_is_a_landscape_table_with_the_tracker_header(tmp_path):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    write_docx(build_programme(_rich_draft()), tmp_path / "out.docx")
    doc = Document(str(tmp_path / "out.docx"))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert [c.text for c in doc.tables[0].rows[0].cells][:3] == ["NOS", "What?", "Who?"]
