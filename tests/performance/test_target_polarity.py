"""Targets are checked against the measure's polarity and unit; a refused target never replaces one in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.performance import services
from oversight.performance.imports import CsvImportError, import_targets
from oversight.performance.local import store_value
from oversight.performance.models import Target
from oversight.plans.periods import Period

HIGHER_PERCENT = services.configured_catalogue()["assessments_45wd_pct"]
LOWER_PERCENT = services.configured_catalogue()["cla_3plus_placements_pct"]


def test_a_minimum_of_120_with_an_upper_of_50_is_refused_for_a_higher_is_better_percentage():
    problems = services.target_problems(HIGHER_PERCENT, 120, 50)
    assert "the minimum (120.0%) is not a percentage: it must lie between 0% and 100%" in problems
    assert ("the minimum (120.0%) must not exceed the upper figure (50.0%): higher is better for this measure: "
            "at or above the upper figure is green, below the minimum red") in problems


def test_a_band_the_wrong_way_round_is_refused_for_a_lower_is_better_measure_too():
    [problem] = services.target_problems(LOWER_PERCENT, 14, 10)
    assert problem.startswith("the minimum (14.0%) must not exceed the upper figure (10.0%): lower is better")


def test_a_sound_band_and_a_single_figure_are_accepted():
    assert services.target_problems(HIGHER_PERCENT, 80, 90) == []
    assert services.target_problems(LOWER_PERCENT, 10, 12.4) == []
    assert services.target_problems(HIGHER_PERCENT, None, 100) == []
    assert services.target_problems(services.configured_catalogue()["contacts"], -1, None) == [
        "the minimum (-1) cannot be negative"]


@pytest.mark.django_db
def test_the_issues_worked_example_a_95_percent_result_stays_green(client, priya_programme_manager, rhi):
    store_value(rhi, dt.date(2020, 1, 1), 19, 20, None)  # 95.0%
    Target.objects.create(indicator="local-rhi-72h", minimum=80, upper=90)
    client.force_login(priya_programme_manager)
    resp = client.post(reverse("performance:target_add", args=["local-rhi-72h"]),
                       {"minimum": "120", "upper": "50"}, follow=True)
    html = resp.content.decode()
    assert "Target not set" in html and "must not exceed the upper figure" in html
    assert "The target in force is unchanged." in html
    target = Target.objects.get(indicator="local-rhi-72h")
    assert (target.minimum, target.upper) == (80, 90)
    [group] = services.programme_scorecard(rhi.programme, Period(dt.date(2020, 1, 31)))
    assert group.rows[0].rag == "green"


@pytest.mark.django_db
def test_a_refused_dated_target_does_not_replace_the_one_for_that_date(client, priya_programme_manager, run):
    Target.objects.create(indicator="assessments_45wd_pct", minimum=60, upper=80, due=dt.date(2020, 3, 31))
    client.force_login(priya_programme_manager)
    client.post(reverse("performance:target_add", args=["assessments_45wd_pct"]),
                {"minimum": "120", "upper": "50", "due": "2020-03-31"})
    assert list(Target.objects.values_list("minimum", "upper")) == [(60, 80)]


@pytest.mark.django_db
def test_a_targets_csv_with_one_refused_band_writes_nothing(tmp_path, db):
    Target.objects.create(indicator="assessments_45wd_pct", minimum=60, upper=80)
    path = tmp_path / "targets.csv"
    path.write_text("indicator,minimum,upper\nicpc_15wd_pct,75,85\nassessments_45wd_pct,120,50\n")
    with pytest.raises(CsvImportError, match=r"row 3: the minimum \(120.0%\) is not a percentage"):
        import_targets(path)
    assert list(Target.objects.values_list("indicator", "minimum", "upper")) == [("assessments_45wd_pct", 60, 80)]


@pytest.mark.django_db
def test_a_targets_csv_may_set_a_local_measures_target(tmp_path, rhi):
    path = tmp_path / "targets.csv"
    path.write_text("indicator,minimum,upper\nlocal-rhi-72h,80,90\n")
    assert str(import_targets(path)).startswith("1 added")


@pytest.mark.django_db
def test_the_admin_refuses_the_same_band_as_the_app(db):
    target = Target(indicator="assessments_45wd_pct", minimum=120, upper=50)
    with pytest.raises(ValidationError, match="must not exceed the upper figure"):
        target.full_clean()
    with pytest.raises(ValidationError, match="No indicator or local measure"):
        Target(indicator="nonsense", minimum=1).full_clean()
