"""Data quality people can act on: each team manager's worklist, and counts per team and rule for the programme."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight.accounts.models import ChildDataAccess
from oversight.datasets.models import WorklistTeam
from oversight.datasets.services import load_dataset
from oversight.engine.annex_a.testing import AS_AT, default_lists, write_workbook

pytestmark = pytest.mark.django_db
CARE = "Children in Care"


def _lists(postcode: str = "nope", cin_seen=date(2024, 1, 10)):
    """C2 is held by Children in Care with a bad postcode and a child ID typed like a formula ("-C2", which
    a worklist must write as text); C1's CIN last-seen date is in the future, held by Duty and Assessment."""
    lists = default_lists()
    lists[8][0].update(child_id="-C2", allocated_team=CARE, allocated_worker="Cat Worker",
                       placement_postcode=postcode)
    lists[6][0]["last_seen"] = cin_seen
    return lists


@pytest.fixture
def dataset(tmp_path, priya_programme_manager):
    path = write_workbook(tmp_path / "jan.xlsx", _lists(cin_seen=date(2024, 3, 1)))
    return load_dataset(path, AS_AT, user=priya_programme_manager)


@pytest.fixture
def tara(tara_team_manager):
    WorklistTeam.objects.create(user=tara_team_manager, team=CARE)
    return tara_team_manager


def test_a_team_manager_reads_the_records_of_their_own_team_to_correct_and_the_view_is_logged(
        client, dataset, tara):
    client.force_login(tara)
    response = client.get(reverse("datasets:worklist", args=[dataset.dataset_id]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Records to correct: Children in Care" in page
    assert "-C2" in page and "Placement postcode" in page and "nope" in page and "a UK postcode" in page
    assert "Duty and Assessment" not in page  # C1's problem belongs to another team
    access = ChildDataAccess.objects.get()
    assert access.user == tara and "worklist" in access.what and CARE in access.what and access.rows_shown == 2


def test_the_worklist_downloads_as_xlsx_and_csv_with_child_id_list_field_found_and_expected(client, dataset, tara):
    client.force_login(tara)
    xlsx = client.get(reverse("datasets:worklist_xlsx", args=[dataset.dataset_id]))
    assert "no-store" in xlsx["Cache-Control"] and xlsx["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[2][:4] == ["Team", "Worker", "Child ID", "List"]
    by_rule = {r[9]: r for r in rows[3:]}
    team, worker, child, listed, _sheet, row, field, found, expected, rule, severity = by_rule["postcode-invalid"]
    assert (team, worker, child) == (CARE, "Cat Worker", "'-C2")  # text that could be a formula is quoted
    assert listed.startswith("List 8") and row == 2 and field == "Placement postcode" and found == "nope"
    assert "postcode" in expected and severity == "error"
    assert {r[2] for r in rows[3:]} == {"'-C2"} and len(rows) - 3 == 2
    text = client.get(reverse("datasets:worklist_csv", args=[dataset.dataset_id])).content.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text)))
    assert records[0][2] == "Child ID" and {r[2] for r in records[1:]} == {"'-C2"} and len(records) == 3
    assert ChildDataAccess.objects.count() == 2  # each download logged


def test_a_team_manager_may_not_read_another_teams_worklist(client, dataset, tara):
    client.force_login(tara)
    response = client.get(reverse("datasets:worklist", args=[dataset.dataset_id]) + "?team=Duty+and+Assessment")
    assert response.status_code == 403
    assert not ChildDataAccess.objects.exists()


def test_people_without_the_worklist_and_child_data_permissions_cannot_read_a_worklist(
        client, dataset, priya_programme_manager, bob_board_member, amira_team_manager):
    for user in (priya_programme_manager, bob_board_member, amira_team_manager):
        WorklistTeam.objects.create(user=user, team=CARE)
        client.force_login(user)
        for name in ("datasets:worklist", "datasets:worklist_csv", "datasets:worklist_xlsx"):
            assert client.get(reverse(name, args=[dataset.dataset_id])).status_code == 403
    assert not ChildDataAccess.objects.exists()


def test_the_programme_view_shows_counts_per_team_and_rule_and_how_they_moved_between_uploads(
        client, tmp_path, dataset, bob_board_member, priya_programme_manager):
    # February: Children in Care fixed the postcode; Duty and Assessment still has a date in the future
    later = load_dataset(write_workbook(tmp_path / "feb.xlsx", _lists(postcode="AB1 2CD", cin_seen=date(2024, 4, 1))),
                         date(2024, 2, 29), user=priya_programme_manager)
    client.force_login(bob_board_member)
    doc = client.get(reverse("datasets:teams_json", args=[later.dataset_id])).json()
    assert doc["previous"] == dataset.dataset_id
    by = {(r["team"], r["rule"]): r for r in doc["rows"]}
    postcode = by[(CARE, "postcode-invalid")]
    assert (postcode["count"], postcode["previous"], postcode["change_text"]) == (0, 1, "-1")
    assert [r["change_text"] for (team, rule), r in by.items() if team == CARE and rule != "postcode-invalid"] == [
        "no change"]
    duty = [r for (team, _rule), r in by.items() if team == "Duty and Assessment"]
    assert duty and all(r["change_text"] == "no change" for r in duty)
    page = client.get(reverse("datasets:teams", args=[later.dataset_id])).content.decode()
    assert "Problems per team and rule, against the previous upload" in page
    assert "-C2" not in page and "nope" not in page  # counts only: no child-level value
    assert not ChildDataAccess.objects.exists()


def test_the_team_counts_are_kept_with_the_dataset_and_name_no_child(dataset):
    assert dataset.team_quality[CARE]["postcode-invalid"] == 1 and sum(dataset.team_quality[CARE].values()) == 2
    assert "Duty and Assessment" in dataset.team_quality
    assert "C1" not in str(dataset.team_quality) and "-C2" not in str(dataset.team_quality)
