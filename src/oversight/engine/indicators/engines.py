"""Where the indicator SQL runs: DuckDB (default), PostgreSQL or Spark — same SQL, same numbers.

The runner builds each table's SQL once, in DuckDB's dialect, as a few named steps
(``_b`` base rows, ``_f`` rows × months, then the counts). An engine here:

1. makes the dataset's tables, the ``periods`` table and the working-day calendar
   (``wd_calendar(d, n)``, built from the same Python ``WorkingDayCalendar`` in every engine)
   visible to its SQL;
2. runs the steps — DuckDB as written; PostgreSQL and Spark after ``dialect.to_dialect``
   (pinned SQLGlot plus the explicit rewrites for regular expressions and dates);
3. returns the final step's column names and rows as plain Python values.

PostgreSQL: the Parquet tables are copied into TEMP tables of one connection (PostgreSQL's
per-session temporary schema), so nothing is left behind in the council's database and two
runs never see each other's tables. Spark: each run gets its own ``SparkSession.newSession()``
(its own temporary views, the shared SparkContext); the base session is local (``local[2]``)
unless ``OVERSIGHT_SPARK_MASTER`` names a cluster (``spark://…``, ``yarn``, ``k8s://…``) or a
caller passes a configured ``SparkSession``. On a cluster the Parquet paths must be readable
by the executors (shared storage); in-memory Arrow tables are written to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..calendar import CALENDAR_END, CALENDAR_START, WorkingDayCalendar
from .dialect import to_dialect

ENGINES = ("duckdb", "spark", "postgres")
DEFAULT_ENGINE = "duckdb"
SPARK_MASTER_ENV = "OVERSIGHT_SPARK_MASTER"
POSTGRES_URL_ENV = "OVERSIGHT_POSTGRES_URL"
PARTITION_KEY = "la_code"  # a pool's tables are partitioned by council (engine/pools)
PERIOD_COLUMNS = ("month", "start", "day", "as_at", "last", "start_wd", "day_wd", "as_at_wd")

TableSource = Path | str | Any  # a Parquet path, or an in-memory pyarrow Table
Step = tuple[str | None, str]  # (temporary table to create, or None for the result; SELECT in DuckDB SQL)


class EngineError(RuntimeError):
    """An engine that cannot be used here (not installed, not reachable), with the reason."""


class EngineStepError(RuntimeError):
    """A step of the indicator SQL failed on the engine; the message is the engine's first line."""


class SqlEngine(Protocol):
    name: str

    def columns(self) -> dict[str, set[str]]: ...

    def run(self, steps: Sequence[Step]) -> tuple[list[str], list[tuple]]: ...

    def close(self) -> None: ...


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def calendar_rows(cal: WorkingDayCalendar, start: dt.date = CALENDAR_START,
                  end: dt.date = CALENDAR_END) -> tuple[list[dt.date], list[int]]:
    """Every date of the SQL calendar with its working-day ordinal (``cal.ordinal``)."""
    days = (end - start).days + 1
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    return dates, [cal.ordinal(d) for d in dates]


def is_partitioned(src: TableSource) -> bool:
    """A pool's table: a folder of ``la_code=<code>/part-0.parquet`` files (one per council)."""
    return isinstance(src, str | Path) and Path(src).is_dir()


def _partitioned(src: str | Path) -> Any:
    """A pool table folder as one Arrow dataset: the council key a string column (never the
    integer a partition value like ``202`` would be guessed as), the councils' schemas unified
    (a council without a column gets nulls)."""
    import pyarrow.dataset as ds

    part = ds.partitioning(pa.schema([(PARTITION_KEY, pa.string())]), flavor="hive")
    files = sorted(str(f) for f in Path(src).glob("*/*.parquet"))
    if not files:
        raise EngineError(f"{src}: no Parquet files under it")
    schema = pa.unify_schemas([pq.read_schema(f) for f in files])
    schema = schema.append(pa.field(PARTITION_KEY, pa.string())) if PARTITION_KEY not in schema.names else schema
    return ds.dataset(files, schema=schema, partitioning=part, partition_base_dir=str(src), format="parquet")


def _arrow(src: TableSource) -> pa.Table:
    if is_partitioned(src):
        return _partitioned(src).to_table()
    return pq.read_table(str(src)) if isinstance(src, str | Path) else src


def _schema(name: str, src: TableSource) -> pa.Schema:
    try:
        if is_partitioned(src):
            return _partitioned(src).schema
        return pq.read_schema(str(src)) if isinstance(src, str | Path) else src.schema
    except (OSError, pa.ArrowException) as e:
        raise EngineError(f"{src}: cannot read table {name!r} ({str(e).splitlines()[0]})") from None


