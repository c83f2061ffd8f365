"""Run the indicator catalogue over a dataset's Parquet tables (DuckDB, PostgreSQL or Spark).

One pass per Annex A table computes every indicator that reads it, for the six months at
once: each row is paired with each month (the ``periods`` table), each indicator becomes
per-row booleans (in the denominator, in the numerator, left out), and grouping sets count
them overall, by team and by worker in one aggregation. That is what keeps a council-sized
workbook well under a second (see ``_Compiled.steps`` and docs/performance.md). The same
steps run on PostgreSQL or Spark after transpiling (``engines.py``, ``dialect.py``), and
``run_catalogue`` returns typed results (``results.py``) whichever engine ran.

Before running, the catalogue's two helpers are rewritten into plain SQL that also
transpiles to other engines (``dialect.to_dialect``):
- ``working_days(a, b)`` becomes ``ordinal(b) - ordinal(a)`` from a joined calendar table;
- ``code(x)`` becomes a column holding x's picklist code computed once per row.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ..calendar import WorkingDayCalendar, calendar_from
from .catalogue import Catalogue, Indicator, TableInfo, load_catalogue
from .dialect import CODE_FUNCTION, code_sql_duckdb
from .engines import (
    DEFAULT_ENGINE,
    DuckDBEngine,
    EngineError,
    EngineStepError,
    SqlEngine,
    Step,
    TableSource,
    open_engine,
    quote_ident,
)
from .results import IndicatorResult, Point, RunResult

MONTHS = 6
NO_TEAM = "(not recorded)"
_WD = re.compile(r"working_days\(\s*([A-Za-z_][\w.]*)\s*,\s*([A-Za-z_][\w.]*)\s*\)")
_CODE = re.compile(r"\bcode\(\s*([A-Za-z_]\w*)\s*\)")
_PERIOD_COLS = {"p.start", "p.day", "p.as_at"}


class IndicatorRunError(RuntimeError):
    """A dataset the indicators cannot be computed from (e.g. a table that cannot be read)."""


@dataclass(frozen=True)
class Period:
    month: str  # "2019-08"
    start: dt.date
    day: dt.date  # month end, or R in R's month
    last: bool


def months_for(as_at: dt.date, count: int = MONTHS) -> list[Period]:
    """The ``count`` calendar months ending with R's month; the last one ends at R."""
    out: list[Period] = []
    y, m = as_at.year, as_at.month
    for back in range(count - 1, -1, -1):
        yy, mm = divmod((y * 12 + m - 1) - back, 12)
        mm += 1
        start = dt.date(yy, mm, 1)
        end = dt.date(yy, mm, _cal.monthrange(yy, mm)[1])
        out.append(Period(f"{yy:04d}-{mm:02d}", start, min(end, as_at), back == 0))
    return out


