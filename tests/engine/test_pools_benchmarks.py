"""Benchmarks from a pool: rank with ties taking the minimum, quartile band A–D by polarity."""

from __future__ import annotations

import pytest

from oversight.engine.pools.benchmarks import standings

EIGHT = {"Camden": 30.0, "Hackney": 20.0, "Islington": 20.0, "Lambeth": 10.0, "Lewisham": 7.0,
         "Southwark": 5.0, "Wandsworth": 1.0, "Westminster": 0.5}


def test_when_higher_is_better_the_highest_council_ranks_first_in_band_a():
    s = standings(EIGHT, "high")
    assert (s["Camden"].rank, s["Camden"].band) == (1, "A")
    assert (s["Westminster"].rank, s["Westminster"].band) == (8, "D")


def test_tied_councils_share_the_minimum_rank_and_the_next_rank_is_skipped():
    s = standings(EIGHT, "high")
    assert s["Hackney"].rank == s["Islington"].rank == 2
    assert s["Lambeth"].rank == 4
    # LAIT bands by the values' quartiles: the 75th percentile of the eight is 20 itself, and a
    # value equal to a quartile falls in the band below it, so both 20s are B, together.
    assert s["Hackney"].band == s["Islington"].band == "B"


def test_when_lower_is_better_the_order_and_the_bands_turn_round():
    s = standings(EIGHT, "low")
    assert (s["Westminster"].rank, s["Westminster"].band) == (1, "A")
    assert (s["Camden"].rank, s["Camden"].band) == (8, "D")
    assert [s[k].band for k in ("Wandsworth", "Southwark", "Lewisham", "Lambeth")] == ["A", "B", "B", "C"]


def test_an_indicator_without_polarity_is_ranked_for_reference_but_not_banded():
    s = standings(EIGHT, "none")
    assert s["Camden"].rank == 1 and all(x.band is None for x in s.values())


def test_a_council_without_a_value_is_neither_ranked_nor_counted():
    s = standings({**EIGHT, "Haringey": None}, "high")
    assert s["Haringey"].rank is None and s["Haringey"].band is None
    assert s["Camden"].of == 8


def test_an_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polarity"):
        standings(EIGHT, "up")


def test_the_bands_follow_the_quartiles_of_the_values_as_r_computes_them():
    # sorted 0.5 1 5 7 10 20 20 30: 25 % = 1 + 0.75 × (5 − 1) = 4, median = (7 + 10) / 2 = 8.5, 75 % = 20
    from oversight.engine.pools.benchmarks import quartiles

    assert quartiles(list(EIGHT.values())) == (0.5, 4.0, 8.5, 20.0, 30.0)


def test_the_best_of_three_councils_is_in_band_a_whichever_way_is_better():
    assert standings({"A": 1.0, "B": 2.0, "C": 3.0}, "low")["A"].band == "A"
    assert standings({"A": 1.0, "B": 2.0, "C": 3.0}, "high")["C"].band == "A"
