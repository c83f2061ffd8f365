"""The runner as a whole: JSON shape, months, breakdowns, missing lists, data quality, rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlglot
from sqlglot import exp

from oversight.engine.indicators import (
    CatalogueError,
    child_rows,
    compute,
    flatten,
    load_catalogue,
    months_for,
)
from oversight.engine.indicators.catalogue import _raw, parse_catalogue
from oversight.engine.indicators.dialect import to_dialect
from oversight.engine.indicators.runner import compiled_sql
from oversight.engine.indicators.testing import d, run, write_tables

R = d("2020-01-31")


def test_the_catalogue_holds_the_35_contract_indicators_in_order():
    ids = load_catalogue().ids()
    assert len(ids) == 35 and len(set(ids)) == 35
    assert ids[0] == "contacts" and ids[-1] == "adoption_a2_days"


def test_six_months_end_with_the_as_at_month_and_wrap_the_year():
    months = months_for(d("2020-02-10"))
    assert [m.month for m in months] == ["2019-09", "2019-10", "2019-11", "2019-12", "2020-01", "2020-02"]
    assert months[-1].day == d("2020-02-10") and months[-1].last
    assert months[-2].day == d("2020-01-31") and not months[-2].last
    assert months[0].start == d("2019-09-01")


def test_an_empty_dataset_gives_every_indicator_with_null_figures_and_the_reason(tmp_path):
    result = compute({}, R)
    assert result["as_at"] == "2020-01-31"
    assert len(result["indicators"]) == 35
    contacts = result["indicators"][0]
    assert contacts["series"][0] == {"month": "2019-08", "numerator": None, "denominator": None, "value": None}
    assert contacts["data_quality"]["unavailable"] == "list 'contacts' is not in the dataset"


def test_every_indicator_has_six_points_or_one_for_extracts_and_team_lists_have_by_team(tmp_path):
    got = run(tmp_path, {"contacts": [{"contact_date": d("2020-01-02")}],
                         "cp": [{"cpp_start": d("2019-01-01"), "cpp_end": None, "allocated_team": "CP Team"}]}, R)
    for ind in got.values():
        want = 1 if ind["period_type"] == "extract" else 6
        assert len(ind["series"]) == want, ind["id"]
        for p in ind["series"]:
            assert set(p) == {"month", "numerator", "denominator", "value"}
        assert ind["unit"] in ("count", "percent", "days")
        assert "rows_excluded" in ind["data_quality"]
    assert got["cpp_open"]["by_team"]["CP Team"][-1]["value"] == 1
    assert "by_worker" not in got["cpp_open"]


def test_by_worker_is_added_only_when_asked(tmp_path):
    tables = {"cp": [{"cpp_start": d("2019-01-01"), "cpp_end": None, "allocated_team": "T",
                      "allocated_worker": "Sam Social"}]}
    got = run(tmp_path, tables, R, by_worker=True)["cpp_open"]
    assert got["by_worker"]["Sam Social"][-1]["value"] == 1


def test_a_list_missing_a_needed_column_makes_only_those_indicators_unavailable(tmp_path):
    got = run(tmp_path, {"referrals": [{"referral_date": d("2020-01-02")}]}, R)
    assert got["referrals"]["series"][-1]["value"] == 1
    assert "referral_nfa" in got["referrals_nfa_pct"]["data_quality"]["unavailable"]


def test_flatten_gives_one_row_per_indicator_breakdown_and_month(tmp_path):
    paths = write_tables(tmp_path, {"referrals": [{"referral_date": d("2020-01-02"), "allocated_team": "A"}]})
    rows = flatten(compute(paths, R, only=["referrals"]))
    assert len(rows) == 12  # overall + team A, six months each
    assert rows[-1] == {"indicator": "referrals", "name": "Referrals received", "unit": "count",
                        "polarity": "none", "period_type": "flow", "breakdown": "team", "breakdown_value": "A",
                        "month": "2020-01", "numerator": 1, "denominator": None, "value": 1}


def test_the_rows_behind_a_number_are_the_indicator_filter_read_from_parquet(tmp_path):
    paths = write_tables(tmp_path, {"assessments": [
        {"assessment_start": d("2019-11-26"), "assessment_authorised": d("2020-01-31"), "allocated_team": "A"},
        {"assessment_start": d("2019-11-25"), "assessment_authorised": d("2020-01-31"), "allocated_team": "B"},
        {"assessment_start": None, "assessment_authorised": d("2020-01-31"), "_invalid": ["assessment_start"]},
    ]})
    den = child_rows(paths, R, "assessments_45wd_pct", "2020-01", "denominator")
    num = child_rows(paths, R, "assessments_45wd_pct", "2020-01", "numerator")
    team_b = child_rows(paths, R, "assessments_45wd_pct", "2020-01", "denominator", team="B")
    excluded = child_rows(paths, R, "assessments_45wd_pct", None, "excluded")
    assert [r[0] for r in den.rows] == [2, 3]  # spreadsheet row numbers
    assert [r[0] for r in num.rows] == [2]
    assert [r[0] for r in team_b.rows] == [3]
    assert [r[0] for r in excluded.rows] == [4]
    assert den.columns[:2] == ["row", "child_id"]
    assert "invalid_columns" in excluded.columns


def test_every_column_an_indicator_uses_is_declared_in_needs():
    allowed_p = {"start", "day", "as_at", "last", "start_wd", "day_wd", "as_at_wd"}
    for ind in load_catalogue():
        for sql in filter(None, [ind.cohort, ind.numerator]):
            plain = re.sub(r"\b(working_days|code)\(", "coalesce(", sql)
            tree = sqlglot.parse_one(f"SELECT 1 WHERE {plain}", read="duckdb")
            for col in tree.find_all(exp.Column):
                if col.table == "p":
                    assert col.name in allowed_p, (ind.id, col.sql())
                else:
                    assert col.name in ind.needs, f"{ind.id} uses {col.name} but does not list it in needs"


def test_the_indicator_sql_transpiles_to_spark_and_postgres():
    for table, statements in compiled_sql().items():
        for sql in statements:
            for dialect in ("spark", "postgres"):
                assert "SELECT" in to_dialect(sql, dialect), (table, dialect)


def test_a_catalogue_entry_without_a_numerator_for_a_percent_is_refused_by_name():
    raw = _raw()
    broken = {**raw, "indicators": [dict(raw["indicators"][2], numerator=None)]}
    with pytest.raises(CatalogueError, match=r"entry 1 \(referrals_nfa_pct\): a percent indicator needs a numerator"):
        parse_catalogue(broken)


def test_an_unknown_council_setting_is_refused_with_the_known_ones():
    with pytest.raises(CatalogueError, match="unknown setting.*rereferral_min_count"):
        load_catalogue({"rereferal_min": 1})


def test_the_result_says_which_calendar_and_settings_were_in_force():
    result = compute({}, dt.date(2020, 1, 31))
    assert result["calendar"] == "Monday–Friday less England & Wales bank holidays"
    assert result["settings"]["assessment_limit_wd"] == 45


def test_the_indicator_docs_describe_every_indicator_in_the_catalogue():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    missing = [i for i in load_catalogue().ids() if f"`{i}`" not in docs]
    assert not missing, f"docs/indicators.md does not describe {missing}"
