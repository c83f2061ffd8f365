"""One catalogue, three engines, identical numbers: DuckDB, PostgreSQL 15 and local Spark.

The whole catalogue runs on a messy synthetic workbook with each engine and every indicator's
numerator and denominator must agree for every month, team and worker. PostgreSQL comes from
``OVERSIGHT_TEST_POSTGRES_URL`` or the local test server (the ``oversight_engines`` database,
TEMP tables only); Spark runs in local mode. Each is skipped, saying why, when unavailable.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pyarrow as pa
import pytest

from oversight.engine import annex_a
from oversight.engine.calendar import WorkingDayCalendar
from oversight.engine.indicators import RunResult, run_catalogue
from oversight.engine.indicators.dialect import CODE_FUNCTION, to_dialect
from oversight.engine.indicators.engines import open_engine
from oversight.engine.synth import generate_annex_a

R = dt.date(2020, 1, 31)
LOCAL_POSTGRES = "postgresql://oversight:oversight-test@127.0.0.1:5432/oversight_engines"


# ---------------------------------------------------------------------------------- set-up
def _postgres_url() -> str:
    """``OVERSIGHT_TEST_POSTGRES_URL``, or the local server's ``oversight_engines`` database
    (created when missing); skip when no server answers."""
    url = os.environ.get("OVERSIGHT_TEST_POSTGRES_URL") or LOCAL_POSTGRES
    psycopg = pytest.importorskip("psycopg")
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        with psycopg.connect(url, connect_timeout=3):
            return url
    except psycopg.OperationalError as e:
        if "does not exist" not in str(e):
            pytest.skip(f"no PostgreSQL reachable for the engine tests ({str(e).strip().splitlines()[0]})")
    name = conninfo_to_dict(url).get("dbname")
    try:
        with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True, connect_timeout=3) as con:
            con.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as e:
        pytest.skip(f"cannot create the engine tests' database {name!r} ({str(e).strip().splitlines()[0]})")
    return url


def _spark_session():
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'oversight[spark]')")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark needs Java 17+ and none is on this machine")
    from oversight.engine.indicators.engines import EngineError, spark_session

    try:
        return spark_session()
    except EngineError as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def pg_url():
    return _postgres_url()


@pytest.fixture(scope="module")
def spark():
    return _spark_session()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """A messy scale-0.2 workbook (about 3,000 rows), loaded and stored as Parquet."""
    root = tmp_path_factory.mktemp("engines")
    book = root / "annex-a.xlsx"
    generate_annex_a(book, R, seed=3, scale=0.2, messy=True)
    info = annex_a.write_dataset(annex_a.read_annex_a(book, R), root / "dataset")
    return dict(info.tables)


@pytest.fixture(scope="module")
def on_duckdb(dataset) -> RunResult:
    return run_catalogue(dataset, R, by_worker=True)


def _figures(result: RunResult) -> dict[tuple, tuple]:
    """(indicator, breakdown, key, month) → (numerator, denominator), for every figure."""
    out = {}
    for ind in result:
        groups = [("overall", "", ind.series)]
        groups += [("team", k, s) for k, s in (ind.by_team or {}).items()]
        groups += [("worker", k, s) for k, s in (ind.by_worker or {}).items()]
        for kind, key, series in groups:
            for p in series:
                out[(ind.id, kind, key, p.month)] = (p.numerator, p.denominator)
    return out


def _assert_same_figures(a: RunResult, b: RunResult) -> None:
    fa, fb = _figures(a), _figures(b)
    assert fa.keys() == fb.keys(), sorted(set(fa) ^ set(fb))[:10]
    differ = [(k, fa[k], fb[k]) for k in fa if fa[k] != fb[k]]
    assert not differ, differ[:10]
    assert [i.rows_excluded for i in a] == [i.rows_excluded for i in b]
    assert a.as_json() == b.as_json()


# ----------------------------------------------------------------------------------- tests
def test_the_synthetic_dataset_exercises_every_indicator_on_duckdb(on_duckdb):
    assert len(on_duckdb) == 35
    assert all(i.unavailable is None for i in on_duckdb)
    assert all(any(p.denominator or p.numerator for p in i.series) for i in on_duckdb)


def test_postgresql_gives_every_indicator_the_same_numerators_and_denominators_as_duckdb(dataset, on_duckdb,
                                                                                          pg_url):
    on_pg = run_catalogue(dataset, R, by_worker=True, engine="postgres", engine_options={"postgres_url": pg_url})
    assert on_pg.engine == "postgres" and type(on_pg) is type(on_duckdb)
    _assert_same_figures(on_duckdb, on_pg)


def test_spark_gives_every_indicator_the_same_numerators_and_denominators_as_duckdb(dataset, on_duckdb, spark):
    on_spark = run_catalogue(dataset, R, by_worker=True, engine="spark", engine_options={"spark_session": spark})
    assert on_spark.engine == "spark" and type(on_spark) is type(on_duckdb)
    _assert_same_figures(on_duckdb, on_spark)


# ---------------------------------------------------- the explicitly mapped constructs, alone
TRICKY = ["a) Yes", "Y", "n", "  b) No ", "f) U6: Foster placement", "N1 - Abuse or neglect", "U6:Foster",
          "zz) RHOM", "V3", "a)V4 - short break", "U6: Foster\nplacement", "U6: Foster placement\n",
          "Out\n", "x-ray", "A - B - C", "", "   ", None]
DATES = [dt.date(2019, 8, 31), dt.date(2020, 2, 29), dt.date(2019, 12, 31), dt.date(2020, 1, 31)]


def _helpers(engine: str, options: dict) -> list[tuple]:
    """code(x) of each tricky value, and date arithmetic on month ends and a leap day."""
    values = pa.table({"v": pa.array(TRICKY, pa.string()), "i": pa.array(range(len(TRICKY)), pa.int64())})
    dates = pa.table({"d": pa.array(DATES, pa.date32()), "i": pa.array(range(len(DATES)), pa.int64())})
    db = open_engine(engine, {"vals": values, "dates": dates}, WorkingDayCalendar.default(), [], options)
    try:
        _, codes = db.run([(None, f"SELECT i, {CODE_FUNCTION}(v) AS c FROM vals ORDER BY i")
                           if engine != "duckdb" else
                           (None, to_dialect(f"SELECT i, {CODE_FUNCTION}(v) AS c FROM vals ORDER BY i", "duckdb"))])
        _, shifted = db.run([(None, "SELECT i, d - INTERVAL 6 MONTH AS a, d + INTERVAL 16 YEAR AS b, "
                                    "d - INTERVAL 2 YEAR AS c, d - INTERVAL 42 DAY AS e, "
                                    "date_diff('day', DATE '2019-01-01', d) AS f, "
                                    "(SELECT n FROM wd_calendar WHERE wd_calendar.d = dates.d) AS wd "
                                    "FROM dates ORDER BY i")])
    finally:
        db.close()
    # DuckDB's date ± interval is a timestamp at midnight, the others' a date: compare the days
    return [tuple(r) for r in codes] + [tuple(v.date() if isinstance(v, dt.datetime) else v for v in r)
                                        for r in shifted]


def test_picklist_codes_and_date_arithmetic_agree_on_postgresql(pg_url):
    assert _helpers("postgres", {"postgres_url": pg_url}) == _helpers("duckdb", {})


def test_picklist_codes_and_date_arithmetic_agree_on_spark(spark):
    assert _helpers("spark", {"spark_session": spark}) == _helpers("duckdb", {})


def test_duckdb_reads_codes_and_dates_as_the_catalogue_means_them():
    got = _helpers("duckdb", {})
    codes = dict(got[:len(TRICKY)])
    assert [codes[i] for i in range(5)] == ["YES", "YES", "NO", "NO", "U6"]
    assert codes[5] == "N1" and codes[7] == "RHOM" and codes[9] == "V4" and codes[13] == "X-RAY"
    leap = got[len(TRICKY) + 1]  # 29 February 2020
    assert leap[1:5] == (dt.date(2019, 8, 29), dt.date(2036, 2, 29), dt.date(2018, 2, 28), dt.date(2020, 1, 18))
    assert got[len(TRICKY)][1] == dt.date(2019, 2, 28)  # 31 August - 6 months: the month's last day
