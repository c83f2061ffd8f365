"""Importing seed 000's Improvement Action Tracker from Excel and Word."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from oversight.plans.exporters import export_json
from oversight.plans.importers import import_plan
from oversight.plans.importers import text as tx
from oversight.plans.models import Action, Person, Programme, ProgressNote, Theme

TODAY = dt.date(2024, 1, 15)


def _action(slug: str, ref: str) -> Action:
    return Action.objects.get(recommendation__theme__programme__slug=slug, ref=ref)


@pytest.mark.django_db
def test_a_tracker_workbook_becomes_themes_recommendations_and_numbered_actions(tracker_xlsx):
    report = import_plan(tracker_xlsx, "torbay", today=TODAY)
    programme = Programme.objects.get(slug="torbay")
    assert report.created
    themes = list(programme.themes.all())
    assert [t.title for t in themes] == ["CHILDREN IN NEED OF HELP OF PROTECTION"]
    recs = list(themes[0].recommendations.all())
    assert [r.ref for r in recs] == ["1", "2"]
    assert recs[0].text.startswith("Ensure that assessments are timely")
    assert [a.ref for a in recs[0].actions.all()] == ["1.6", "1.7", "1.3"]
    assert [a.ref for a in recs[1].actions.all()] == ["2.1"]
    a16 = _action("torbay", "1.6")
    assert a16.title == "Consistent application of CP thresholds and CP process"
    assert a16.status == "ongoing"
    assert a16.when_text == "Sept - Nov 2017"
    assert a16.due == dt.date(2017, 11, 30)
    assert report.counts == {"themes": 1, "recommendations": 2, "actions": 4, "steps": 12, "notes": 9, "people": 2}


@pytest.mark.django_db
def test_continuation_rows_add_owners_and_steps_with_that_rows_status_and_when(tracker_xlsx):
    import_plan(tracker_xlsx, "torbay", today=TODAY)
    a16 = _action("torbay", "1.6")
    assert export_json(a16.recommendation.theme.programme)["themes"][0]["recommendations"][0]["actions"][0][
        "owners"] == ["Head of Service MASH/ SA", "Head of Service SASF"]
    steps = list(a16.steps.all())
    assert [s.text for s in steps[:3]] == [
        "Performance reporting to capture Heads of Service oversight",
        "Head of Service oversight of Sec 47 going to ICPC",
        "Ensure that core groups are developing child protection plans. (OFSTED DEC 2016)",
    ]
    # The action's own row: its steps follow the action's status and When?.
    assert (steps[0].status, steps[0].when_text) == ("", "")
    # The continuation row: PART COMPLETED, and two When? lines for three steps, so each keeps both.
    assert {s.status for s in steps[2:5]} == {"part_completed"}
    assert steps[2].when_text == "From Jan 2017 and ongoing\nBy end Sept 17"
    assert steps[2].due == dt.date(2017, 9, 30)
    # A row that continues after a page break adds its step with its own When?.
    a21 = _action("torbay", "2.1")
    step = a21.steps.get(text="Performance reporting to specify 24hrs and 48hrs")
    assert step.when_text == "Phase 3" and step.due is None
    assert a21.success_measure.startswith("Correct intervention at appropriate threshold will be applied.")


@pytest.mark.django_db
def test_the_outcome_column_becomes_progress_notes_dated_by_their_trailing_date(tracker_xlsx):
    import_plan(tracker_xlsx, "torbay", today=TODAY)
    notes = [(n.date, n.text) for n in _action("torbay", "1.3").notes.all()]
    assert notes == [
        (dt.date(2016, 12, 9), "Phase 2 of performance monitoring launching 13/12/16."),
        (dt.date(2017, 3, 31), "This is a measure where we are consistency above 90% - this continues to be "
                               "monitored at monthly performance meetings."),
    ]
    a16 = _action("torbay", "1.6")
    assert a16.notes.filter(date=dt.date(2017, 2, 9), text__startswith="Audit activity has revealed").exists()


@pytest.mark.django_db
def test_a_note_cut_by_a_page_break_is_joined_and_an_undated_note_takes_the_date_before_it(tracker_xlsx):
    import_plan(tracker_xlsx, "torbay", today=TODAY)
    notes = list(_action("torbay", "2.1").notes.all())
    assert notes[0].text == ("The 2nd phase of performance data showing service and team manager's views will be "
                             "launched on 13/12/12.")
    assert notes[0].date == dt.date(2016, 12, 9)
    assert notes[-1].text.startswith("To maintain target of 85%")
    assert notes[-1].date == dt.date(2017, 3, 31)  # no date of its own: the note before it
    assert not ProgressNote.objects.filter(author_name="imported (undated)").exists()


@pytest.mark.django_db
def test_a_first_note_without_any_date_gets_the_import_date_and_says_so(tmp_path, plan_files):
    rows = [plan_files.TRACKER_HEADER, plan_files.row("1", "Make assessments timely"),
            plan_files.row("", "Monitor and analyse service specific performance information",
                 "HOS Safeguarding and QA\nCS Performance Lead", "• Develop a LOGI PARIS report",
                 "To be completed by end of 2017", "", "ONGOING", "Performance data delivery date required")]
    report = import_plan(plan_files.write_xlsx(tmp_path / "p.xlsx", rows), "p", today=TODAY)
    note = ProgressNote.objects.get()
    assert (note.date, note.author_name) == (TODAY, "imported (undated)")
    assert any("had no date" in w for w in report.warnings)
    action = Action.objects.get()
    assert action.ref == ""  # an action row with no number (seed 000 has these)
    assert sorted(action.owners.values_list("name", flat=True)) == ["CS Performance Lead",
                                                                    "HOS Safeguarding and QA"]


@pytest.mark.django_db
def test_done_actions_under_completed_as_at_get_that_date_and_a_repeated_action_continues(tracker_xlsx):
    import_plan(tracker_xlsx, "torbay", today=TODAY)
    a13 = _action("torbay", "1.3")
    assert (a13.status, a13.completed_on) == ("completed", dt.date(2017, 9, 1))
    # 1.6 appears again in the completed part: one action, its completed steps added to it.
    a16 = _action("torbay", "1.6")
    assert (a16.status, a16.completed_on) == ("ongoing", None)
    later = list(a16.steps.all())[5:]
    assert [(s.status, s.when_text) for s in later] == [("completed", "Dec 2016"), ("ongoing", "Mar2017")]
    a21 = _action("torbay", "2.1")
    assert a21.steps.filter(status="completed", text__startswith="MASH operational procedures").exists()


@pytest.mark.django_db
def test_an_ofsted_tag_names_the_source_and_the_default_source_covers_the_rest(tracker_xlsx):
    import_plan(tracker_xlsx, "torbay", source="Ofsted monitoring visit Aug 2017", today=TODAY)
    recs = {r.ref: r for r in Theme.objects.get().recommendations.select_related("source")}
    # "(OFSTED DEC 2016)" in a How? bullet of 1.6 names recommendation 1's source.
    assert recs["1"].source.label == "Ofsted Dec 2016"
    assert recs["1"].source.date == dt.date(2016, 12, 31)
    assert recs["2"].source.label == "Ofsted monitoring visit Aug 2017"


@pytest.mark.django_db
def test_the_same_tracker_in_word_imports_exactly_as_from_excel(tracker_xlsx, tracker_docx):
    import_plan(tracker_xlsx, "from-excel", today=TODAY)
    import_plan(tracker_docx, "from-word", today=TODAY)
    excel = export_json(Programme.objects.get(slug="from-excel"))
    word = export_json(Programme.objects.get(slug="from-word"))
    assert excel["themes"] == word["themes"]
    assert excel["people"] == word["people"]


@pytest.mark.django_db
def test_word_cells_merged_down_the_page_are_read_once(tmp_path, plan_files):
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=8)
    for cell, text in zip(table.rows[0].cells, plan_files.TRACKER_HEADER, strict=True):
        cell.text = text
    first = ["1.7", "Reduce number of single assessments", "Head of Service SASF", "Revise standards",
             "Jan 2017", "Issued", "COMPLETED", ""]
    for cell, text in zip(table.rows[1].cells, first, strict=True):
        cell.text = text
    table.rows[2].cells[3].text = "Train staff"
    table.rows[2].cells[6].text = "ONGOING"
    # Who? and What? span both rows, as officers merge them in Word.
    table.cell(1, 1).merge(table.cell(2, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    doc.save(str(tmp_path / "merged.docx"))
    import_plan(tmp_path / "merged.docx", "m", today=TODAY)
    action = Action.objects.get()
    assert list(action.owners.values_list("name", flat=True)) == ["Head of Service SASF"]
    assert [(s.text, s.status) for s in action.steps.all()] == [("Revise standards", ""), ("Train staff", "ongoing")]


@pytest.mark.django_db
def test_the_header_may_come_after_a_title_and_in_any_column_order(tmp_path, plan_files):
    order = [7, 6, 0, 1, 2, 3, 4, 5]
    header = [plan_files.TRACKER_HEADER[i] for i in order]
    row = ["", "ONGOING", "1.1", "Revise assessment practice standards", "Head of Service",
           "• Revise standards\n• Train staff", "Dec 2016", "Standards understood"]
    rows = [plan_files.row("Version 21"), header, plan_files.row("", "", "1", "Timely assessments"), row]
    path = plan_files.write_xlsx(tmp_path / "p.xlsx", rows, title=plan_files.FURNITURE)
    import_plan(path, "p", today=TODAY)
    action = Action.objects.get()
    assert (action.ref, action.status, action.when_text) == ("1.1", "ongoing", "Dec 2016")
    assert [s.text for s in action.steps.all()] == ["Revise standards", "Train staff"]
    assert action.recommendation.text == "Timely assessments"
    assert action.recommendation.theme.title == "Improvement plan"


@pytest.mark.django_db
def test_an_unknown_status_is_read_as_not_started_with_a_warning(tmp_path, plan_files):
    rows = [plan_files.TRACKER_HEADER, plan_files.row("1", "Assessments"),
            plan_files.row("1.1", "Monitor performance", "HOS Safeguarding and QA", "• Build the report", "Oct 17", "",
                 "Data continues to be captured manually by SARS (11.04.17)", "")]
    out, err = io.StringIO(), io.StringIO()
    call_command("plan", "import", str(plan_files.write_xlsx(tmp_path / "p.xlsx", rows)), "--programme", "p",
                 stdout=out, stderr=err)
    assert Action.objects.get().status == "not_started"
    assert "warning:" in err.getvalue() and "Data continues to be captured manually" in err.getvalue()
    assert "imported into programme 'p'" in out.getvalue()


@pytest.mark.parametrize(("text", "status"), [
    ("ONGOING", "ongoing"), ("Ongoing", "ongoing"), ("On-going", "ongoing"), ("PART COMPLETED", "part_completed"),
    ("Review 27 – 29 Sept", "review"), ("REVIEW", "review"), ("COMPLETED", "completed"), ("Complete", "completed"),
    ("Completed and ongoing", "completed_ongoing"), ("Closed - merged", "closed_merged"),
    ("Closed – disbanded", "closed_disbanded"), ("closed (deferred)", "closed_deferred"),
    ("In progress", "in_progress"), ("Not started", "not_started"), ("", ""),
    ("Data continues to be captured manually by SARS (11.04.17)", None),
])
def test_status_words_are_read_tolerantly(text, status):
    assert tx.parse_status(text).status == status


def test_a_date_in_the_status_cell_is_the_completion_date():
    assert tx.parse_status("Completed 01/09/2017") == ("completed", dt.date(2017, 9, 1))


@pytest.mark.parametrize(("cell", "owners"), [
    ("Head of Service MASH/ SA", ["Head of Service MASH/ SA"]),
    ("Head of Service MASH/ SA Head of Service SASF", ["Head of Service MASH/ SA", "Head of Service SASF"]),
    ("AD/HoS/IROs/Lead Auditor", ["AD", "HoS", "IROs", "Lead Auditor"]),
    ("AD/Heads of Service and Lead Auditor", ["AD", "Heads of Service", "Lead Auditor"]),
    ("HOS for Safeguarding and QA", ["HOS for Safeguarding and QA"]),
    ("HOS Safeguarding and QA / Senior IRO", ["HOS Safeguarding and QA", "Senior IRO"]),
    ("Children's Commissioner / TSCB Domestic Abuse work", ["Children's Commissioner", "TSCB Domestic Abuse work"]),
    ("Head Early Help\nTSCB", ["Head Early Help", "TSCB"]),
    ("Jane Smith, Priya Patel", ["Jane Smith", "Priya Patel"]),
])
def test_owners_are_split_without_breaking_roles(cell, owners):
    assert tx.split_owners(cell) == owners


def test_owners_written_as_initials_split_on_slashes_and_spaces():
    key = {"VC", "SG", "MR", "TC", "MD"}
    assert tx.split_owners("VC/SG/ MR", initials=key) == ["VC", "SG", "MR"]
    assert tx.split_owners("TC MD", initials=key) == ["TC", "MD"]


@pytest.mark.django_db
def test_a_role_owner_keeps_the_role_and_a_name_owner_has_none(tmp_path, plan_files):
    rows = [plan_files.TRACKER_HEADER, plan_files.row("1", "Assessments"),
            plan_files.row("1.1", "Audit CSE toolkit outcomes", "Lead Auditor\nJane Smith", "• Audit", "Oct 2017")]
    import_plan(plan_files.write_xlsx(tmp_path / "p.xlsx", rows), "p", today=TODAY)
    assert {p.name: p.role for p in Person.objects.all()} == {"Lead Auditor": "Lead Auditor", "Jane Smith": ""}


@pytest.mark.django_db
def test_a_programme_that_has_a_plan_is_not_imported_over_without_replace_or_merge(tracker_xlsx):
    import_plan(tracker_xlsx, "torbay", today=TODAY)
    before = export_json(Programme.objects.get(slug="torbay"))
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(tracker_xlsx), "--programme", "torbay")
    assert caught.value.returncode == 2
    assert "already has a plan" in str(caught.value) and "--replace" in str(caught.value)
    assert export_json(Programme.objects.get(slug="torbay")) == before


@pytest.mark.django_db
def test_replace_swaps_the_plan_for_the_file(tracker_xlsx, tmp_path, plan_files):
    import_plan(tracker_xlsx, "torbay", today=TODAY)
    smaller = plan_files.write_xlsx(tmp_path / "small.xlsx", plan_files.TRACKER_ROWS[:9])
    import_plan(smaller, "torbay", replace=True, today=TODAY)
    assert sorted(Action.objects.values_list("ref", flat=True)) == ["1.6", "1.7", "2.1"]
    assert Theme.objects.count() == 1


@pytest.mark.django_db
def test_merge_adds_only_what_is_new_and_leaves_existing_actions_as_they_are(tmp_path, plan_files):
    row = plan_files.row
    rows = [plan_files.TRACKER_HEADER, row("1", "HELP AND PROTECTION"), row("1", "Make assessments timely"),
            plan_files.row("1.1", "Revise standards", "Head of Service", "• Revise", "Dec 2016", "", "ONGOING",
                 "Drafted. 9.12.16")]
    import_plan(plan_files.write_xlsx(tmp_path / "v1.xlsx", rows), "p", today=TODAY)
    later = rows[:3] + [
        plan_files.row("1.1", "Revise standards", "Head of Service", "• Revise\n• Train staff", "Dec 2016", "",
                       "COMPLETED",
             "Drafted. 9.12.16\nIssued to all staff. (31 March 2017)"),
        plan_files.row("1.2", "Report timeliness monthly", "Performance Manager", "• Build the report", "Phase 2", "",
             "ONGOING", ""),
    ]
    import_plan(plan_files.write_xlsx(tmp_path / "v2.xlsx", later), "p", merge=True, today=TODAY)
    a11 = Action.objects.get(ref="1.1")
    assert a11.status == "ongoing"  # fields change through the app, not a merge
    assert [n.text for n in a11.notes.all()] == ["Drafted.", "Issued to all staff."]
    assert [s.text for s in a11.steps.all()] == ["Revise", "Train staff"]
    assert sorted(Action.objects.values_list("ref", flat=True)) == ["1.1", "1.2"]
    assert Theme.objects.count() == 1


@pytest.mark.django_db
def test_page_furniture_repeated_headers_and_page_numbers_are_not_plan_content(tmp_path, plan_files):
    tables = plan_files.split_at(plan_files.TRACKER_ROWS, 10, 14)
    path = plan_files.write_docx(tmp_path / "t.docx", ["Appendix 2", "Agenda Item 5", tables[0], "Page 53",
                                                         plan_files.FURNITURE,
                                             tables[1], "Page 55", *tables[2:]], word_bullets=False)
    import_plan(path, "t", today=TODAY)
    texts = [t for a in Action.objects.all() for t in [a.title, *a.steps.values_list("text", flat=True)]]
    assert not [t for t in texts if "Page" in t or "Improvement Action Tracker" in t or t == "NOS"]
    assert Action.objects.count() == 4