# ------------------------------------------------------------------------------------- DuckDB
class DuckDBEngine:
    """In-process DuckDB: the catalogue's own dialect, nothing to transpile."""

    name = "duckdb"

    def __init__(self, tables: Mapping[str, TableSource], cal: WorkingDayCalendar, periods: Sequence[tuple]):
        # no progress bar: on a large pool DuckDB would draw it into the command's JSON output
        self.con = duckdb.connect(":memory:")
        try:
            self.con.execute("SET enable_progress_bar = false")
            self._cols = self._register(tables)
            cal.register_duckdb(self.con)
            self.con.execute("CREATE OR REPLACE TEMP TABLE periods (month VARCHAR, start DATE, day DATE, "
                             "as_at DATE, last BOOLEAN, start_wd BIGINT, day_wd BIGINT, as_at_wd BIGINT)")
            if periods:
                self.con.execute("INSERT INTO periods VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(periods)),
                                 [v for r in periods for v in r])
        except BaseException:
            self.con.close()
            raise

    def _register(self, tables: Mapping[str, TableSource]) -> dict[str, set[str]]:
        cols: dict[str, set[str]] = {}
        for name, src in tables.items():
            if isinstance(src, str | Path):
                path = str(src).replace("'", "''")
                # a pool's table folder: every council's file, the council from the folder name
                read = (f"read_parquet('{path}/*/*.parquet', hive_partitioning = true, union_by_name = true, "
                        f"hive_types = {{'{PARTITION_KEY}': VARCHAR}})" if is_partitioned(src)
                        else f"read_parquet('{path}')")
                try:
                    self.con.execute(f"CREATE OR REPLACE VIEW {quote_ident(name)} AS SELECT * FROM {read}")
                except duckdb.Error as e:
                    raise EngineError(f"{src}: cannot read table {name!r} ({str(e).splitlines()[0]})") from None
            else:  # an in-memory Arrow table (tests, or a workbook not yet written)
                self.con.register(f"_arrow_{name}", src)
                self.con.execute(f"CREATE OR REPLACE VIEW {quote_ident(name)} AS SELECT * FROM _arrow_{name}")
            desc = self.con.execute(f"SELECT * FROM {quote_ident(name)} LIMIT 0").description
            cols[name] = {d[0] for d in desc}
        return cols

    def columns(self) -> dict[str, set[str]]:
        return self._cols

    def execute(self, sql: str, params: Sequence[Any] = ()) -> duckdb.DuckDBPyConnection:
        try:
            return self.con.execute(sql, list(params))
        except duckdb.Error as e:
            raise EngineStepError(str(e).splitlines()[0]) from None

    def run(self, steps: Sequence[Step]) -> tuple[list[str], list[tuple]]:
        cur = None
        for name, sql in steps:
            cur = self.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}" if name else sql)
        assert cur is not None and steps[-1][0] is None
        return [d[0] for d in cur.description], cur.fetchall()

    def close(self) -> None:
        self.con.close()


# --------------------------------------------------------------------------------- PostgreSQL
_PG_TYPES = {"date32[day]": "date", "int64": "bigint", "int32": "integer", "string": "text", "large_string": "text",
             "bool": "boolean", "double": "double precision", "float": "real", "list<item: string>": "text[]",
             "large_list<item: string>": "text[]", "timestamp[us]": "timestamp", "timestamp[ns]": "timestamp"}


def _pg_type(t: pa.DataType) -> str:
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return "text[]"
    return _PG_TYPES.get(str(t), "text")


def postgres_url(url: str | None = None) -> str:
    """The PostgreSQL to run on: ``url``, else ``OVERSIGHT_POSTGRES_URL``."""
    found = url or os.environ.get(POSTGRES_URL_ENV)
    if not found:
        raise EngineError(f"no PostgreSQL to run on: set {POSTGRES_URL_ENV} (postgresql://user:password@host/db)")
    return found


