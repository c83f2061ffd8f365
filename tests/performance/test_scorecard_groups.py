"""The scorecard the programme's way: its own groups and order, the Annex A grouping by default."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from oversight.performance import services
from oversight.performance.models import ScorecardEntry, ScorecardGroup
from oversight.plans.periods import Period

JAN_2020 = Period(dt.date(2020, 1, 31), is_current=True)


def _group(programme, title, order, ids, theme=None):
    g = ScorecardGroup.objects.create(programme=programme, title=title, order=order, theme=theme)
    for n, i in enumerate(ids, start=1):
        ScorecardEntry.objects.create(group=g, indicator=i, order=n)
    return g


def test_without_groups_the_scorecard_keeps_the_annex_a_grouping_then_local_measures(run, programme, lac_missing):
    groups = services.programme_scorecard(programme, JAN_2020)
    names = [g.name for g in groups]
    assert names[:2] == ["Front door", "Assessment"]
    assert names[-1] == "Local measures"
    assert [r.indicator.id for r in groups[-1].rows] == ["local-lac-missing"]


def test_the_programmes_groups_come_in_its_order_with_measures_in_its_order(run, programme, lac_missing):
    theme = programme.themes.get(order=1)
    _group(programme, "Services for children at risk of … missing, CSE", 2, ["local-lac-missing", "cla_missing_pct"],
           theme)
    _group(programme, "Placement Stability", 1, ["cla_3plus_placements_pct", "cla_long_term_stability_pct",
                                                 "cla_placed_out_pct"], theme)
    _group(programme, "Management oversight and supervision", 3, [])
    groups = services.programme_scorecard(programme, JAN_2020)
    assert [g.name for g in groups] == ["Placement Stability", "Services for children at risk of … missing, CSE",
                                        "Management oversight and supervision"]
    assert [r.indicator.id for r in groups[0].rows] == ["cla_3plus_placements_pct", "cla_long_term_stability_pct",
                                                        "cla_placed_out_pct"]
    assert [r.indicator.id for r in groups[1].rows] == ["local-lac-missing", "cla_missing_pct"]
    assert groups[0].theme_title == "Leadership, management and governance"
    assert groups[2].rows == []  # an empty group is still shown, so the manager sees where to add


def test_a_measure_no_longer_defined_is_left_out_rather_than_breaking_the_page(programme, lac_missing):
    _group(programme, "Missing", 1, ["local-gone", "local-lac-missing", "not_a_catalogue_id"])
    [group] = services.programme_scorecard(programme, JAN_2020)
    assert [r.indicator.id for r in group.rows] == ["local-lac-missing"]


def test_the_scorecard_shows_months_ending_at_the_chosen_period(run, programme, lac_missing):
    groups = services.programme_scorecard(programme, Period(dt.date(2019, 11, 30)))
    row = next(r for g in groups for r in g.rows if r.indicator.id == "local-lac-missing")
    assert row.months == ["2019-06", "2019-07", "2019-08", "2019-09", "2019-10", "2019-11"]
    assert row.current["value"] == 9.0


def test_the_scorecard_page_json_and_csv_follow_the_programmes_groups(client, bob_board_member, run, programme,
                                                                     lac_missing):
    _group(programme, "Placement Stability", 1, ["cla_3plus_placements_pct"])
    _group(programme, "Missing and exploitation", 2, ["local-lac-missing", "assessments_45wd_pct"])
    client.force_login(bob_board_member)
    html = client.get(reverse("performance:scorecard")).content.decode()
    assert html.index("Placement Stability") < html.index("Missing and exploitation")
    assert "Front door" not in html
    assert "January 2020" in html and "Aug 19" in html and "Jan 20" in html
    data = client.get(reverse("performance:scorecard_json")).json()
    assert data["period"]["as_at"] == "2020-01-31" and data["programme"] == "torbay"
    assert [t["name"] for t in data["themes"]] == ["Placement Stability", "Missing and exploitation"]
    assert [i["id"] for i in data["themes"][1]["indicators"]] == ["local-lac-missing", "assessments_45wd_pct"]
    text = client.get(reverse("performance:scorecard_download", kwargs={"fmt": "csv"})).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[1] for r in rows[1:]] == ["cla_3plus_placements_pct", "local-lac-missing", "assessments_45wd_pct"]


def test_the_scorecard_page_defaults_to_the_programmes_current_period_and_moves_with_the_picker(
        client, bob_board_member, run, programme, lac_missing):
    client.force_login(bob_board_member)
    data = client.get(reverse("performance:scorecard_json") + "?period=2019-12-31").json()
    assert data["months"][-1] == "2019-12"
    assert data["run"] is None  # the only data is as at January 2020: nothing computed for December
    html = client.get(reverse("performance:scorecard") + "?period=2019-12-31").content.decode()
    assert 'name="period"' in html and "December 2019" in html


def test_a_programme_manager_arranges_groups_on_the_page(client, priya_programme_manager, programme, lac_missing):
    client.force_login(priya_programme_manager)
    url = reverse("performance:scorecard_groups", args=["torbay"])
    theme = programme.themes.get(order=3)
    client.post(url, {"action": "add_group", "title": "Workforce Strategy", "theme": str(theme.pk)})
    client.post(url, {"action": "add_group", "title": "Placement Stability"})
    workforce, placement = ScorecardGroup.objects.order_by("order")
    assert (workforce.title, workforce.theme, placement.order) == ("Workforce Strategy", theme, 2)
    client.post(url, {"action": "group_up", "group": placement.pk})
    assert list(programme.scorecard_groups.values_list("title", flat=True)) == ["Placement Stability",
                                                                                 "Workforce Strategy"]
    for iid in ("cla_placed_out_pct", "cla_3plus_placements_pct", "local-lac-missing"):
        client.post(url, {"action": "add_entry", "group": placement.pk, "indicator": iid})
    first = placement.entries.get(indicator="cla_3plus_placements_pct")
    client.post(url, {"action": "entry_up", "group": placement.pk, "entry": first.pk})
    assert list(placement.entries.values_list("indicator", flat=True)) == [
        "cla_3plus_placements_pct", "cla_placed_out_pct", "local-lac-missing"]
    client.post(url, {"action": "remove_entry", "group": placement.pk,
                      "entry": placement.entries.get(indicator="local-lac-missing").pk})
    assert placement.entries.count() == 2
    resp = client.post(url, {"action": "add_entry", "group": placement.pk, "indicator": "made_up"}, follow=True)
    assert "Choose a measure from the list." in resp.content.decode()
    page = client.get(url).content.decode()
    assert "Number of LAC who went missing from care during the year (local)" in page


def test_starting_from_the_annex_a_grouping_copies_it_into_the_programmes_groups(client, priya_programme_manager,
                                                                                programme, lac_missing):
    client.force_login(priya_programme_manager)
    client.post(reverse("performance:scorecard_groups", args=["torbay"]), {"action": "start_default"})
    titles = list(programme.scorecard_groups.values_list("title", flat=True))
    assert titles[0] == "Front door" and titles[-1] == "Local measures"


def test_a_board_member_cannot_arrange_the_scorecard(client, bob_board_member, programme):
    client.force_login(bob_board_member)
    url = reverse("performance:scorecard_groups", args=["torbay"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "add_group", "title": "Mine"}).status_code == 403
    assert not ScorecardGroup.objects.exists()


@pytest.mark.django_db
def test_groups_of_another_programme_cannot_be_changed_from_this_one(client, priya_programme_manager, programme):
    from oversight.plans.models import Programme

    other = Programme.objects.create(slug="other", name="Other")
    theirs = ScorecardGroup.objects.create(programme=other, title="Theirs", order=1)
    client.force_login(priya_programme_manager)
    client.post(reverse("performance:scorecard_groups", args=["torbay"]), {"action": "delete_group",
                                                                           "group": theirs.pk})
    assert ScorecardGroup.objects.filter(pk=theirs.pk).exists()


def test_rows_can_be_had_for_any_measures_grouped_or_not(run, programme, lac_missing):
    _group(programme, "Missing", 1, ["local-lac-missing"])
    rows = services.rows_for(programme, JAN_2020, ["assessments_45wd_pct", "local-lac-missing", "nonsense"])
    assert set(rows) == {"assessments_45wd_pct", "local-lac-missing"}
    assert rows["assessments_45wd_pct"].current["value"] == 66.7
    assert rows["local-lac-missing"].values[:5] == [7.0, 5.0, 5.0, 9.0, 15.0]
