"""Each builder's figures are the database's, laid out section by section as the seeds are."""

from __future__ import annotations

import datetime as dt

from oversight.plans.models import DONE_STATUSES, Action
from oversight.reports.builders import build
from oversight.reports.data import Chart, HighlightReport, Paragraph, Table, iter_tables, to_json


def titles(report) -> list[str]:
    return [s.title for s in report.sections]


def test_the_demo_highlight_report_is_red_overall_as_seed_001_says(demo, january):
    report = build("highlight", demo, january)
    assert isinstance(report, HighlightReport)
    assert report.header.overall_status == "red"
    assert report.header.overall_status_label == "Red"
    assert report.header.sro == demo.sro.name
    assert report.header.programme_manager == demo.programme_manager.name
    status_table = report.sections[0].blocks[0]
    assert ("Overall Status", "Red", "red") in [(r[0].text, r[1].text, r[1].rag) for r in status_table.rows]


def test_the_demo_highlight_report_follows_seed_001_section_by_section(demo, january):
    report = build("highlight", demo, january)
    names = titles(report)
    assert names[:7] == ["Programme status", "Overall progress narrative", "Progress against budget",
                         "Key areas of concern", "Medium term developments", "Issues / risks",
                         "Guidance for RAG status"]
    assert names[7].startswith("Theme one: ")
    theme = report.sections[7]
    assert theme.sections[-1].title == "Progress in delivering key improvement plan actions"


def test_risk_5_of_the_demo_scores_25_and_is_red(demo, january):
    report = build("highlight", demo, january)
    risk5 = next(r for r in report.risks if r.ref == "5")
    assert (risk5.probability, risk5.impact, risk5.score, risk5.band) == (5, 5, 25, "red")
    table = next(t for t in iter_tables(report) if t.key == "risks")
    row = next(r for r in table.rows if r[0].text == "5")
    assert row[-1].text == "25" and row[-1].rag == "red" and row[-1].value == 25


def test_every_open_demo_risk_is_in_the_highlight_report_with_its_database_score(demo, january):
    report = build("highlight", demo, january)
    db = {r.ref: r.probability * r.impact for r in demo.risks.filter(status="open")}
    assert {r.ref: r.score for r in report.risks} == db


def test_the_demo_concerns_and_developments_are_listed_with_owner_and_by_when(demo, january):
    report = build("highlight", demo, january)
    assert len(report.concerns) == demo.concerns.count() > 0
    assert len(report.developments) == demo.developments.count() > 0
    first = demo.concerns.order_by("order", "id").first()
    assert report.concerns[0].by_when == first.by_when_text


def test_theme_key_actions_carry_a_rag_per_quarter_ending_at_the_period(demo, january):
    report = build("highlight", demo, january)
    assert report.themes[0].quarter_labels == ("Q1", "Q2", "Q3", "Q4")  # 2019/20, January 2020 is Q4
    action = Action.objects.get(recommendation__theme__programme=demo, ref="1.1.1")
    key = next(a for t in report.themes for o in t.objectives for a in o.actions if a.ref == "1.1.1")
    expected = {(r.year, r.quarter): r.rag for r in action.rag_ratings.all()}
    assert key.rags == tuple(expected.get((2019, q), "") for q in (1, 2, 3, 4))


def test_the_demo_local_measures_appear_as_kpi_rows_with_six_months(demo, january):
    report = build("highlight", demo, january)
    rows = [r for t in report.themes for g in t.kpi_groups for r in g.rows]
    rows += [r for t in iter_tables(report) for r in []]
    assert rows, "seed 001's measures sit under their themes"
    assert all(len(r.months) == 6 for r in rows)
    group = next(g for t in report.themes for g in t.kpi_groups)
    assert group.month_labels[-1] == "Jan 20"
    for r in rows:
        for cell in r.months:
            assert (cell.value is None) or cell.text  # a number always has its printed form