class PostgresEngine:
    """PostgreSQL (15+): the tables copied into TEMP tables of one session, SQL transpiled."""

    name = "postgres"
    dialect = "postgres"

    def __init__(self, tables: Mapping[str, TableSource], cal: WorkingDayCalendar, periods: Sequence[tuple],
                 url: str | None = None):
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            raise EngineError("PostgreSQL needs psycopg (pip install 'psycopg[binary]')") from None
        self._psycopg = psycopg
        try:
            self.con = psycopg.connect(postgres_url(url), autocommit=True)
        except psycopg.Error as e:
            raise EngineError(f"cannot connect to PostgreSQL ({str(e).strip().splitlines()[0]})") from None
        try:
            self._cols: dict[str, set[str]] = {}
            for name, src in tables.items():
                self._load(name, src)
            dates, ordinals = calendar_rows(cal)
            self._copy("wd_calendar", ["d", "n"], ["date", "bigint"], zip(dates, ordinals, strict=True))
            self._copy("periods", list(PERIOD_COLUMNS),
                       ["text", "date", "date", "date", "boolean", "bigint", "bigint", "bigint"], periods)
            with self.con.cursor() as cur:  # statistics for the planner, on our temp tables only
                for name in [*self._cols, "wd_calendar", "periods"]:
                    cur.execute(f"ANALYZE pg_temp.{quote_ident(name)}")
        except BaseException:
            self.con.close()
            raise

    def _copy(self, name: str, cols: list[str], types: list[str], rows: Any) -> None:
        with self.con.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS pg_temp.{quote_ident(name)}")
            cur.execute(f"CREATE TEMP TABLE {quote_ident(name)} ("
                        + ", ".join(f"{quote_ident(c)} {t}" for c, t in zip(cols, types, strict=True)) + ")")
            with cur.copy(f"COPY {quote_ident(name)} ({', '.join(quote_ident(c) for c in cols)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)

    def _load(self, name: str, src: TableSource) -> None:
        schema = _schema(name, src)
        table = _arrow(src)
        cols = list(schema.names)
        types = [_pg_type(f.type) for f in schema]
        data = [table.column(c).to_pylist() for c in cols]
        self._copy(name, cols, types, zip(*data, strict=True) if cols else [])
        self._cols[name] = set(cols)

    def columns(self) -> dict[str, set[str]]:
        return self._cols

    def run(self, steps: Sequence[Step]) -> tuple[list[str], list[tuple]]:
        try:
            with self.con.cursor() as cur:
                for name, sql in steps:
                    pg = to_dialect(sql, self.dialect)
                    if name:
                        cur.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
                        cur.execute(f"CREATE TEMP TABLE {name} AS {pg}")
                        cur.execute(f"ANALYZE {name}")
                    else:
                        cur.execute(pg)
                names = [d.name for d in cur.description or []]
                return names, [tuple(r) for r in cur.fetchall()]
        except self._psycopg.Error as e:
            raise EngineStepError(str(e).strip().splitlines()[0]) from None

    def close(self) -> None:
        self.con.close()


# -------------------------------------------------------------------------------------- Spark
_SPARK: Any = None


def spark_session(master: str | None = None) -> Any:
    """The base SparkSession: ``master``, ``OVERSIGHT_SPARK_MASTER``, or ``local[2]``."""
    global _SPARK
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("Spark needs PySpark and Java 17+: pip install 'oversight[spark]'") from None
    if _SPARK is not None and master is None:
        return _SPARK
    builder = (SparkSession.builder.appName("oversight-indicators")
               .master(master or os.environ.get(SPARK_MASTER_ENV) or "local[2]")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", os.environ.get("OVERSIGHT_SPARK_PARTITIONS", "4"))
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    try:
        session = builder.getOrCreate()
    except Exception as e:  # noqa: BLE001 - Java missing, master unreachable…: say so in one line
        raise EngineError(f"cannot start Spark ({str(e).strip().splitlines()[0] if str(e).strip() else e!r})") from None
    session.sparkContext.setLogLevel("ERROR")
    if master is None:
        _SPARK = session
    return session


_SPARK_TYPES = {"date32[day]": "date", "int64": "bigint", "int32": "int", "string": "string",
                "large_string": "string", "bool": "boolean", "double": "double", "float": "float",
                "timestamp[us]": "timestamp", "timestamp[ns]": "timestamp"}


def _spark_ddl(schema: pa.Schema) -> str:
    def typ(t: pa.DataType) -> str:
        if pa.types.is_list(t) or pa.types.is_large_list(t):
            return f"array<{typ(t.value_type)}>"
        return _SPARK_TYPES.get(str(t), "string")

    return ", ".join(f"`{f.name.replace('`', '``')}` {typ(f.type)}" for f in schema)


def _spark_date(d: dt.date) -> str:
    return f"DATE'{d.isoformat()}'"


def _spark_calendar_sql(cal: WorkingDayCalendar, start: dt.date = CALENDAR_START, end: dt.date = CALENDAR_END) -> str:
    """``wd_calendar(d, n)`` built inside Spark from the calendar's holidays: the same running
    working-day count as ``WorkingDayCalendar.register_duckdb`` (only the holidays travel)."""
    base = cal.ordinal(start) - (1 if cal.is_working_day(start) else 0)
    hols = [h for h in cal.holidays if start <= h <= end]
    hol_sql = (f"SELECT explode(array({', '.join(_spark_date(h) for h in hols)})) AS d" if hols
               else "SELECT CAST(NULL AS DATE) AS d")
    return (f"SELECT g.d AS d, CAST({base} + sum(CASE WHEN dayofweek(g.d) BETWEEN 2 AND 6 AND h.d IS NULL "
            f"THEN 1 ELSE 0 END) OVER (ORDER BY g.d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS n "
            f"FROM (SELECT explode(sequence({_spark_date(start)}, {_spark_date(end)}, INTERVAL 1 DAY)) AS d) g "
            f"LEFT JOIN ({hol_sql}) h ON h.d = g.d")


def _spark_periods_sql(periods: Sequence[tuple]) -> str:
    def lit(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, dt.date):
            return _spark_date(v)
        if isinstance(v, int):
            return f"CAST({v} AS BIGINT)"
        return "'" + str(v).replace("\\", "\\\\").replace("'", "\\'") + "'"

    if not periods:
        return ("SELECT CAST(NULL AS STRING) AS month, CAST(NULL AS DATE) AS start, CAST(NULL AS DATE) AS day, "
                "CAST(NULL AS DATE) AS as_at, CAST(NULL AS BOOLEAN) AS last, CAST(NULL AS BIGINT) AS start_wd, "
                "CAST(NULL AS BIGINT) AS day_wd, CAST(NULL AS BIGINT) AS as_at_wd WHERE false")
    values = ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in periods)
    return f"SELECT * FROM VALUES {values} AS periods({', '.join(PERIOD_COLUMNS)})"


class SparkEngine:
    """Spark SQL: each table a temporary view of its own session, SQL transpiled."""

    name = "spark"
    dialect = "spark"

    def __init__(self, tables: Mapping[str, TableSource], cal: WorkingDayCalendar, periods: Sequence[tuple],
                 session: Any = None):
        base = session or spark_session()
        self.spark = base.newSession()  # its own temporary views and SQL settings
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        self.spark.conf.set("spark.sql.shuffle.partitions", os.environ.get("OVERSIGHT_SPARK_PARTITIONS", "4"))
        self._tmp: str | None = None
        self._cols: dict[str, set[str]] = {}
        try:
            for name, src in tables.items():
                schema = _schema(name, src)
                if not isinstance(src, str | Path):
                    self._tmp = self._tmp or tempfile.mkdtemp(prefix="oversight-spark-")
                    path = Path(self._tmp) / f"{name}.parquet"
                    pq.write_table(src, path)
                    src = path
                # the schema from the Parquet footer, so Spark need not run a job to infer it
                self.spark.read.schema(_spark_ddl(schema)).parquet(str(Path(src).resolve())) \
                    .createOrReplaceTempView(name)
                self._cols[name] = set(schema.names)
            self.spark.sql(_spark_calendar_sql(cal)).createOrReplaceTempView("wd_calendar")
            self.spark.sql(_spark_periods_sql(periods)).createOrReplaceTempView("periods")
        except EngineError:
            self.close()
            raise
        except Exception as e:  # noqa: BLE001 - Py4J/analysis errors: one line, not a Java trace
            self.close()
            raise EngineError(f"Spark could not read the dataset ({str(e).strip().splitlines()[0]})") from None

    def columns(self) -> dict[str, set[str]]:
        return self._cols

    def run(self, steps: Sequence[Step]) -> tuple[list[str], list[tuple]]:
        try:
            df = None
            for name, sql in steps:
                df = self.spark.sql(to_dialect(sql, self.dialect))
                if name:
                    df.createOrReplaceTempView(name)
            assert df is not None
            rows = df.collect()
            return list(df.columns), [tuple(r) for r in rows]
        except Exception as e:  # noqa: BLE001 - AnalysisException and friends
            raise EngineStepError(str(e).strip().splitlines()[0]) from None

    def close(self) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def open_engine(engine: str, tables: Mapping[str, TableSource], cal: WorkingDayCalendar,
                periods: Sequence[tuple], options: Mapping[str, Any] | None = None) -> SqlEngine:
    """An engine with the dataset, calendar and periods loaded; ``close()`` it when done.

    ``options``: ``postgres_url`` for PostgreSQL; ``spark_session`` for Spark.
    """
    options = options or {}
    if engine == "duckdb":
        return DuckDBEngine(tables, cal, periods)
    if engine == "postgres":
        return PostgresEngine(tables, cal, periods, url=options.get("postgres_url"))
    if engine == "spark":
        return SparkEngine(tables, cal, periods, session=options.get("spark_session"))
    raise EngineError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