def fmt_value(unit: str, n: int | float | None, d: int | None) -> float | int | None:
    """Value shown for a point: count = n; percent = 100n/d to 1 dp; days = n/d to 1 dp."""
    if unit == "count":
        return n
    if not d or n is None:
        return None
    q = Decimal(int(n)) * (100 if unit == "percent" else 1) / Decimal(int(d))
    return float(q.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- SQL building
@dataclass
class _TablePlan:
    info: TableInfo
    indicators: list[Indicator]
    columns: set[str]


_quote_ident = quote_ident


def _marker_code_sql(col: str) -> str:
    """``code(col)`` left as a marker that ``dialect.to_dialect`` expands per engine."""
    return f"{CODE_FUNCTION}({col})"


def _rewrite(sql: str, wd_cols: set[str], code_cols: set[str]) -> str:
    """Replace the catalogue helpers with plain SQL on precomputed base columns."""

    def wd(arg: str) -> str:
        if arg in _PERIOD_COLS:
            return f"{arg}_wd"
        if "." in arg:
            raise IndicatorRunError(f"working_days() argument {arg!r} must be a column or p.start/p.day/p.as_at")
        wd_cols.add(arg)
        return f"_wd_{arg}"

    def code(m: re.Match) -> str:
        code_cols.add(m.group(1))
        return f"_c_{m.group(1)}"

    sql = _WD.sub(lambda m: f"({wd(m.group(2))} - {wd(m.group(1))})", sql)
    return _CODE.sub(code, sql)


class _Compiled:
    """The SQL for one table: its base rows plus one (cohort, numerator) pair per indicator."""

    def __init__(self, plan: _TablePlan, has_invalid: bool, child_col: str | None,
                 code_sql: Callable[[str], str] = code_sql_duckdb, council_col: str | None = None):
        self.plan = plan
        # A pool: counts per council as well as for the whole pool (engine/pools/indicators.py).
        self.council_col = council_col
        wd_cols: set[str] = set()
        code_cols: set[str] = set()
        self.cohort: dict[str, str] = {}
        self.numerator: dict[str, str | None] = {}
        for ind in plan.indicators:
            self.cohort[ind.id] = _rewrite(ind.cohort, wd_cols, code_cols)
            self.numerator[ind.id] = _rewrite(ind.numerator, wd_cols, code_cols) if ind.numerator else None
        needs_sets = sorted({tuple(sorted(i.needs)) for i in plan.indicators})
        self.ok_col = {i.id: f"_ok_{needs_sets.index(tuple(sorted(i.needs)))}" for i in plan.indicators}
        cols = sorted({c for i in plan.indicators for c in i.needs})
        info = plan.info
        sel = ["t._row AS _row" if "_row" in plan.columns else "NULL AS _row"]
        if child_col and council_col:  # a child is distinct within its council (IDs are per council)
            sel.append(f"t.{_quote_ident(council_col)} || ':' || t.{_quote_ident(child_col)} AS child_id")
        else:
            sel.append(f"t.{_quote_ident(child_col)} AS child_id" if child_col else "NULL AS child_id")
        if council_col:
            sel.append(f"t.{_quote_ident(council_col)} AS _council")
        for kind, col in (("_team", info.team), ("_worker", info.worker)):
            if col and col in plan.columns:
                sel.append(f"coalesce(nullif(trim(CAST(t.{_quote_ident(col)} AS VARCHAR)), ''), '{NO_TEAM}') AS {kind}")
            else:
                sel.append(f"NULL AS {kind}")
        sel += [f"t.{_quote_ident(c)} AS {_quote_ident(c)}" for c in cols if c != "child_id"]
        sel += [f"{code_sql('t.' + _quote_ident(c))} AS _c_{c}" for c in sorted(code_cols)]
        sel += [f"k_{c}.n AS _wd_{c}" for c in sorted(wd_cols)]
        sel.append("t._invalid AS _invalid" if has_invalid else "CAST(NULL AS VARCHAR[]) AS _invalid")
        for k, needs in enumerate(needs_sets):
            # list_contains chained with OR (not list_has_any): it transpiles to Spark, Trino and PostgreSQL.
            hit = " OR ".join(f"list_contains(t._invalid, '{n}')" for n in needs)
            sel.append(f"NOT coalesce({hit}, false) AS _ok_{k}" if has_invalid else f"true AS _ok_{k}")
        joins = [f"LEFT JOIN wd_calendar k_{c} ON k_{c}.d = t.{_quote_ident(c)}" for c in sorted(wd_cols)]
        self.base = (f"SELECT {', '.join(sel)} FROM {_quote_ident(info.name)} t " + " ".join(joins)).strip()
        self.has_team = bool(info.team and info.team in plan.columns)
        self.has_worker = bool(info.worker and info.worker in plan.columns)

    def filters(self, ind: Indicator) -> tuple[str, str | None]:
        """(denominator/cohort filter, numerator filter or value) for one indicator."""
        cohort = f"{self.ok_col[ind.id]} AND ({self.cohort[ind.id]})"
        if ind.period_type == "extract":
            cohort = f"p.last AND {cohort}"
        return cohort, self.numerator[ind.id]

    def statements(self, by_worker: bool) -> list[str]:
        """The SQL run for this table on DuckDB, in order; the last one returns the figures."""
        return [f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}" if name else sql
                for name, sql in self.steps(by_worker)]

    def steps(self, by_worker: bool) -> list[Step]:
        """The SQL for this table as named steps (DuckDB dialect); the last returns the figures.

        1. ``_b``: the base rows (needed columns, picklist codes, working-day ordinals, validity);
        2. ``_f``: each row × month with one boolean per indicator (in the denominator, in the
           numerator, left out) — every catalogue expression appears once, which keeps
           DuckDB's planning time small;
        3. the counts by month, overall / by team / by worker, from grouping sets. Indicators
           that count distinct children go through a first grouping by child, so a child with
           two rows is counted once without ``count(DISTINCT …)`` (slow with grouping sets).
        """
        council = self.council_col is not None
        flags = ["p.month AS month", "_team", "_worker", "child_id"] + (["_council"] if council else [])
        for ind in self.plan.indicators:
            cohort, num = self.filters(ind)
            flags.append(f"coalesce({cohort}, false) AS {_quote_ident('d_' + ind.id)}")
            if ind.unit == "percent":
                flags.append(f"coalesce(({cohort}) AND ({num}), false) AS {_quote_ident('n_' + ind.id)}")
            elif ind.unit == "days":
                flags.append(f"CASE WHEN {cohort} THEN {num} END AS {_quote_ident('n_' + ind.id)}")
            flags.append(f"(p.last AND NOT {self.ok_col[ind.id]}) AS {_quote_ident('x_' + ind.id)}")
        only_last = all(i.period_type == "extract" for i in self.plan.indicators)
        make_f = (f"SELECT {', '.join(flags)} FROM _b CROSS JOIN periods p"
                  + (" WHERE p.last" if only_last else ""))

        team = self.has_team
        worker = self.has_worker and by_worker
        sets = ["(month{c})"] + (["(month, _team{c})"] if team else []) + (["(month, _worker{c})"] if worker else [])
        heads_g = [f"{'grouping(_team)' if team else '1'} AS g_team", "_team" if team else "NULL AS _team",
                   f"{'grouping(_worker)' if worker else '1'} AS g_worker", "_worker" if worker else "NULL AS _worker"]
        group_cols = "g_team, _team, g_worker, _worker"
        if council:  # the whole pool, then every set again per council
            sets = ["(month{c})"] + [x.replace("(month", "(month, _council") for x in sets]
            heads_g += ["grouping(_council) AS g_council", "_council"]
            group_cols += ", g_council, _council"
        distinct = any(i.distinct for i in self.plan.indicators)
        if not distinct:
            aggs = []
            for ind in self.plan.indicators:
                aggs.append(f"count(*) FILTER (WHERE d_{ind.id}) AS d_{ind.id}")
                if ind.unit == "percent":
                    aggs.append(f"count(*) FILTER (WHERE n_{ind.id}) AS n_{ind.id}")
                elif ind.unit == "days":
                    aggs.append(f"sum(n_{ind.id}) AS n_{ind.id}")
                aggs.append(f"count(*) FILTER (WHERE x_{ind.id}) AS x_{ind.id}")
            query = (f"SELECT month, {', '.join(heads_g)}, {', '.join(aggs)} FROM _f "
                     f"GROUP BY GROUPING SETS ({', '.join(x.format(c='') for x in sets)})")
        else:
            inner, outer = [], []
            for ind in self.plan.indicators:
                cols = ["d", "x"] + (["n"] if ind.unit != "count" else [])
                for c in cols:
                    col = f"{c}_{ind.id}"
                    if c == "n" and ind.unit == "days":
                        inner.append(f"sum({col}) AS {col}")
                        outer.append(f"sum({col}) AS {col}")
                    elif ind.distinct and c != "x":
                        inner.append(f"CAST(bool_or({col}) AS INTEGER) AS {col}")
                        outer.append(f"coalesce(sum({col}) FILTER (WHERE child_id IS NOT NULL), 0) AS {col}")
                    else:
                        inner.append(f"count(*) FILTER (WHERE {col}) AS {col}")
                        outer.append(f"sum({col}) AS {col}")
            by_child = (f"SELECT month, child_id, {', '.join(heads_g)}, {', '.join(inner)} FROM _f "
                        f"GROUP BY GROUPING SETS ({', '.join(x.format(c=', child_id') for x in sets)})")
            # the alias: PostgreSQL 15 refuses a subquery in FROM without one
            query = (f"SELECT month, {group_cols}, {', '.join(outer)} FROM ({by_child}) _g "
                     f"GROUP BY month, {group_cols}")
        return [("_b", self.base), ("_f", make_f), (None, query)]


