"""Lists 1 and 3 (contacts, referrals): hand-worked examples at R = Fri 31 Jan 2020.

The six months are Aug 2019 … Jan 2020; a flow counts events dated in the month, and the
last month ends at R.
"""

from __future__ import annotations

from oversight.engine.indicators import load_catalogue
from oversight.engine.indicators.testing import d, point, run, values

R = "2020-01-31"


def test_contacts_are_counted_in_the_month_of_their_date_and_not_outside_the_six_months(tmp_path):
    got = run(tmp_path, {"contacts": [
        {"contact_date": d("2019-07-31")},  # before the window
        {"contact_date": d("2019-08-01")},  # first day of the first month
        {"contact_date": d("2019-11-30")},
        {"contact_date": d("2020-01-31")},  # on R
        {"contact_date": d("2020-02-01")},  # after R
    ]}, R)["contacts"]
    assert values(got) == [1, 0, 0, 1, 0, 1]
    assert got["series"][0] == {"month": "2019-08", "numerator": 1, "denominator": None, "value": 1}


def test_the_last_month_ends_at_the_as_at_date(tmp_path):
    got = run(tmp_path, {"contacts": [
        {"contact_date": d("2020-01-15")},
        {"contact_date": d("2020-01-16")},
    ]}, "2020-01-15")["contacts"]
    assert point(got, "2020-01") == (1, None, 1)


def test_a_contact_with_an_unreadable_date_is_left_out_and_counted(tmp_path):
    got = run(tmp_path, {"contacts": [
        {"contact_date": d("2020-01-02")},
        {"contact_date": None, "_invalid": ["contact_date"]},
        {"contact_date": d("2020-01-03"), "_invalid": ["contact_source"]},  # not a column it needs
    ]}, R)["contacts"]
    assert point(got, "2020-01") == (2, None, 2)
    assert got["data_quality"]["rows_excluded"] == 1


def test_contacts_have_no_team_breakdown_because_list_1_has_no_allocated_team(tmp_path):
    got = run(tmp_path, {"contacts": [{"contact_date": d("2020-01-02")}]}, R)["contacts"]
    assert "by_team" not in got


def test_referrals_are_counted_by_month_overall_and_by_allocated_team(tmp_path):
    got = run(tmp_path, {"referrals": [
        {"referral_date": d("2019-08-05"), "allocated_team": "Team A"},
        {"referral_date": d("2020-01-06"), "allocated_team": "Team A"},
        {"referral_date": d("2020-01-07"), "allocated_team": "Team B"},
        {"referral_date": d("2020-01-08"), "allocated_team": None},
    ]}, R)["referrals"]
    assert values(got) == [1, 0, 0, 0, 0, 3]
    assert [p["value"] for p in got["by_team"]["Team A"]] == [1, 0, 0, 0, 0, 1]
    assert [p["value"] for p in got["by_team"]["Team B"]] == [0, 0, 0, 0, 0, 1]
    assert [p["value"] for p in got["by_team"]["(not recorded)"]] == [0, 0, 0, 0, 0, 1]
    assert list(got["by_team"]) == ["Team A", "Team B", "(not recorded)"]


def test_referrals_nfa_matches_yes_in_any_spelling_and_counts_a_blank_as_not_nfa(tmp_path):
    got = run(tmp_path, {"referrals": [
        {"referral_date": d("2020-01-06"), "referral_nfa": "Yes"},
        {"referral_date": d("2020-01-07"), "referral_nfa": "a) Yes"},
        {"referral_date": d("2020-01-08"), "referral_nfa": "No"},
        {"referral_date": d("2020-01-09"), "referral_nfa": None},
        {"referral_date": d("2020-01-10"), "referral_nfa": None, "_invalid": ["referral_nfa"]},
        {"referral_date": d("2019-12-10"), "referral_nfa": "YES"},
    ]}, R)["referrals_nfa_pct"]
    assert point(got, "2020-01") == (2, 4, 50.0)
    assert point(got, "2019-12") == (1, 1, 100.0)
    assert point(got, "2019-11") == (0, 0, None)  # no referrals: no rate, not 0 %
    assert got["data_quality"]["rows_excluded"] == 1


def test_a_re_referral_is_a_referral_whose_12_month_count_including_itself_is_two_or_more(tmp_path):
    tables = {"referrals": [
        {"referral_date": d("2020-01-06"), "referrals_last_12m": 1},
        {"referral_date": d("2020-01-07"), "referrals_last_12m": 2},
        {"referral_date": d("2020-01-08"), "referrals_last_12m": 3},
        {"referral_date": d("2020-01-09"), "referrals_last_12m": 0},
    ]}
    assert point(run(tmp_path, tables, R)["rereferrals_12m_pct"], "2020-01") == (2, 4, 50.0)


def test_a_council_whose_count_excludes_the_current_referral_sets_the_threshold_to_one(tmp_path):
    tables = {"referrals": [
        {"referral_date": d("2020-01-06"), "referrals_last_12m": 1},
        {"referral_date": d("2020-01-07"), "referrals_last_12m": 2},
        {"referral_date": d("2020-01-08"), "referrals_last_12m": 3},
        {"referral_date": d("2020-01-09"), "referrals_last_12m": 0},
    ]}
    cat = load_catalogue({"rereferral_min_count": 1})
    assert point(run(tmp_path, tables, R, catalogue=cat)["rereferrals_12m_pct"], "2020-01") == (3, 4, 75.0)
