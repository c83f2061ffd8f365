"""XmR limits and the four special-cause rules, with signals read through polarity."""

from __future__ import annotations

import pytest

from oversight.engine.indicators.spc import xmr


def test_limits_are_the_mean_plus_and_minus_2_66_times_the_mean_moving_range():
    r = xmr([10, 12, 10, 12, 10, 12])
    # mean 11; moving ranges all 2 -> mean MR 2; limits 11 ± 5.32
    assert r.mean == pytest.approx(11)
    assert r.ucl == pytest.approx(16.32)
    assert r.lcl == pytest.approx(5.68)
    assert r.variation == "common_cause"


def test_a_point_beyond_the_upper_limit_is_special_cause_improving_when_higher_is_better():
    r = xmr([50, 52, 50, 52, 50, 52, 50, 90], polarity="high")
    assert r.points[-1].rules == ["beyond_limit"] and r.points[-1].side == "high"
    assert r.variation == "special_cause_improving"
    assert xmr([50, 52, 50, 52, 50, 52, 50, 90], polarity="low").variation == "special_cause_concerning"
    assert xmr([50, 52, 50, 52, 50, 52, 50, 90], polarity="none").variation == "special_cause_neither"


def test_seven_points_on_one_side_of_the_mean_is_a_shift():
    r = xmr([10, 10, 10, 10, 10, 10, 10, 30], polarity="low")
    assert all("shift" in p.rules and p.side == "low" for p in r.points[:7])
    assert r.points[-1].rules == ["beyond_limit"]


def test_six_points_on_one_side_is_not_yet_a_shift():
    r = xmr([10, 10, 10, 10, 10, 10, 30])
    assert not any("shift" in p.rules for p in r.points)


def test_seven_points_each_higher_than_the_last_is_a_trend():
    r = xmr([1, 2, 3, 4, 5, 6, 7, 3], polarity="high", target=2)
    assert [("trend" in p.rules) for p in r.points] == [True] * 7 + [False]
    assert r.variation == "common_cause"  # the latest point is not part of it


def test_a_level_step_breaks_a_trend():
    r = xmr([1, 2, 3, 3, 4, 5, 6, 7])
    assert not any("trend" in p.rules for p in r.points)


def test_two_of_three_points_beyond_two_sigma_on_the_same_side_is_special_cause():
    # 12 points alternating 10/14, then 22, 22: mean 188/14 = 13.43; mean MR 52/13 = 4;
    # sigma 4/1.128 = 3.55; 2 sigma above the mean = 20.52; UCL = 24.07: 22 is between.
    values = [10, 14] * 6 + [22, 22]
    r = xmr(values, polarity="high")
    assert r.mean + 2 * r.sigma < 22 < r.ucl
    assert r.points[-1].rules == ["two_of_three"] and r.points[-2].rules == ["two_of_three"]
    assert not any(p.rules for p in r.points[:-2])
    assert r.variation == "special_cause_improving"


def test_assurance_compares_the_process_limits_with_the_target():
    steady = [80, 82, 80, 82, 80, 82]  # limits 75.68 .. 86.32
    assert xmr(steady, "high", target=70).assurance == "consistently_pass"
    assert xmr(steady, "high", target=90).assurance == "consistently_fail"
    assert xmr(steady, "high", target=81).assurance == "hit_and_miss"
    assert xmr(steady, "low", target=90).assurance == "consistently_pass"
    assert xmr(steady, "none", target=90).assurance is None


def test_blank_months_are_skipped_and_too_few_points_give_no_limits():
    r = xmr([10, None, 12, 10, None, 12])
    assert r.mean == pytest.approx(11) and r.points[1].value is None
    assert xmr([10, None, 12]).variation == "insufficient_data"
