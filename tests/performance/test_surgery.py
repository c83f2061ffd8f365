"""A team manager's monthly performance surgery, and the rows behind a figure with the misses first."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from oversight.accounts.models import ChildDataAccess
from oversight.performance.models import Target

TEAM_1 = "Assessment Team 1"


@pytest.fixture
def target(run):
    return Target.objects.create(indicator="assessments_45wd_pct", minimum=60, upper=80)


def test_tara_sees_her_teams_measures_month_by_month_against_target_and_its_workers(
        client, tara_team_manager, target, programme):
    client.force_login(tara_team_manager)
    html = client.get(reverse("performance:team") + f"?team={TEAM_1}").content.decode()
    assert "<h1>Assessment Team 1</h1>" in html
    assert "Assessments completed within 45 working days (%)" in html
    assert "50.0%" in html and "1/2" in html  # January: one of Team 1's two in time
    assert '<span class="tag tag-red">Red</span>' in html  # 50% is below the minimum of 60%
    assert "Workers in Assessment Team 1" in html and "Ann Worker" in html
    assert "Bo Worker" not in html  # Team 2's worker


def test_the_surgery_json_twin_has_each_months_figure_and_rating(client, tara_team_manager, target):
    client.force_login(tara_team_manager)
    data = client.get(reverse("performance:team_json") + f"?team={TEAM_1}").json()
    assert data["teams"] == ["Assessment Team 1", "Assessment Team 2"]
    ind = {i["id"]: i for g in data["surgery"]["groups"] for i in g["indicators"]}["assessments_45wd_pct"]
    jan = ind["months"][-1]
    assert jan == {"month": "2020-01", "value": 50.0, "numerator": 1, "denominator": 2, "rag": "red"}
    assert data["surgery"]["workers"] == ["Ann Worker"]


def test_a_worker_page_shows_every_measure_for_that_worker(client, tara_team_manager, target):
    client.force_login(tara_team_manager)
    html = client.get(reverse("performance:team") + f"?team={TEAM_1}&worker=Ann Worker").content.decode()
    assert "Ann Worker (Assessment Team 1)" in html and "50.0%" in html


def test_bob_sees_team_figures_but_gets_403_for_a_worker_breakdown(client, bob_board_member, target):
    client.force_login(bob_board_member)
    html = client.get(reverse("performance:team") + f"?team={TEAM_1}").content.decode()
    assert "Assessments completed within 45 working days (%)" in html
    assert "Ann Worker" not in html and "Workers in" not in html
    assert "/rows/" not in html
    assert client.get(reverse("performance:team") + f"?team={TEAM_1}&worker=Ann Worker").status_code == 403
    assert client.get(reverse("performance:team_json") + f"?team={TEAM_1}&worker=Ann Worker").status_code == 403


def test_the_team_list_links_to_each_team_and_an_unknown_team_is_not_found(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    html = client.get(reverse("performance:team")).content.decode()
    assert "team=Assessment%20Team%202" in html
    assert client.get(reverse("performance:team") + "?team=Nobody").status_code == 404


def test_the_rows_not_meeting_the_measure_come_first_and_the_view_is_logged(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + "?month=2020-01"
    html = client.get(url).content.decode()
    assert "1 row does not meet the measure" in html
    # CHILD-A2 (46 working days) is listed before the two assessments completed in time
    assert html.index("CHILD-A2") < html.index("CHILD-A1") < html.index("CHILD-A3")
    assert "Meets the measure" in html and '<strong class="tag tag-red">No</strong>' in html
    log = ChildDataAccess.objects.get()
    assert log.user == tara_team_manager and log.rows_shown == 3
    assert "assessments_45wd_pct 2020-01 denominator" in log.what


def test_the_rows_filter_by_team_and_worker_and_each_view_is_logged(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + "?month=2020-01"
    html = client.get(url + "&team=Assessment%20Team%202").content.decode()
    assert "CHILD-A3" in html and "CHILD-A1" not in html
    assert '<option value="Assessment Team 2" selected>' in html
    html = client.get(url + f"&team={TEAM_1}&worker=Ann%20Worker").content.decode()
    assert '<option value="Ann Worker" selected>' in html and "Bo Worker" not in html
    assert ChildDataAccess.objects.count() == 2
    assert "team Assessment Team 1 worker Ann Worker" in ChildDataAccess.objects.order_by("pk").last().what


def test_the_rows_download_carries_the_mark_with_the_misses_first(client, tara_team_manager, run):
    client.force_login(tara_team_manager)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + "?month=2020-01&format=csv"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert rows[0][-1] == "meets_measure"
    assert [(r[1], r[-1]) for r in rows[1:]] == [("CHILD-A2", "No"), ("CHILD-A1", "Yes"), ("CHILD-A3", "Yes")]
    assert ChildDataAccess.objects.get().what.endswith("(csv)")


def test_a_board_member_is_refused_the_rows_with_any_filter_and_nothing_is_logged(client, bob_board_member, run):
    client.force_login(bob_board_member)
    url = reverse("performance:indicator_rows", args=["assessments_45wd_pct"]) + f"?month=2020-01&team={TEAM_1}"
    assert client.get(url).status_code == 403
    assert ChildDataAccess.objects.count() == 0
