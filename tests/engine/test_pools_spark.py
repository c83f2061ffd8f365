"""A pool's indicators per council on Spark (local mode) equal DuckDB's, number for number.

One Spark session for the module (Spark is slow to start); skipped, saying why, without PySpark
or Java. PostgreSQL runs the same partitioned tables through ``engines._partitioned`` and is
covered by the engine equality test's server when the lead runs it.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from oversight.engine.pools.indicators import run_pool
from oversight.engine.pools.load import load_pool
from oversight.engine.synth import generate_annex_a

R = dt.date(2020, 1, 31)


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'oversight[spark]')")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17+ and none is on this machine")
    from oversight.engine.indicators.engines import EngineError, spark_session

    try:
        return spark_session()
    except EngineError as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    src = tmp_path_factory.mktemp("councils")
    generate_annex_a(src / "202_camden.xlsx", R, seed=31, scale=0.05, messy=True)
    generate_annex_a(src / "203_greenwich.xlsx", R, seed=32, scale=0.04)
    return load_pool(src, tmp_path_factory.mktemp("pool") / "p", R, secret=b"spark-test-secret-0123456789").path


def test_spark_counts_every_indicator_per_council_and_team_as_duckdb_does(pool, spark):
    on_duckdb = run_pool(pool, by_worker=True)
    on_spark = run_pool(pool, by_worker=True, engine="spark", engine_options={"spark_session": spark})
    assert on_spark.engine == "spark"
    assert on_spark.pooled.as_json() == on_duckdb.pooled.as_json()
    assert sorted(on_spark.by_council) == ["202", "203"]
    for code in on_duckdb.by_council:
        assert on_spark.by_council[code].as_json() == on_duckdb.by_council[code].as_json(), code
