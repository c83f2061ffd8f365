"""No child-level value where it does not belong: the upload log, the report's "Expected" column
for people without the child-level permission, and browser caches."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight.accounts.models import ChildDataAccess
from oversight.datasets.models import Dataset, Upload
from oversight.datasets.services import load_dataset
from oversight.engine.annex_a import AnnexARefused
from oversight.engine.annex_a.testing import AS_AT, default_lists, write_workbook

pytestmark = pytest.mark.django_db

# C1 was born on 01/05/2015; a referral dated 02/01/2014 is more than 300 days before that.
BIRTH = "01/05/2015"


@pytest.fixture
def before_birth(tmp_path, priya_programme_manager) -> Dataset:
    lists = default_lists()
    lists[3][0]["referral_date"] = date(2014, 1, 2)
    path = write_workbook(tmp_path / "before-birth.xlsx", lists)
    return load_dataset(path, AS_AT, user=priya_programme_manager, via="web")


def test_a_strict_refusal_logs_where_and_which_rule_but_not_the_date_of_birth(tmp_path, priya_programme_manager):
    lists = default_lists()
    lists[4][0]["date_of_birth"] = date(2024, 3, 14)  # after the as-at date: an error in strict mode
    path = write_workbook(tmp_path / "strict.xlsx", lists)
    with pytest.raises(AnnexARefused) as refused:
        load_dataset(path, AS_AT, user=priya_programme_manager, strict=True, via="web")
    message = Upload.objects.get(outcome="refused").message
    assert message == str(refused.value)[:500]
    assert "sheet 'List 4', row 2, column 'Date of Birth'" in message and "rule date-future" in message
    assert "14/03/2024" not in message and "2024-03-14" not in message
    assert BIRTH not in message  # nor another cell's date of birth
    assert not Dataset.objects.exists()


def test_a_board_member_sees_the_rule_not_the_childs_date_of_birth_in_the_expected_column(
        client, bob_board_member, before_birth):
    client.force_login(bob_board_member)
    page = client.get(reverse("datasets:report", args=[before_birth.dataset_id])).content.decode()
    assert "date-before-birth" in page
    assert "a date on or after the child&#x27;s date of birth" in page
    assert BIRTH not in page and "02/01/2014" not in page
    assert not ChildDataAccess.objects.exists()


def test_a_board_members_download_of_the_report_holds_no_other_cells_dates_either(client, bob_board_member,
                                                                                   before_birth):
    client.force_login(bob_board_member)
    response = client.get(reverse("datasets:report_xlsx", args=[before_birth.dataset_id]))
    rows = list(load_workbook(BytesIO(response.content))["Problems"].iter_rows(values_only=True))
    (problem,) = [r for r in rows[1:] if r[7] == "date-before-birth"]
    assert problem[5] == "(hidden)" and BIRTH not in problem[6]
    assert not any(BIRTH in str(v) for r in rows for v in r)


def test_a_team_manager_sees_the_date_expected_and_the_view_is_logged(client, amira_team_manager, before_birth):
    client.force_login(amira_team_manager)
    page = client.get(reverse("datasets:report", args=[before_birth.dataset_id])).content.decode()
    assert f"a date on or after the date of birth {BIRTH}" in page and "02/01/2014" in page
    assert ChildDataAccess.objects.filter(user=amira_team_manager).count() == 1


def test_pages_and_downloads_with_child_level_data_are_never_cached(client, amira_team_manager, before_birth):
    client.force_login(amira_team_manager)
    for url in [reverse("datasets:report", args=[before_birth.dataset_id]),
                reverse("datasets:report_xlsx", args=[before_birth.dataset_id]),
                reverse("datasets:rows", args=[before_birth.dataset_id, "referrals"])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