def test_the_tracker_splits_outstanding_and_completed_at_the_as_at(demo, january):
    report = build("tracker", demo, january)
    actions = list(Action.objects.filter(recommendation__theme__programme=demo))
    done = [a for a in actions if a.status in DONE_STATUSES and (a.completed_on is None
                                                                   or a.completed_on <= january.as_at)]
    assert len(report.completed) == len(done)
    assert len(report.outstanding) == len(actions) - len(done)
    assert titles(report) == ["Outstanding actions", "Actions completed as at 31 January 2020"]


def test_an_action_completed_after_the_as_at_is_still_outstanding_then(demo, january):
    action = Action.objects.filter(recommendation__theme__programme=demo).exclude(
        status__in=DONE_STATUSES).first()
    action.status, action.completed_on = "completed", dt.date(2020, 3, 1)
    action.save()
    report = build("tracker", demo, january)
    row = next(r for r in report.outstanding if r.number == action.ref)
    assert row.status_label != "Completed"


def test_the_tracker_outcome_holds_only_notes_dated_by_the_as_at(plan_factory, january):
    prog = plan_factory("notes", 1, risks=False)
    a = Action.objects.filter(recommendation__theme__programme=prog).first()
    a.notes.create(date=dt.date(2020, 2, 10), text="Written in February")
    report = build("tracker", prog, january)
    row = next(r for r in (*report.outstanding, *report.completed) if r.number == a.ref)
    assert "10/01/2020: Note 0" in row.outcome
    assert "February" not in row.outcome


def test_the_risk_register_heat_map_counts_the_open_risks(demo, january):
    report = build("risks", demo, january)
    assert sum(map(sum, report.heatmap)) == len(report.risks) == demo.risks.filter(status="open").count()
    # seed 001: risk 5 is probability 5, impact 5 → the top right cell
    assert report.heatmap[0][4] >= 1
    chart = next(b for s in report.sections for b in s.blocks if isinstance(b, Chart))
    assert "<svg" in chart.svg and chart.alt
    assert chart.table.rows[0][5].text == str(report.heatmap[0][4])


def test_the_report_card_groups_measures_by_the_three_questions(demo, january):
    report = build("report-card", demo, january)
    assert [g.question for g in report.groups] == ["How much did we do?", "How well did we do it?",
                                                   "Is anyone better off?"]
    refs = [r.ref for g in report.groups for r in g.rows]
    assert refs and len(refs) == len(set(refs))


def test_a_plan_without_risks_or_measures_still_renders_and_says_so(plan_factory, january):
    prog = plan_factory("bare", 1, risks=False)
    report = build("highlight", prog, january)
    risks = next(t for t in iter_tables(report) if t.key == "risks")
    assert risks.rows == () and risks.empty_text == "No risks recorded for this period."
    register = build("risks", prog, january)
    assert any(isinstance(b, Paragraph) and b.text == "No risks recorded for this period."
               for s in register.sections for b in s.blocks)


def test_the_budget_variance_is_forecast_minus_budget_formatted_as_money(plan_factory, january):
    prog = plan_factory("money", 1, risks=False)
    report = build("highlight", prog, january)
    line = report.budget[0]
    assert (line.budget.text, line.forecast.text, line.variance.text) == ("£1,000", "£1,100", "£100")
    assert line.variance.value == 100


def test_the_committee_report_has_seed_004s_sections_in_order(plan_factory, january):
    prog = plan_factory("committee", 1, risks=False)
    report = build("committee", prog, january)
    assert titles(report) == ["Report details", "1. Proposal and introduction", "2. Reason for proposal",
                              "3. Recommendation(s) / proposed decision", "Appendices",
                              "Appendix 5: Equality impact assessment", "Background documents"]
    assert report.landscape is False


def test_every_report_turns_into_json(demo, january):
    import json

    for name in ("highlight", "report-card", "tracker", "committee", "risks"):
        data = to_json(build(name, demo, january))
        assert json.loads(json.dumps(data))["name"] == name


def test_every_table_row_has_one_cell_per_column(demo, january):
    for name in ("highlight", "report-card", "tracker", "committee", "risks"):
        for table in iter_tables(build(name, demo, january)):
            assert isinstance(table, Table)
            for row in table.rows:
                assert len(row) == len(table.columns), (name, table.key)
