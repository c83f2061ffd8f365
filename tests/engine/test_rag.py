"""RAG against a target's minimum and upper tolerance, dated targets, and direction of travel."""

from __future__ import annotations

from oversight.engine.indicators.rag import TargetBand, direction_of_travel, rag, target_for
from oversight.engine.indicators.testing import d


def test_higher_is_better_green_at_or_above_upper_amber_in_the_band_red_below_minimum():
    assert rag(90.0, 80, 90, "high") == "green"
    assert rag(85.0, 80, 90, "high") == "amber"
    assert rag(80.0, 80, 90, "high") == "amber"
    assert rag(79.9, 80, 90, "high") == "red"


def test_lower_is_better_green_at_or_below_minimum_red_above_upper():
    assert rag(10.0, 10, 12.4, "low") == "green"
    assert rag(12.4, 10, 12.4, "low") == "amber"
    assert rag(15.8, 10, 12.4, "low") == "red"


def test_a_single_figure_target_has_no_amber():
    assert rag(70.0, 70, None, "high") == "green"
    assert rag(69.9, 70, None, "high") == "red"


def test_no_value_no_target_or_no_polarity_is_not_rated():
    assert rag(None, 80, 90, "high") == "none"
    assert rag(50, None, None, "high") == "none"
    assert rag(50, 80, 90, "none") == "none"


def test_the_target_in_force_is_the_next_dated_milestone():
    dec = TargetBand(60, 70, d("2012-12-31"), "By Dec 2012")
    jul = TargetBand(70, 80, d("2013-07-31"), "By Jul 2013")
    assert target_for(d("2012-06-30"), [jul, dec]) is dec
    assert target_for(d("2013-01-31"), [jul, dec]) is jul
    assert target_for(d("2014-01-31"), [jul, dec]) is jul  # all passed: the last one still applies
    standing = TargetBand(50, 60)
    assert target_for(d("2014-01-31"), [dec, standing]) is standing
    assert target_for(d("2014-01-31"), []) is None


def test_direction_of_travel_reads_up_as_improving_only_when_higher_is_better():
    assert direction_of_travel([15.8, 16.0], "low").judgement == "worsening"
    up = direction_of_travel([70, None, 75], "high")
    assert (up.arrow, up.judgement, up.symbol) == ("up", "improving", "↑")
    assert direction_of_travel([5, 5], "high").judgement == "no change"
    assert direction_of_travel([5, 6], "none").text == "Up"
    assert direction_of_travel([5], "high").arrow == ""