# ------------------------------------------------------------------------------ connection
def _period_rows(cal: WorkingDayCalendar, as_at: dt.date) -> tuple[list[Period], list[tuple]]:
    """The six months and the ``periods`` table's rows (with working-day ordinals)."""
    periods = months_for(as_at)
    rows = [(p.month, p.start, p.day, as_at, p.last, cal.ordinal(p.start), cal.ordinal(p.day), cal.ordinal(as_at))
            for p in periods]
    return periods, rows


def _plans(cat: Catalogue, cols: Mapping[str, set[str]], wanted: Iterable[Indicator]
           ) -> tuple[dict[str, _TablePlan], dict[str, str]]:
    """Group runnable indicators by table; say why each of the others cannot run."""
    plans: dict[str, _TablePlan] = {}
    unavailable: dict[str, str] = {}
    for ind in wanted:
        if ind.table not in cols:
            unavailable[ind.id] = f"list '{ind.table}' is not in the dataset"
            continue
        missing = [c for c in ind.needs if c not in cols[ind.table]]
        if missing:
            unavailable[ind.id] = f"table '{ind.table}' has no column(s) {', '.join(missing)}"
            continue
        plan = plans.setdefault(ind.table, _TablePlan(cat.tables[ind.table], [], cols[ind.table]))
        plan.indicators.append(ind)
    return plans, unavailable


