"""Importing seed 002's 2005 action plan, with lead people by initials and a KEY."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.plans.importers import import_plan
from oversight.plans.models import Action, Person, Programme

TODAY = dt.date(2024, 1, 15)


def _owners(action: Action) -> list[str]:
    through = Action.owners.through.objects.filter(action=action).order_by("id")
    return [t.person.name for t in through]


@pytest.fixture(params=["xlsx", "docx"])
def action_plan(request, action_plan_xlsx, action_plan_docx):
    """The same plan as Excel (KEY as a "Key" sheet) and as Word (KEY as its own table)."""
    return action_plan_xlsx if request.param == "xlsx" else action_plan_docx


@pytest.mark.django_db
def test_each_recommendation_becomes_one_action_whose_steps_are_its_bullets(action_plan):
    import_plan(action_plan, "csci", today=TODAY)
    a = Action.objects.get(ref="2.1")
    assert a.recommendation.ref == "2.1"
    assert a.recommendation.text.startswith("Senior Managers and Councillors should ensure that there is sufficient")
    assert a.title == a.recommendation.text
    assert a.service_area == "All"
    assert [s.text for s in a.steps.all()] == [
        "Recruit to Policy and Planning Co-ordinator and Project Officer role within new Children's Services "
        "structure.",
        "Change Fund Grant to be used to enhance planning and development capacity by buying in sessional work.",
        "Expansion of Child Protection Unit to develop safeguarding strategies using Safeguarding Grant.",
    ]
    assert a.success_measure.splitlines()[0] == "Policy and Service Development Co-ordinator in post by May 2005."


@pytest.mark.django_db
def test_lead_people_written_as_initials_are_the_people_in_the_key(action_plan):
    import_plan(action_plan, "csci", today=TODAY)
    assert _owners(Action.objects.get(ref="2.1")) == ["Terry Connolly", "Margaret Dennison"]  # "TC MD"
    assert _owners(Action.objects.get(ref="2.2")) == ["Vincent Clark", "Siobhan Grady", "Matt Redwood"]  # "VC/SG/ MR"
    vc = Person.objects.get(initials="VC")
    assert (vc.name, vc.role) == ("Vincent Clark", "Assistant Director Children's Services")
    # Everyone in the key is one of the programme's people, owner or not.
    assert Person.objects.filter(name="Keith Thompson", initials="KT").exists()


@pytest.mark.django_db
def test_initials_missing_from_the_key_and_words_after_initials_are_reported(action_plan):
    report = import_plan(action_plan, "csci", today=TODAY)
    assert _owners(Action.objects.get(ref="2.5")) == ["Vincent Clark", "JE", "Margaret Dennison"]
    assert any("initials JE are not in the KEY table" in w for w in report.warnings)
    assert _owners(Action.objects.get(ref="2.3")) == ["Tony Smith"]
    assert any("'See Various Task Group Leads'" in w for w in report.warnings)


@pytest.mark.django_db
def test_time_scales_on_their_own_lines_and_rows_date_the_steps_one_by_one(action_plan):
    import_plan(action_plan, "csci", today=TODAY)
    a21 = Action.objects.get(ref="2.1")
    assert [(s.when_text, s.due) for s in a21.steps.all()] == [
        ("June 2005", dt.date(2005, 6, 30)), ("April 2005", dt.date(2005, 4, 30)), ("May 2005", dt.date(2005, 5, 31))]
    assert a21.due == dt.date(2005, 6, 30)  # the action is due when its last step is
    # 2.5's later time scales and leads come on rows of their own, one per step.
    a25 = Action.objects.get(ref="2.5")
    assert [s.when_text for s in a25.steps.all()] == ["Completed", "Completed", "June 2005", "June 2005", "April2006"]
    assert a25.due == dt.date(2006, 4, 30)
    # 2.3 has two steps and one time scale: the action keeps it.
    a23 = Action.objects.get(ref="2.3")
    assert a23.when_text == "1 st phase completed May 2005"
    assert [s.when_text for s in a23.steps.all()] == ["", ""]


@pytest.mark.django_db
def test_resources_give_the_cost_the_fund_and_bold_marks_additional_revenue(action_plan):
    import_plan(action_plan, "csci", today=TODAY)
    a21 = Action.objects.get(ref="2.1")
    assert (a21.resources, a21.cost, a21.funding_source, a21.additional_revenue) == (
        "Change Fund Grant £41k.", Decimal("41000.00"), "Change Fund Grant", True)
    a22 = Action.objects.get(ref="2.2")
    assert (a22.resources, a22.cost, a22.additional_revenue) == ("Officer time", None, False)
    a25 = Action.objects.get(ref="2.5")
    assert a25.funding_source == "Safeguarding Children's Grant" and not a25.additional_revenue
    assert Action.objects.get(ref="2.7").cost == Decimal("62000.00")


@pytest.mark.django_db
def test_section_titles_above_the_tables_become_themes(action_plan):
    import_plan(action_plan, "csci", today=TODAY)
    programme = Programme.objects.get(slug="csci")
    assert [(t.title, [r.ref for r in t.recommendations.all()]) for t in programme.themes.all()] == [
        ("Recommendations – National Priorities and Strategic Objectives", ["2.1", "2.2", "2.3", "2.5"]),
        ("Effectiveness of Service Delivery and Outcomes", ["2.7"]),
    ]


@pytest.mark.django_db
def test_a_recommendation_that_runs_on_past_a_page_break_is_joined(tmp_path, plan_files):
    rows = [plan_files.ACTION_PLAN_HEADER,
            ["2.4", "Senior Managers and Councillors should develop a clearly planned and structured cross-", "All",
             "• Participation Task Group work plan - identifying key stakeholders to participate in the "
             "development of integrated service and children and", "", "Oct 2005", "", "MD"],
            ["", "departmental/agency participation strategy for children and families.", "",
             "young peoples plan.\n• To secure effective participation of consultation with all service users.",
             "", "", "", ""]]
    import_plan(plan_files.write_xlsx(tmp_path / "p.xlsx", rows, key=plan_files.KEY_ROWS), "p", today=TODAY)
    a = Action.objects.get()
    assert a.recommendation.text.endswith("structured cross- departmental/agency participation strategy for "
                                          "children and families.")
    assert [s.text for s in a.steps.all()] == [
        "Participation Task Group work plan - identifying key stakeholders to participate in the development of "
        "integrated service and children and young peoples plan.",
        "To secure effective participation of consultation with all service users.",
    ]


@pytest.mark.django_db
def test_a_key_written_below_the_plan_on_the_same_sheet_is_read(tmp_path, plan_files):
    rows = [plan_files.ACTION_PLAN_HEADER,
            ["2.19", "The Council should ensure that signposting in ethnic minority languages is provided.", "All",
             "• All Children's Services Posters/Leaflets to include signposting.", "", "Sept 2005", "£2k", "VC"],
            ["KEY:"], *plan_files.KEY_ROWS]
    report = import_plan(plan_files.write_xlsx(tmp_path / "p.xlsx", rows), "p", today=TODAY)
    assert _owners(Action.objects.get()) == ["Vincent Clark"]
    assert Person.objects.get(name="Vincent Clark").initials == "VC"
    assert report.warnings == []
