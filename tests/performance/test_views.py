"""Scorecard page, JSON twin, front sheet, downloads, child-level rows (gated + logged), commentary."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from oversight.accounts.models import ChildDataAccess
from oversight.performance.models import Benchmark, Commentary, Target


@pytest.fixture
def scorecard_data(run):
    Target.objects.create(indicator="assessments_45wd_pct", minimum=60, upper=80)
    Benchmark.objects.create(indicator="assessments_45wd_pct", time_period="201819", year=2019, level="national",
                             area_name="England", value=83.1)
    return run


def test_the_scorecard_shows_each_measure_with_trend_current_target_rag_and_benchmark(
        client, bob_board_member, scorecard_data):
    client.force_login(bob_board_member)
    html = client.get(reverse("performance:scorecard")).content.decode()
    assert "Assessments completed within 45 working days (%)" in html
    assert "66.7%" in html and "2/3" in html
    assert '<strong class="tag tag-amber">Amber</strong>' in html
    assert "83.1% (201819)" in html
    assert 'class="sparkline" role="img"' in html
    assert "Aug 19" in html and "Jan 20" in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "style=" not in html and "<script>" not in html


def test_an_empty_scorecard_says_nothing_has_been_computed(client, bob_board_member):
    client.force_login(bob_board_member)
    assert "No indicators have been computed yet" in client.get(reverse("performance:scorecard")).content.decode()


def test_the_scorecard_has_a_json_twin(client, bob_board_member, scorecard_data):
    client.force_login(bob_board_member)
    data = client.get(reverse("performance:scorecard_json")).json()
    assert data["as_at"] == "2020-01-31"
    assert data["months"] == ["2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01"]
    ind = {i["id"]: i for t in data["themes"] for i in t["indicators"]}["assessments_45wd_pct"]
    assert ind["current"] == {"month": "2020-01", "numerator": 2, "denominator": 3, "value": 66.7}
    assert ind["rag"] == "amber" and ind["target"]["upper"] == 80
    assert ind["benchmarks"]["national"]["value"] == 83.1


def test_the_scorecard_downloads_as_csv_and_xlsx(client, bob_board_member, scorecard_data):
    client.force_login(bob_board_member)
    csv_resp = client.get(reverse("performance:scorecard_download", kwargs={"fmt": "csv"}))
    assert csv_resp["Content-Type"].startswith("text/csv")
    text = csv_resp.content.decode()
    assert text.splitlines()[0].startswith("theme,indicator,name,unit")
    assert "assessments_45wd_pct" in text and "66.7" in text
    xlsx = client.get(reverse("performance:scorecard_download", kwargs={"fmt": "xlsx"}))
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["C1"].value == "Performance measure"  # names for people, not code names
    assert any(r[2] == "Assessments completed within 45 working days (%)" for r in ws.iter_rows(values_only=True))


def test_the_front_sheet_shows_months_teams_and_an_spc_chart_but_no_workers_for_a_board_member(
        client, bob_board_member, scorecard_data):
    client.force_login(bob_board_member)
    html = client.get(reverse("performance:indicator", args=["assessments_45wd_pct"])).content.decode()
    assert "Assessment Team 1" in html and "By team" in html
    assert '<svg class="chart"' in html
    assert "1 row of the list was left out" in html
    assert "By worker" not in html and "Ann Worker" not in html
    assert "/rows/" not in html  # no links to child-level rows


def test_a_team_manager_sees_workers_and_links_to_rows(client, tara_team_manager, scorecard_data):
    client.force_login(tara_team_manager)
    html = client.get(reverse("performance:indicator", args=["assessments_45wd_pct"])).content.decode()
    assert "By worker" in html and "Ann Worker" in html
    assert "/rows/" in html


def test_the_front_sheet_downloads_overall_and_team_figures(client, bob_board_member, scorecard_data):
    client.force_login(bob_board_member)
    url = reverse("performance:indicator_download", kwargs={"indicator_id": "assessments_45wd_pct", "fmt": "csv"})
    text = client.get(url).content.decode()
    assert "assessments_45wd_pct,team,Assessment Team 1,2020-01,1,2,50.0" in text
    assert "Ann Worker" not in text


def test_child_level_rows_are_refused_to_a_board_member_and_nothing_is_logged(client, bob_board_member, run):
    client.force_login(bob_board_member)
    resp = client.get(reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + "?month=2020-01")
    assert resp.status_code == 403
    assert ChildDataAccess.objects.count() == 0


def test_a_team_manager_sees_the_rows_behind_a_number_and_the_view_is_logged(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"])
    html = client.get(url + "?month=2020-01&part=numerator").content.decode()
    assert "CHILD-A1" in html and "CHILD-A3" in html and "CHILD-A2" not in html
    log = ChildDataAccess.objects.get()
    assert log.user == tara_team_manager and log.rows_shown == 2
    assert "assessments_45wd_pct 2020-01 numerator" in log.what
    team = client.get(url + "?month=2020-01&team=Assessment%20Team%201").content.decode()
    assert "CHILD-A1" in team and "CHILD-A2" in team and "CHILD-A3" not in team
    assert ChildDataAccess.objects.count() == 2


def test_rows_left_out_for_invalid_values_can_be_listed(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + "?part=excluded"
    html = client.get(url).content.decode()
    assert "CHILD-A5" in html and "assessment_start" in html


def test_a_rows_download_is_logged_too(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + "?month=2020-01&format=csv"
    text = client.get(url).content.decode()
    assert text.splitlines()[0].startswith("row,child_id")
    assert ChildDataAccess.objects.get().what.endswith("(csv)")


def test_a_team_manager_adds_commentary_for_a_month_with_name_and_time(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:commentary_add", args=["assessments_45wd_pct"])
    resp = client.post(url, {"month": "2020-01", "text": "Two late assessments were transfers in."})
    assert resp.status_code == 302
    c = Commentary.objects.get()
    assert (c.author, str(c.month), c.indicator) == (tara_team_manager, "2020-01-01", "assessments_45wd_pct")
    html = client.get(reverse("performance:indicator", args=["assessments_45wd_pct"])).content.decode()
    assert "Two late assessments were transfers in." in html and "January 2020 – tara" in html


def test_a_board_member_cannot_add_commentary(client, bob_board_member, run):
    client.force_login(bob_board_member)
    resp = client.post(reverse("performance:commentary_add", args=["assessments_45wd_pct"]),
                       {"month": "2020-01", "text": "x"})
    assert resp.status_code == 403
    assert not Commentary.objects.exists()


def test_an_unknown_indicator_is_not_found(client, bob_board_member, run):
    client.force_login(bob_board_member)
    assert client.get(reverse("performance:indicator", args=["no_such_thing"])).status_code == 404


def test_the_latest_commentary_for_the_month_shows_on_the_scorecard_and_its_json(client, tara_team_manager, run):
    Commentary.objects.create(indicator="assessments_45wd_pct", month=run.as_at.replace(day=1),
                              text="Two late assessments were transfers in.", author=tara_team_manager)
    client.force_login(tara_team_manager)
    assert "Comment (tara" in client.get(reverse("performance:scorecard")).content.decode()
    data = client.get(reverse("performance:scorecard_json")).json()
    ind = {i["id"]: i for t in data["themes"] for i in t["indicators"]}["assessments_45wd_pct"]
    assert ind["commentary"]["text"] == "Two late assessments were transfers in."


def test_a_programme_manager_sets_a_dated_target_and_its_history_is_kept(client, priya_programme_manager, run):
    client.force_login(priya_programme_manager)
    url = reverse("performance:target_add", args=["assessments_45wd_pct"])
    client.post(url, {"minimum": "60", "upper": "80", "due": "2020-07-31", "label": "By Jul 2020"})
    client.post(url, {"minimum": "65", "upper": "85", "due": "2020-07-31", "label": "By Jul 2020"})
    t = Target.objects.get()
    assert (t.minimum, t.upper, t.label) == (65, 85, "By Jul 2020")
    assert t.history.count() == 2
    html = client.get(reverse("performance:scorecard")).content.decode()
    assert "By Jul 2020" in html and '<strong class="tag tag-amber">Amber</strong>' in html


def test_a_target_needs_a_figure_and_a_board_member_cannot_set_one(client, priya_programme_manager,
                                                                   bob_board_member, run):
    url = reverse("performance:target_add", args=["assessments_45wd_pct"])
    client.force_login(priya_programme_manager)
    client.post(url, {"label": "nothing"})
    assert not Target.objects.exists()
    client.force_login(bob_board_member)
    assert client.post(url, {"minimum": "1"}).status_code == 403
