"""Every dataset carries its council: the install's OVERSIGHT_COUNCIL, checked at start-up."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from oversight.datasets.services import load_dataset
from oversight.engine.annex_a.testing import AS_AT

pytestmark = pytest.mark.django_db


def test_a_dataset_loaded_by_camdens_install_is_stamped_camden_202_and_says_so_in_its_json(
        settings, client, workbook, priya_programme_manager):
    settings.OVERSIGHT_COUNCIL = "Camden"
    ds = load_dataset(workbook, AS_AT, user=priya_programme_manager)
    assert (ds.la_code, ds.la_name) == ("202", "Camden")
    client.force_login(priya_programme_manager)
    data = client.get(reverse("datasets:detail_json", args=[ds.dataset_id])).json()
    assert data["council"] == {"la_code": "202", "name": "Camden"}
    assert "Camden (202)" in client.get(reverse("datasets:detail", args=[ds.dataset_id])).content.decode()


def test_an_install_with_no_council_set_stores_none_and_the_json_says_null(settings, client, workbook,
                                                                           priya_programme_manager):
    settings.OVERSIGHT_COUNCIL = ""
    ds = load_dataset(workbook, AS_AT, user=priya_programme_manager)
    assert ds.la_code == ""
    client.force_login(priya_programme_manager)
    assert client.get(reverse("datasets:detail_json", args=[ds.dataset_id])).json()["council"] is None


def test_a_misspelt_council_fails_the_start_up_check_naming_the_setting(settings):
    settings.OVERSIGHT_COUNCIL = "Camdon"
    errors = [e for e in run_checks() if e.id == "oversight.E020"]
    assert len(errors) == 1 and "OVERSIGHT_COUNCIL is 'Camdon'" in errors[0].msg
    settings.OVERSIGHT_COUNCIL = "E09000007"  # Camden's ONS code is accepted too
    assert not [e for e in run_checks() if e.id == "oversight.E020"]
