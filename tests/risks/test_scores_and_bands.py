"""A risk's score is probability × impact, never typed, and its band follows the programme's bands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from oversight.plans.models import Programme
from oversight.risks import services
from oversight.risks.models import Risk, RiskBands, bands_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    return Programme.objects.create(slug="p", name="Programme")


def _risk(programme, ref="1", probability=4, impact=5, **kw) -> Risk:
    return Risk.objects.create(programme=programme, ref=ref, description="If … then …", probability=probability,
                               impact=impact, **kw)


def test_a_risk_scored_4_by_5_scores_20(programme):
    assert _risk(programme).score == 20


def test_a_typed_score_is_ignored_and_recomputed_on_save(programme):
    risk = _risk(programme, probability=3, impact=4)
    risk.score = 25
    risk.save()
    risk.refresh_from_db()
    assert risk.score == 12


def test_the_database_refuses_a_score_that_is_not_probability_times_impact(programme):
    risk = _risk(programme, probability=3, impact=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(score=13)


def test_the_database_refuses_a_probability_of_7(programme):
    with pytest.raises(IntegrityError), transaction.atomic():
        _risk(programme, probability=7, impact=1)


def test_default_bands_are_15_and_over_red_8_to_14_amber_1_to_7_green(programme):
    bands = bands_for(programme)
    assert bands.pk is None  # nothing saved: the seed's defaults
    assert [bands.band(s) for s in (25, 15, 14, 8, 7, 1)] == ["red", "red", "amber", "amber", "green", "green"]
    assert bands.ranges() == [("red", "15–25"), ("amber", "8–14"), ("green", "1–7")]


def test_a_programme_can_draw_its_own_bands(programme):
    services.save_bands(programme, red_from=20, amber_from=10)
    bands = bands_for(Programme.objects.get(pk=programme.pk))
    assert bands.band(16) == "amber"
    assert bands.band(20) == "red"
    assert bands.band(9) == "green"


def test_bands_with_amber_above_red_are_refused(programme):
    with pytest.raises(ValueError):
        services.save_bands(programme, red_from=8, amber_from=15)
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskBands.objects.create(programme=programme, red_from=8, amber_from=15)


def test_the_target_score_is_target_probability_times_target_impact(programme):
    risk = _risk(programme, target_probability=2, target_impact=3)
    assert risk.target_score == 6
    assert _risk(programme, ref="2").target_score is None


def test_a_date_raised_as_a_month_is_read_as_the_first_of_that_month():
    assert services.raised_date("January 2020") == dt.date(2020, 1, 1)
    assert services.raised_date("27 January 2020") == dt.date(2020, 1, 27)
    assert services.raised_date("Ongoing") is None
