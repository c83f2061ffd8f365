"""The catalogue's SQL, transpiled with the pinned SQLGlot: what is mapped explicitly, and how.

These tests read the SQL each engine is given; tests/engine/test_engines_equality.py runs it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import sqlglot

from oversight.engine.indicators.catalogue import load_catalogue
from oversight.engine.indicators.dialect import CODE_FUNCTION, SQLGLOT_VERSION, to_dialect
from oversight.engine.indicators.runner import _Compiled, _marker_code_sql, _TablePlan, compiled_sql

ROOT = Path(__file__).resolve().parents[2]


def _engine_steps() -> dict[str, list]:
    """Each table's steps as the PostgreSQL and Spark engines get them (code() as a marker)."""
    cat = load_catalogue()
    out = {}
    for table, info in cat.tables.items():
        inds = [i for i in cat if i.table == table]
        if inds:
            columns = {c for i in inds for c in i.needs} | {"_row", "_invalid", "child_id"}
            columns |= {c for c in (info.team, info.worker) if c}
            plan = _TablePlan(info, inds, columns)
            out[table] = _Compiled(plan, True, "child_id", code_sql=_marker_code_sql).steps(by_worker=True)
    return out


def test_sqlglot_is_pinned_to_one_exact_version_and_that_version_is_installed():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [d for d in deps if d.startswith("sqlglot")]
    assert pins == [f"sqlglot=={SQLGLOT_VERSION}"]
    assert sqlglot.__version__ == SQLGLOT_VERSION


def test_every_step_of_every_table_transpiles_to_postgres_and_spark_without_duckdb_leftovers():
    for table, steps in _engine_steps().items():
        for name, sql in steps:
            pg, spark = to_dialect(sql, "postgres"), to_dialect(sql, "spark")
            for out in (pg, spark):
                assert CODE_FUNCTION not in out.lower(), table
                assert "list_contains" not in out.lower(), table
            # every interval is explicit: none on Spark, and on PostgreSQL only cast back to a date
            assert "INTERVAL" not in spark, table
            assert pg.count("INTERVAL") == len(re.findall(r"\) \+ INTERVAL '-?\d+ (?:YEAR|MONTH|DAY)' AS DATE\)", pg))
            if name == "_b":
                assert "ARRAY_CONTAINS(t._invalid" in spark and "= ANY(t._invalid)" in pg, table


def test_postgres_gets_the_picklist_regex_with_the_flag_that_matches_re2():
    pg = to_dialect(f"SELECT {CODE_FUNCTION}(t.v) FROM t", "postgres")
    assert pg.count(", 'p')") == 4  # two patterns, each twice (the CASE reads it twice)
    assert r"'^[A-Za-z]{1,2}\)\s*'" in pg


def test_spark_gets_the_picklist_regex_with_unix_lines_and_an_absolute_end():
    spark = to_dialect(f"SELECT {CODE_FUNCTION}(t.v) FROM t", "spark")
    assert r"'(?d)\\s*(:|\\s-\\s).*\\z'" in spark  # backslashes doubled: Spark unescapes literals


def test_month_and_year_arithmetic_becomes_add_months_on_spark_and_a_date_on_postgres():
    sql = "SELECT p.as_at - INTERVAL 6 MONTH, d + INTERVAL 16 YEAR, x - INTERVAL 42 DAY, date_diff('day', a, b) FROM p"
    assert to_dialect(sql, "spark") == ("SELECT ADD_MONTHS(p.as_at, -6), ADD_MONTHS(d, 192), DATE_ADD(x, -42), "
                                        "DATEDIFF(b, a) FROM p")
    assert to_dialect(sql, "postgres") == (
        "SELECT CAST((p.as_at) + INTERVAL '-6 MONTH' AS DATE), CAST((d) + INTERVAL '16 YEAR' AS DATE), "
        "CAST((x) + INTERVAL '-42 DAY' AS DATE), (CAST(b AS DATE) - CAST(a AS DATE)) FROM p")


def test_a_subquery_in_from_has_an_alias_because_postgresql_15_requires_one():
    for table, statements in compiled_sql().items():
        for sql in statements:
            assert ") GROUP BY" not in sql, table


def test_the_duckdb_statements_are_the_steps_themselves():
    for table, statements in compiled_sql().items():
        assert statements[0].startswith("CREATE OR REPLACE TEMP TABLE _b AS SELECT"), table
        assert statements[1].startswith("CREATE OR REPLACE TEMP TABLE _f AS SELECT"), table
        assert statements[2].startswith("SELECT month"), table