def _open(engine: str, tables: Mapping[str, TableSource], as_at: dt.date, cal: WorkingDayCalendar,
          options: Mapping[str, Any] | None = None) -> tuple[SqlEngine, list[Period]]:
    periods, rows = _period_rows(cal, as_at)
    try:
        return open_engine(engine, tables, cal, rows, options), periods
    except EngineError as e:
        raise IndicatorRunError(str(e)) from None


def _connect(tables: Mapping[str, TableSource], as_at: dt.date, cal: WorkingDayCalendar
             ) -> tuple[DuckDBEngine, dict[str, set[str]], list[Period]]:
    db, periods = _open("duckdb", tables, as_at, cal)
    assert isinstance(db, DuckDBEngine)
    return db, db.columns(), periods


# ------------------------------------------------------------------------------ public API
def run_catalogue(dataset_tables: Mapping[str, TableSource], as_at: dt.date,
                  calendar: WorkingDayCalendar | str | Path | None = None, by_worker: bool = False,
                  catalogue: Catalogue | None = None, only: Iterable[str] | None = None,
                  engine: str = DEFAULT_ENGINE, engine_options: Mapping[str, Any] | None = None) -> RunResult:
    """Every indicator for the six months ending at ``as_at``, as a typed ``RunResult``.

    ``dataset_tables`` maps table name (``contacts``, ``cla``…) to its Parquet file (or an
    Arrow table). ``engine`` is ``duckdb`` (in-process, the default), ``postgres`` or
    ``spark``; the SQL is the same catalogue, transpiled, and the result is the same type and
    the same numbers whichever ran (``engines.py``, tested in tests/engine/test_engines_*).
    Indicators whose list is absent still appear, with null figures and the reason.
    """
    cat = catalogue or load_catalogue()
    cal = calendar_from(calendar)
    wanted = [cat[i] for i in only] if only is not None else list(cat)
    db, periods = _open(engine, dataset_tables, as_at, cal, engine_options)
    code_sql = code_sql_duckdb if engine == "duckdb" else _marker_code_sql
    try:
        plans, unavailable = _plans(cat, db.columns(), wanted)
        raw: dict[str, list[tuple]] = {}
        names: dict[str, list[str]] = {}
        for table, plan in plans.items():
            compiled = _Compiled(plan, "_invalid" in plan.columns, "child_id" if "child_id" in plan.columns else None,
                                 code_sql=code_sql)
            try:
                names[table], raw[table] = db.run(compiled.steps(by_worker))
            except EngineStepError as e:
                raise IndicatorRunError(f"table {table!r}: indicator SQL failed on {engine} ({e})") from None
    finally:
        db.close()

    out = []
    for ind in wanted:
        if ind.id in unavailable:
            out.append(_unavailable(ind, cat, periods, unavailable[ind.id]))
        else:
            out.append(_assemble(ind, cat, periods, names[ind.table], raw[ind.table], by_worker))
    return RunResult(as_at=as_at, calendar=cal.describe(), settings=dict(cat.params), indicators=tuple(out),
                     engine=engine)


