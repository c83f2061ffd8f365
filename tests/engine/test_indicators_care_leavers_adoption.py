"""Lists 9 and 10 (care leavers, adoption): hand-worked examples at R = Fri 31 Jan 2020."""

from __future__ import annotations

from oversight.engine.indicators.testing import d, point, run

R = "2020-01-31"

LEAVERS = [
    {"in_touch": "Yes", "accommodation_suitable": "Suitable", "activity": "F1"},
    {"in_touch": "a) Yes", "accommodation_suitable": "a) Suitable", "activity": "P5"},
    {"in_touch": "No", "accommodation_suitable": None, "activity": None},
    {"in_touch": "c) Died", "accommodation_suitable": "Suitable", "activity": "F2"},
    {"in_touch": "f) Rhom", "accommodation_suitable": "Suitable", "activity": "F2"},
    {"in_touch": "d) Refu", "accommodation_suitable": "Unsuitable", "activity": "G4"},
    {"in_touch": "NREQ", "accommodation_suitable": "Suitable", "activity": "f) F3"},
]


def test_care_leavers_in_touch_leaves_out_those_who_died_or_returned_home(tmp_path):
    got = run(tmp_path, {"care_leavers": LEAVERS}, R)["care_leavers_in_touch_pct"]
    # d: Yes, Yes, No, Refu, NREQ = 5; n: the two Yes.
    assert got["series"] == [{"month": "2020-01", "numerator": 2, "denominator": 5, "value": 40.0}]


def test_care_leavers_in_suitable_accommodation_share_the_in_touch_denominator(tmp_path):
    got = run(tmp_path, {"care_leavers": LEAVERS}, R)["care_leavers_suitable_accommodation_pct"]
    assert point(got, "2020-01") == (3, 5, 60.0)


def test_care_leavers_in_education_employment_or_training_use_the_f_and_p_codes(tmp_path):
    got = run(tmp_path, {"care_leavers": LEAVERS}, R)["care_leavers_eet_pct"]
    assert point(got, "2020-01") == (3, 5, 60.0)  # F1, P5, F3; not G4 or blank


ADOPTED = [
    # Adopted 31 Jan 2020: 181 days care -> placed; 61 days placement order -> match.
    {"adoption_order": d("2020-01-31"), "entered_care": d("2019-01-01"), "placed_for_adoption": d("2019-07-01"),
     "placement_order": d("2019-03-01"), "matched": d("2019-05-01")},
    # Adopted 1 Feb 2019 (inside 12 months): 151 days; matched before the placement order: 0.
    {"adoption_order": d("2019-02-01"), "entered_care": d("2018-01-01"), "placed_for_adoption": d("2018-06-01"),
     "placement_order": d("2018-03-01"), "matched": d("2018-02-01")},
    # Adopted exactly 12 months before R: outside (R - 12 months, R].
    {"adoption_order": d("2019-01-31"), "entered_care": d("2017-01-01"), "placed_for_adoption": d("2018-01-01"),
     "placement_order": d("2017-06-01"), "matched": d("2017-12-01")},
    # Adopted but no placed-for-adoption date; and a child not yet adopted.
    {"adoption_order": d("2019-06-01"), "entered_care": d("2018-01-01")},
    {"entered_care": d("2019-01-01"), "placed_for_adoption": d("2019-12-01")},
    # In the A1 cohort (150 days) but with no placement order: not in A2.
    {"adoption_order": d("2019-12-01"), "entered_care": d("2019-01-01"), "placed_for_adoption": d("2019-05-31")},
]


def test_a1_is_the_mean_days_from_entering_care_to_placement_for_children_adopted_in_12_months(tmp_path):
    got = run(tmp_path, {"adoption": ADOPTED}, R)["adoption_a1_days"]
    assert got["series"] == [{"month": "2020-01", "numerator": 181 + 151 + 150, "denominator": 3, "value": 160.7}]
    assert got["unit"] == "days"


def test_a2_counts_a_match_before_the_placement_order_as_zero_days(tmp_path):
    got = run(tmp_path, {"adoption": ADOPTED}, R)["adoption_a2_days"]
    assert point(got, "2020-01") == (61, 2, 30.5)


def test_a1_counts_a_child_placed_with_the_adopters_before_entering_care_as_zero_days_never_negative(tmp_path):
    # Foster-to-adopt: living with the adopters (1 March 2019) before entering care (1 April 2019).
    early = {"adoption_order": d("2019-12-01"), "entered_care": d("2019-04-01"),
             "placed_for_adoption": d("2019-03-01")}
    got = run(tmp_path, {"adoption": [ADOPTED[0], early]}, R)["adoption_a1_days"]
    assert point(got, "2020-01") == (181, 2, 90.5)
