"""Loading a dataset fills the scorecard without a separate step."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.datasets.services import load_dataset
from oversight.engine.synth import generate_annex_a
from oversight.performance.models import IndicatorRun

pytestmark = pytest.mark.django_db


def test_a_newly_loaded_dataset_is_computed_once_and_a_reload_is_not_recomputed(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    workbook = tmp_path / "annex-a.xlsx"
    generate_annex_a(workbook, dt.date(2020, 1, 31), seed=4, scale=0.1)
    dataset = load_dataset(workbook, dt.date(2020, 1, 31))
    run = IndicatorRun.objects.get(dataset=dataset)
    assert run.values.filter(indicator="referrals", breakdown="overall").count() == 6
    again = load_dataset(workbook, dt.date(2020, 1, 31))
    assert again.already_existed
    assert IndicatorRun.objects.count() == 1