def compute(dataset_tables: Mapping[str, TableSource], as_at: dt.date,
            calendar: WorkingDayCalendar | str | Path | None = None, by_worker: bool = False,
            catalogue: Catalogue | None = None, only: Iterable[str] | None = None,
            engine: str = DEFAULT_ENGINE, engine_options: Mapping[str, Any] | None = None) -> dict:
    """``run_catalogue(...)`` in INDICATORS.md's JSON shape (``RunResult.as_json``): for the
    command line's output and for callers written before results were typed."""
    return run_catalogue(dataset_tables, as_at, calendar=calendar, by_worker=by_worker, catalogue=catalogue,
                         only=only, engine=engine, engine_options=engine_options).as_json()


def _months_of(ind: Indicator, periods: list[Period]) -> list[Period]:
    return [p for p in periods if p.last or ind.period_type != "extract"]


def _point(ind: Indicator, month: dt.date, n: Any, d: Any) -> Point:
    n = int(n) if n is not None else 0
    if ind.unit == "count":
        return Point(month, n, None, n)
    d = int(d) if d is not None else 0
    return Point(month, n, d, fmt_value(ind.unit, n, d))


def _header(ind: Indicator) -> dict[str, Any]:
    return {"id": ind.id, "name": ind.name, "unit": ind.unit, "polarity": ind.polarity,
            "period_type": ind.period_type, "theme": ind.theme, "lists": tuple(ind.lists)}


def _unavailable(ind: Indicator, cat: Catalogue, periods: list[Period], why: str) -> IndicatorResult:
    series = tuple(Point(p.start, None, None, None) for p in _months_of(ind, periods))
    return IndicatorResult(**_header(ind), series=series, by_team={} if cat.tables[ind.table].team else None,
                           rows_excluded=0, unavailable=why)


def _assemble(ind: Indicator, cat: Catalogue, periods: list[Period], names: list[str],
              rows: list[tuple], by_worker: bool) -> IndicatorResult:
    ix = {n: i for i, n in enumerate(names)}
    di, ni, xi = ix[f"d_{ind.id}"], ix.get(f"n_{ind.id}"), ix[f"x_{ind.id}"]
    months = _months_of(ind, periods)
    overall: dict[str, tuple] = {}
    groups: dict[str, dict[str, dict[str, tuple]]] = {"team": {}, "worker": {}}
    excluded = 0
    last_month = periods[-1].month
    for r in rows:
        month = r[ix["month"]]
        nd = (r[ni] if ni is not None else r[di], r[di])
        if r[ix["g_team"]] and r[ix["g_worker"]]:
            overall[month] = nd
            if month == last_month:
                excluded = int(r[xi] or 0)
        elif not r[ix["g_team"]]:
            groups["team"].setdefault(r[ix["_team"]], {})[month] = nd
        else:
            groups["worker"].setdefault(r[ix["_worker"]], {})[month] = nd
    series = tuple(_point(ind, p.start, *overall.get(p.month, (0, 0))) for p in months)

    def breakdown(kind: str) -> dict[str, tuple[Point, ...]]:
        res = {}
        for key in sorted(groups[kind], key=lambda k: (k == NO_TEAM, str(k).lower())):
            by_month = groups[kind][key]
            if not any((by_month.get(p.month, (0, 0))[1] or 0) for p in months):
                continue  # in the list, but never in this indicator's cohort
            res[key] = tuple(_point(ind, p.start, *by_month.get(p.month, (0, 0))) for p in months)
        return res

    info = cat.tables[ind.table]
    return IndicatorResult(**_header(ind), series=series,
                           by_team=breakdown("team") if info.team else None,
                           by_worker=breakdown("worker") if by_worker and info.worker else None,
                           rows_excluded=excluded)


# ---------------------------------------------------------------------- child-level rows
@dataclass
class ChildRows:
    columns: list[str]
    rows: list[tuple]


