"""Typed results: real dates and ints, the same type whichever engine ran, the JSON unchanged."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from oversight.engine.indicators import IndicatorResult, Point, RunResult, compute, run_catalogue
from oversight.engine.indicators.testing import d, write_tables

R = d("2020-01-31")
REFERRALS = [
    {"referral_date": d("2020-01-06"), "referral_nfa": "a) Yes", "allocated_team": "Duty A"},
    {"referral_date": d("2020-01-20"), "referral_nfa": "b) No", "allocated_team": "Duty B"},
    {"referral_date": d("2019-12-02"), "referral_nfa": "No", "allocated_team": "Duty A"},
]


@pytest.fixture
def tables(tmp_path):
    return write_tables(tmp_path, {"referrals": REFERRALS})


def test_a_run_returns_typed_results_with_real_month_dates(tables):
    result = run_catalogue(tables, R)
    assert isinstance(result, RunResult) and result.engine == "duckdb" and result.as_at == R
    nfa = result["referrals_nfa_pct"]
    assert isinstance(nfa, IndicatorResult)
    assert [p.month for p in nfa.series] == [dt.date(2019, m, 1) for m in range(8, 13)] + [dt.date(2020, 1, 1)]
    assert nfa.point("2020-01") == Point(dt.date(2020, 1, 1), 1, 2, 50.0)
    assert nfa.point(dt.date(2019, 12, 31)) == Point(dt.date(2019, 12, 1), 0, 1, 0.0)
    assert list(nfa.by_team) == ["Duty A", "Duty B"]


def test_an_indicator_whose_list_is_missing_says_why_in_the_typed_result(tables):
    cla = run_catalogue(tables, R)["cla_open"]
    assert cla.unavailable == "list 'cla' is not in the dataset"
    assert all(p.numerator is None for p in cla.series) and cla.by_team == {}


def test_the_json_of_a_typed_result_is_what_compute_returns(tables):
    typed = run_catalogue(tables, R, by_worker=True)
    assert typed.as_json() == compute(tables, R, by_worker=True)
    nfa = typed.as_json()["indicators"][2]
    assert list(nfa) == ["id", "name", "unit", "polarity", "period_type", "theme", "lists", "series", "by_team",
                         "by_worker", "data_quality"]
    assert nfa["series"][-1] == {"month": "2020-01", "numerator": 1, "denominator": 2, "value": 50.0}


@pytest.mark.django_db
def test_the_performance_app_stores_a_typed_result_as_it_stores_the_json(tables):
    from oversight.performance.services import store_result

    typed = store_result(run_catalogue(tables, R, by_worker=True), source="typed")
    plain = store_result(compute(tables, R, by_worker=True), source="json")
    rows = lambda run: sorted(run.values.values_list("indicator", "month", "breakdown", "breakdown_value",  # noqa: E731
                                                     "numerator", "denominator", "value"))
    assert rows(typed) == rows(plain) and len(rows(typed)) > 0
    assert typed.as_at == R


@pytest.mark.django_db
def test_engine_duckdb_prints_exactly_what_the_default_prints(tmp_path):
    from oversight.engine.synth import generate_annex_a

    book = tmp_path / "annex-a.xlsx"
    generate_annex_a(book, R, seed=2, scale=0.05)
    printed = []
    for extra in ([], ["--engine", "duckdb"]):
        out = io.StringIO()
        call_command("indicators", "--annex-a", str(book), "--as-at", "2020-01-31", *extra, stdout=out,
                     stderr=io.StringIO())
        printed.append(out.getvalue())
    assert printed[0] == printed[1]
    assert json.loads(printed[0])["as_at"] == "2020-01-31"


@pytest.mark.django_db
def test_an_unreachable_postgres_engine_is_refused_in_one_line_with_exit_status_2(tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    from oversight.engine.synth import generate_annex_a

    book = tmp_path / "annex-a.xlsx"
    generate_annex_a(book, R, seed=2, scale=0.05)
    monkeypatch.setenv("OVERSIGHT_POSTGRES_URL", "postgresql://nobody:nothing@127.0.0.1:1/none")
    with pytest.raises(CommandError, match="cannot connect to PostgreSQL") as err:
        call_command("indicators", "--annex-a", str(book), "--as-at", "2020-01-31", "--engine", "postgres",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert err.value.returncode == 2
