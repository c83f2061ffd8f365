"""List 8 (children in care): hand-worked examples at R = Fri 31 Jan 2020.

Every extract indicator's denominator is ``cla_open`` at R: distinct children looked after on
R, excluding V3/V4 short breaks.
"""

from __future__ import annotations

from oversight.engine.indicators.testing import d, point, run, values

R = "2020-01-31"


def _child(child, start, end=None, **kw):
    return {"child_id": child, "cla_start": d(start), "cla_end": d(end) if end else None,
            "legal_status": kw.pop("legal_status", "C2"), **kw}


def test_cla_started_and_ceased_count_children_by_the_month_of_the_date(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2020-01-06"),
        _child("B", "2019-08-01", "2020-01-20"),
        _child("C", "2019-05-01", "2019-09-30"),
    ]}, R)
    assert values(got["cla_started"]) == [1, 0, 0, 0, 0, 1]
    assert values(got["cla_ceased"]) == [0, 1, 0, 0, 0, 1]


def test_children_looked_after_exclude_short_breaks_and_count_a_child_ceasing_on_the_day_as_gone(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-01"),
        _child("B", "2019-01-01", legal_status="V3"),
        _child("C", "2019-01-01", "2019-10-31"),  # ceased 31 Oct: not looked after at that month end
        _child("D", "2019-01-01", legal_status="V4: Short term breaks, agreements recorded"),
        _child("E", "2019-01-01", legal_status=None),  # blank legal status: still looked after
    ]}, R)["cla_open"]
    assert values(got) == [3, 3, 2, 2, 2, 2]


def test_three_or_more_placements_is_a_share_of_children_looked_after_at_r(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-01", placements_last_12m=3),
        _child("B", "2019-01-01", placements_last_12m=2),
        _child("C", "2019-01-01", placements_last_12m=5),
        _child("D", "2019-01-01", "2020-01-10", placements_last_12m=4),  # ceased: not in d
    ]}, R)["cla_3plus_placements_pct"]
    assert got["series"] == [{"month": "2020-01", "numerator": 2, "denominator": 3, "value": 66.7}]


def test_long_term_stability_takes_under_16s_in_care_two_and_a_half_years(tmp_path):
    # R - 2y6m = 31 Jul 2017; R - 2y = 31 Jan 2018; under 16 at R = born after 31 Jan 2004.
    got = run(tmp_path, {"cla": [
        _child("A", "2017-07-31", date_of_birth=d("2010-01-01"), placement_start=d("2018-01-31"), placement_type="U4"),
        _child("B", "2017-07-31", date_of_birth=d("2010-01-01"), placement_start=d("2018-02-01"), placement_type="U4"),
        _child("C", "2017-07-31", date_of_birth=d("2010-01-01"), placement_start=d("2019-05-01"),
               placement_type="h) A5: Placed for adoption"),
        _child("D", "2017-01-01", date_of_birth=d("2004-01-31"), placement_start=d("2017-01-01"), placement_type="U4"),
        _child("E", "2017-01-01", date_of_birth=d("2004-02-01"), placement_start=d("2017-01-01"), placement_type="U4"),
        _child("F", "2017-08-01", date_of_birth=d("2010-01-01"), placement_start=d("2017-08-01"), placement_type="U4"),
        _child("G", "2016-01-01", age=12, placement_start=d("2019-06-01"), placement_type="K2"),
    ]}, R)["cla_long_term_stability_pct"]
    # d: A, B, C, E (turns 16 after R), G (no DOB, Age 12); D is 16 on R; F not in care long enough.
    # n: A (placement from R - 2y), C (placed for adoption), E.
    assert point(got, "2020-01") == (3, 5, 60.0)


def test_placed_out_counts_only_children_with_a_location_recorded(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-01", placement_location="Out"),
        _child("B", "2019-01-01", placement_location="b) Out"),
        _child("C", "2019-01-01", placement_location="In"),
        _child("D", "2019-01-01", placement_location=None),
    ]}, R)["cla_placed_out_pct"]
    assert point(got, "2020-01") == (2, 3, 66.7)


def test_cla_reviews_in_time_within_six_months_or_twenty_working_days_before_the_first(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-01", latest_review=d("2019-07-31")),
        _child("B", "2019-01-01", latest_review=d("2019-07-30")),
        _child("C", "2020-01-03"),  # Fri 3 Jan -> Fri 31 Jan: 20 working days
        _child("D", "2020-01-02"),  # 21
    ]}, R)["cla_review_timely_pct"]
    assert point(got, "2020-01") == (2, 4, 50.0)


def test_cla_visits_within_42_days_of_r_and_not_after_it(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-01", last_visit=d("2019-12-20")),  # R - 42 days
        _child("B", "2019-01-01", last_visit=d("2019-12-19")),
        _child("C", "2019-01-01", last_visit=None),
        _child("D", "2019-01-01", last_visit=d("2020-02-01")),
    ]}, R)["cla_visit_6wk_pct"]
    assert point(got, "2020-01") == (1, 4, 25.0)


def test_health_assessments_count_children_in_care_12_months_with_one_in_the_last_year(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-31", last_health_assessment=d("2019-01-31")),
        _child("B", "2019-01-31", last_health_assessment=d("2019-01-30")),
        _child("C", "2019-02-01", last_health_assessment=d("2019-06-01")),  # in care < 12 months: not in d
        _child("D", "2018-01-01", last_health_assessment=None),
    ]}, R)["cla_health_assessment_pct"]
    assert point(got, "2020-01") == (1, 3, 33.3)


def test_dental_checks_count_children_in_care_12_months_with_one_in_the_last_year(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2018-06-01", last_dental_check=d("2019-02-01")),
        _child("B", "2018-06-01", last_dental_check=d("2018-12-31")),
    ]}, R)["cla_dental_check_pct"]
    assert point(got, "2020-01") == (1, 2, 50.0)


def test_missing_counts_children_with_one_or_more_missing_episodes(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-01", missing_last_12m=0),
        _child("B", "2019-01-01", missing_last_12m=1),
        _child("C", "2019-01-01", missing_last_12m=4),
        {**_child("D", "2019-01-01", missing_last_12m=None), "_invalid": ["missing_last_12m"]},
    ]}, R)["cla_missing_pct"]
    assert point(got, "2020-01") == (2, 3, 66.7)
    assert got["data_quality"]["rows_excluded"] == 1


def test_an_unreadable_start_date_removes_the_child_from_every_cla_extract_indicator(tmp_path):
    got = run(tmp_path, {"cla": [
        _child("A", "2019-01-01", missing_last_12m=1),
        {**_child("B", "2019-01-01", missing_last_12m=1), "cla_start": None, "_invalid": ["cla_start"]},
    ]}, R)
    assert point(got["cla_missing_pct"], "2020-01") == (1, 1, 100.0)
    assert point(got["cla_open"], "2020-01") == (1, None, 1)
    assert got["cla_open"]["data_quality"]["rows_excluded"] == 1