def child_rows(dataset_tables: Mapping[str, TableSource], as_at: dt.date, indicator_id: str, month: str | None,
               part: str = "denominator", team: str | None = None, worker: str | None = None,
               calendar: WorkingDayCalendar | str | Path | None = None,
               catalogue: Catalogue | None = None, limit: int | None = None) -> ChildRows:
    """The rows behind one number: ``part`` is ``denominator`` (the cohort, or the counted rows),
    ``numerator`` (percent only) or ``excluded`` (rows left out for invalid values).

    Read from the dataset's Parquet with the indicator's own filters, so the rows always
    add up to the stored figure (before distinct-child counting, where the indicator uses it).
    """
    if part not in ("denominator", "numerator", "excluded"):
        raise ValueError(f"part must be denominator, numerator or excluded, not {part!r}")
    cat = catalogue or load_catalogue()
    ind = cat[indicator_id]
    cal = calendar_from(calendar)
    con, cols, periods = _connect(dataset_tables, as_at, cal)
    try:
        plans, unavailable = _plans(cat, cols, [ind])
        if ind.id in unavailable:
            return ChildRows(["note"], [(unavailable[ind.id],)])
        plan = plans[ind.table]
        comp = _Compiled(plan, "_invalid" in plan.columns, "child_id" if "child_id" in plan.columns else None)
        cohort, num = comp.filters(ind)
        shown = ["_row AS row", "child_id"]
        if comp.has_team:
            shown.append("_team AS allocated_team")
        if comp.has_worker:
            shown.append("_worker AS allocated_worker")
        shown += [_quote_ident(c) for c in ind.needs if c != "child_id"]
        params: list[Any] = []
        if part == "excluded":
            where = [f"p.last AND NOT {comp.ok_col[ind.id]}"]
            shown.append("_invalid AS invalid_columns")
        else:
            month = month or periods[-1].month
            where = ["p.month = ?", cohort]
            params.append(month)
            if ind.unit == "days":
                shown.append(f"({num}) AS days")
            elif part == "numerator":
                if ind.unit != "percent":
                    raise ValueError("a count has no numerator rows; ask for the denominator")
                where.append(f"({num})")
        if team is not None and comp.has_team:
            where.append("_team = ?")
            params.append(team)
        if worker is not None and comp.has_worker:
            where.append("_worker = ?")
            params.append(worker)
        sql = (f"WITH base AS ({comp.base}) SELECT {', '.join(shown)} FROM base CROSS JOIN periods p "
               f"WHERE {' AND '.join(where)} ORDER BY _row" + (f" LIMIT {int(limit)}" if limit else ""))
        cur = con.execute(sql, params)
        return ChildRows([d[0] for d in cur.description], cur.fetchall())
    finally:
        con.close()


def compiled_sql(catalogue: Catalogue | None = None) -> dict[str, list[str]]:
    """Each table's statements as run (for docs, review and transpiling tests)."""
    cat = catalogue or load_catalogue()
    out = {}
    for table, info in cat.tables.items():
        inds = [i for i in cat if i.table == table]
        if not inds:
            continue
        columns = {c for i in inds for c in i.needs} | {"_row", "_invalid", "child_id"}
        columns |= {c for c in (info.team, info.worker) if c}
        out[table] = _Compiled(_TablePlan(info, inds, columns), True, "child_id").statements(by_worker=True)
    return out


def flatten(result: Mapping | RunResult) -> list[dict]:
    """One row per indicator × breakdown × month, for CSV export and the database."""
    if isinstance(result, RunResult):
        result = result.as_json()
    rows = []
    for ind in result["indicators"]:
        groups = [("overall", "", ind["series"])]
        for kind in ("team", "worker"):
            for key, series in (ind.get(f"by_{kind}") or {}).items():
                groups.append((kind, key, series))
        for kind, key, series in groups:
            for pt in series:
                rows.append({"indicator": ind["id"], "name": ind["name"], "unit": ind["unit"],
                             "polarity": ind["polarity"], "period_type": ind["period_type"],
                             "breakdown": kind, "breakdown_value": key, "month": pt["month"],
                             "numerator": pt["numerator"], "denominator": pt["denominator"],
                             "value": pt["value"]})
    return rows
