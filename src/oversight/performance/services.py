"""Compute and store indicator aggregates, and assemble the scorecard around each number.

Views, the JSON twin, CSV/XLSX downloads and the command line all read the scorecard from
here, so a number is computed in one place (never in a template): value, target in force,
RAG, direction of travel, SPC signals and benchmarks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from oversight.engine.calendar import WorkingDayCalendar, calendar_from
from oversight.engine.indicators import Indicator, compute, load_catalogue
from oversight.engine.indicators.rag import NONE, Direction, TargetBand, direction_of_travel, rag, target_for
from oversight.engine.indicators.spc import SpcResult, xmr

from .models import Benchmark, Commentary, IndicatorRun, IndicatorValue, Target

UNIT_SUFFIX = {"percent": "%", "days": " days", "count": "", "number": ""}


def configured_calendar() -> WorkingDayCalendar:
    """The council's calendar: ``OVERSIGHT_CALENDAR`` (a YAML file) or England & Wales."""
    return calendar_from(getattr(settings, "OVERSIGHT_CALENDAR", None) or None)


def configured_catalogue():
    """The catalogue with the council's settings (``OVERSIGHT_INDICATOR_SETTINGS``)."""
    return load_catalogue(getattr(settings, "OVERSIGHT_INDICATOR_SETTINGS", None) or None)


def month_date(month: str) -> dt.date:
    return dt.date.fromisoformat(f"{month}-01")


def month_end(month: str) -> dt.date:
    first = month_date(month)
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def fmt(value: float | int | None, unit: str) -> str:
    """A value as shown on the page and in reports: 75.0%, 160.7 days, 12; a dash when none."""
    if value is None:
        return "–"
    if unit == "count":
        return f"{int(value):,}"
    if unit == "number" and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}{UNIT_SUFFIX.get(unit, '')}"


# ------------------------------------------------------------------------------ computing
def dataset_tables(dataset) -> tuple[dict[str, Path], dt.date]:
    """Parquet paths and as-at date of a stored dataset (a ``datasets.Dataset``)."""
    from oversight.engine.annex_a import open_dataset  # the loader's API

    folder = getattr(dataset, "folder", None) or Path(dataset.path)  # relative paths live under DATA_DIR
    info = open_dataset(Path(folder))
    return dict(info.tables), dataset.as_at


@transaction.atomic
def store_result(result: Mapping[str, Any], dataset=None, source: str = "") -> IndicatorRun:
    """Save a ``compute`` result as aggregates: one row per indicator × month × breakdown.

    ``result`` is the JSON-shaped dict or a typed ``RunResult`` (any engine); both store alike.
    """
    if hasattr(result, "as_json"):
        result = result.as_json()
    run = IndicatorRun.objects.create(
        dataset=dataset, source=source[:300], as_at=dt.date.fromisoformat(result["as_at"]),
        calendar=result.get("calendar", "")[:300], settings=result.get("settings", {}),
        data_quality={i["id"]: i["data_quality"] for i in result["indicators"]},
    )
    values = []
    for ind in result["indicators"]:
        groups = [(IndicatorValue.OVERALL, "", ind["series"])]
        groups += [(IndicatorValue.TEAM, k, s) for k, s in (ind.get("by_team") or {}).items()]
        groups += [(IndicatorValue.WORKER, k, s) for k, s in (ind.get("by_worker") or {}).items()]
        for kind, key, series in groups:
            for p in series:
                values.append(IndicatorValue(
                    run=run, indicator=ind["id"], month=month_date(p["month"]), breakdown=kind,
                    breakdown_value=key[:200], numerator=p["numerator"], denominator=p["denominator"],
                    value=p["value"]))
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return run


def compute_and_store(dataset, calendar: WorkingDayCalendar | None = None) -> IndicatorRun:
    """Compute every indicator (with team and worker breakdowns) for a stored dataset and save it."""
    tables, as_at = dataset_tables(dataset)
    result = compute(tables, as_at, calendar=calendar or configured_calendar(), by_worker=True,
                     catalogue=configured_catalogue())
    return store_result(result, dataset=dataset, source=str(getattr(dataset, "source_name", "") or dataset.pk))


# ------------------------------------------------------------------------------ scorecard
@dataclass
class Row:
    """One scorecard row: everything shown around one number."""

    indicator: Indicator
    months: list[str]
    points: list[dict]
    target: TargetBand | None
    rag: str
    direction: Direction
    spc: SpcResult
    benchmarks: dict[str, Benchmark]
    data_quality: dict
    history: list[dict] = field(default_factory=list)
    comment: Commentary | None = None
    ref: str = ""  # the programme's reference for a local measure ("1.2.1")

    @property
    def current(self) -> dict:
        return self.points[-1] if self.points else {"month": "", "numerator": None, "denominator": None,
                                                    "value": None}

    @property
    def values(self) -> list[float | None]:
        return [p["value"] for p in self.points]

    def show(self, value: float | None) -> str:
        return fmt(value, self.indicator.unit)

    @property
    def period_label(self) -> str:
        """"Snapshot", "YTD", "Rolling 12 months" … as the board report's Period column says it."""
        from .local import PERIOD_LABELS

        pt = self.indicator.period_type
        return PERIOD_LABELS.get(pt, pt.capitalize())

    # Display strings for templates (a template never formats or computes a number).
    @property
    def cells(self) -> list[str]:
        return [self.show(v) for v in self.values]

    @property
    def current_text(self) -> str:
        return self.show(self.current["value"])

    @property
    def target_texts(self) -> tuple[str, str]:
        t = self.target
        if t is None:
            return "", ""
        return (self.show(t.minimum) if t.minimum is not None else "",
                self.show(t.upper) if t.upper is not None else "")

    @property
    def benchmark_cells(self) -> list[str]:
        out = []
        for lvl in (Benchmark.NATIONAL, Benchmark.REGIONAL, Benchmark.STAT_NEIGHBOURS):
            b = self.benchmarks.get(lvl)
            out.append(f"{self.show(b.value)} ({b.time_period})" if b else "")
        return out

    def as_dict(self) -> dict:
        t = self.target
        return {
            "id": self.indicator.id, "ref": self.ref, "name": self.indicator.name, "theme": self.indicator.theme,
            "local": self.indicator.id.startswith("local-"),
            "unit": self.indicator.unit, "polarity": self.indicator.polarity,
            "period_type": self.indicator.period_type,
            "series": self.points, "current": self.current,
            "target": None if t is None else {"minimum": t.minimum, "upper": t.upper,
                                              "due": t.due.isoformat() if t.due else None, "label": t.label},
            "rag": self.rag,
            "direction": {"arrow": self.direction.arrow, "judgement": self.direction.judgement},
            "spc": {"variation": self.spc.variation, "assurance": self.spc.assurance, "mean": self.spc.mean,
                    "ucl": self.spc.ucl, "lcl": self.spc.lcl, "points": len(self.history)},
            "benchmarks": {lvl: {"value": b.value, "time_period": b.time_period, "area": b.area_name,
                                 "quartile": b.quartile or None, "rank": b.rank}
                           for lvl, b in self.benchmarks.items()},
            "data_quality": self.data_quality,
            "commentary": None if self.comment is None else {
                "month": f"{self.comment.month:%Y-%m}", "text": self.comment.text,
                "author": self.comment.author.get_username(), "at": self.comment.created_at.isoformat()},
        }


@dataclass
class ThemeGroup:
    key: str
    name: str
    rows: list[Row]
    theme_id: int | None = None  # the plan theme a programme's own group reports under
    theme_title: str = ""


def live_runs():
    """Runs whose figures are live: from a *published* dataset (preview, superseded and withdrawn
    datasets are computed but never shown as the programme's figures), or from a file computed
    without a dataset (``oversight indicators compute --store``)."""
    from django.db.models import Q

    return IndicatorRun.objects.filter(Q(dataset__isnull=True) | Q(dataset__status="published"))


def latest_run() -> IndicatorRun | None:
    return live_runs().order_by("-as_at", "-computed_at").first()


def targets_by_indicator(ids: Iterable[str] | None = None) -> dict[str, list[TargetBand]]:
    qs = Target.objects.all() if ids is None else Target.objects.filter(indicator__in=list(ids))
    out: dict[str, list[TargetBand]] = defaultdict(list)
    for t in qs:
        out[t.indicator].append(TargetBand(t.minimum, t.upper, t.due, t.label))
    return out


def latest_benchmarks(ids: Iterable[str] | None = None) -> dict[str, dict[str, Benchmark]]:
    """Per indicator and level, the benchmark from the latest year (first area by name)."""
    qs = Benchmark.objects.exclude(level=Benchmark.LOCAL_AUTHORITY).order_by("indicator", "level", "-year",
                                                                              "area_name")
    if ids is not None:
        qs = qs.filter(indicator__in=list(ids))
    out: dict[str, dict[str, Benchmark]] = defaultdict(dict)
    for b in qs:
        out[b.indicator].setdefault(b.level, b)
    return out


def overall_history(run: IndicatorRun, ids: Iterable[str] | None = None) -> dict[str, dict[str, dict]]:
    """indicator → month → point, from every run as at or before ``run`` (later runs win, ``run`` last).

    Extract indicators have one point per run, so their trend builds up from earlier runs.
    """
    qs = (IndicatorValue.objects.filter(breakdown=IndicatorValue.OVERALL, run__as_at__lte=run.as_at)
          .filter(run__in=live_runs() | IndicatorRun.objects.filter(pk=run.pk))
          .select_related(None).values_list("run_id", "run__computed_at", "indicator", "month", "numerator",
                                            "denominator", "value"))
    if ids is not None:
        qs = qs.filter(indicator__in=list(ids))
    rows = sorted(qs, key=lambda r: (r[0] == run.pk, r[1], r[0]))
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for _run_id, _at, ind, month, n, d, v in rows:
        if v is None and n is None:
            continue  # an unavailable figure never hides a known one from another run
        out[ind][f"{month:%Y-%m}"] = {"month": f"{month:%Y-%m}", "numerator": n, "denominator": d, "value": v}
    return out


def run_months(run: IndicatorRun) -> list[str]:
    from oversight.engine.indicators import months_for

    return [p.month for p in months_for(run.as_at)]


def build_row(ind: Indicator, run: IndicatorRun | None, months: list[str], history: Mapping[str, dict],
              targets: list[TargetBand], benchmarks: dict[str, Benchmark]) -> Row:
    """Everything around one number. ``run`` is None for a local measure (or before any data)."""
    points = [history.get(m) or {"month": m, "numerator": None, "denominator": None, "value": None} for m in months]
    upto = [history[m] for m in sorted(history) if m <= months[-1]]
    target = target_for(month_end(months[-1]), targets)
    current = points[-1]["value"]
    spc = xmr([p["value"] for p in upto], ind.polarity, target.threshold(ind.polarity) if target else None)
    return Row(
        indicator=ind, months=months, points=points, target=target,
        rag=rag(current, target.minimum, target.upper, ind.polarity) if target else NONE,
        direction=direction_of_travel([p["value"] for p in points], ind.polarity),
        spc=spc, benchmarks=benchmarks, data_quality=run.data_quality.get(ind.id, {}) if run else {},
        history=upto,
    )


def scorecard(run: IndicatorRun) -> list[ThemeGroup]:
    """The scorecard for a run, grouped by theme in catalogue order."""
    cat = load_catalogue()
    months = run_months(run)
    history = overall_history(run)
    targets = targets_by_indicator()
    benchmarks = latest_benchmarks()
    comments: dict[str, Commentary] = {}
    for c in Commentary.objects.filter(month=month_date(months[-1])).select_related("author"):
        comments.setdefault(c.indicator, c)  # newest first (model ordering)
    groups: dict[str, ThemeGroup] = {k: ThemeGroup(k, name, []) for k, name in cat.themes.items()}
    for ind in cat:
        row = build_row(ind, run, months, history.get(ind.id, {}), targets.get(ind.id, []),
                        benchmarks.get(ind.id, {}))
        row.comment = comments.get(ind.id)
        groups[ind.theme].rows.append(row)
    return [g for g in groups.values() if g.rows]


def scorecard_json(run: IndicatorRun) -> dict:
    return {"as_at": run.as_at.isoformat(), "run": run.pk, "computed_at": run.computed_at.isoformat(),
            "calendar": run.calendar, "months": run_months(run),
            "themes": [{"theme": g.key, "name": g.name, "indicators": [r.as_dict() for r in g.rows]}
                       for g in scorecard(run)]}


def breakdown_table(run: IndicatorRun, indicator_id: str, kind: str) -> tuple[list[str], dict[str, list[dict]]]:
    """Months and, per team (or worker), the month-by-month points of one run."""
    months = run_months(run)
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for v in IndicatorValue.objects.filter(run=run, indicator=indicator_id, breakdown=kind):
        out[v.breakdown_value][f"{v.month:%Y-%m}"] = {"month": f"{v.month:%Y-%m}", "numerator": v.numerator,
                                                      "denominator": v.denominator, "value": v.value}
    shown = [m for m in months if any(m in pts for pts in out.values())] or months
    return shown, {k: [pts.get(m, {"month": m, "numerator": None, "denominator": None, "value": None})
                       for m in shown] for k, pts in sorted(out.items(), key=lambda kv: kv[0].lower())}


def commentary_for(indicator_id: str) -> list[Commentary]:
    return list(Commentary.objects.filter(indicator=indicator_id).select_related("author"))


# ------------------------------------------------------------------------------ the programme's scorecard
def period_months(as_at: dt.date) -> list[str]:
    """The six months ending with the reporting period's month (seed 001: Aug 19 … Jan 20)."""
    from oversight.engine.indicators import months_for

    return [p.month for p in months_for(as_at)]


def run_for(as_at: dt.date) -> IndicatorRun | None:
    """The run a reporting period shows: the live run when it is as at or before the period's end,
    else the latest earlier run (a board looking back at November sees November's figures).

    Only live runs (``live_runs``: published datasets) are ever chosen.
    """
    return live_runs().filter(as_at__lte=as_at).order_by("-as_at", "-computed_at").first()


def local_indicators(programme) -> dict[str, tuple[Any, Indicator]]:
    """indicator id → (LocalMeasure, its catalogue-shaped Indicator), for one programme."""
    from .local import as_indicator

    if programme is None:
        return {}
    return {m.indicator_id: (m, as_indicator(m)) for m in programme.local_measures.all()}


def indicator_for(indicator_id: str, programme=None) -> tuple[Indicator, Any]:
    """The Indicator for a catalogue id or ``local-<code>`` (with its LocalMeasure, else None).

    Raises ``CatalogueError`` for an id that is neither.
    """
    from oversight.engine.indicators import CatalogueError

    from .local import as_indicator, is_local, local_measure

    if is_local(indicator_id):
        measure = local_measure(programme, indicator_id)
        if measure is None:
            raise CatalogueError(f"no local measure with id {indicator_id!r}")
        return as_indicator(measure), measure
    return configured_catalogue()[indicator_id], None


def programme_history(run: IndicatorRun | None, ids: Iterable[str], locals_: Mapping[str, tuple]) -> dict:
    """indicator → month → point, catalogue figures from the runs and local ones from their values."""
    from .local import local_history

    ids = list(ids)
    out: dict[str, dict[str, dict]] = {}
    catalogue_ids = [i for i in ids if i not in locals_]
    if run is not None and catalogue_ids:
        out.update(overall_history(run, catalogue_ids))
    wanted = [locals_[i][0] for i in ids if i in locals_]
    if wanted:
        out.update(local_history(wanted))
    return out


def _layout(programme, catalogue, locals_) -> list[tuple[str, str, list[str], Any]]:
    """(key, title, indicator ids, plan theme) per group: the programme's own, else the default.

    The default is the catalogue's Annex A grouping, then the programme's local measures
    under "Local measures" in ref order.
    """
    from .local import LOCAL_THEME, LOCAL_THEME_NAME

    groups = list(programme.scorecard_groups.select_related("theme").prefetch_related("entries")) if programme else []
    if groups:
        return [(f"group-{g.pk}", g.title, [e.indicator for e in g.entries.all()], g.theme) for g in groups]
    out = []
    by_theme: dict[str, list[str]] = defaultdict(list)
    for ind in catalogue:
        by_theme[ind.theme].append(ind.id)
    for key, name in catalogue.themes.items():
        if by_theme.get(key):
            out.append((key, name, by_theme[key], None))
    if locals_:
        ordered = sorted(locals_.values(), key=lambda mi: (_ref_key(mi[0].ref), mi[0].name.lower()))
        out.append((LOCAL_THEME, LOCAL_THEME_NAME, [m.indicator_id for m, _ind in ordered], None))
    return out


def _ref_key(ref: str) -> tuple:
    """'1.2.10' sorts after '1.2.9'; a blank ref last."""
    if not ref:
        return (1,)
    return (0, *[(int(p), "") if p.isdigit() else (10**9, p) for p in ref.split(".")])


_FIND = object()


def programme_scorecard(programme, period, *, run: Any = _FIND) -> list[ThemeGroup]:
    """The scorecard grouped the programme's way, months ending at the period's month.

    ``period`` is an ``oversight.plans.periods.Period`` (anything with ``as_at``). Catalogue
    figures come from the run shown for the period (``run``: pass ``run_for(as_at)`` when the
    caller has it already, to read it once); local measures from their values. With the default
    grouping and no run yet, only local measures are shown.
    """
    as_at = period.as_at
    months = period_months(as_at)
    if run is _FIND:
        run = run_for(as_at)
    catalogue = configured_catalogue()
    locals_ = local_indicators(programme)
    layout = _layout(programme, catalogue, locals_)
    custom = bool(programme and layout and layout[0][0].startswith("group-"))
    if run is None and not custom:
        layout = [g for g in layout if g[0] == "local"]
    ids = {i for _k, _t, members, _th in layout for i in members}
    known = {i for i in ids if i in locals_ or i in catalogue.by_id}
    history = programme_history(run, known, locals_)
    targets = targets_by_indicator(known)
    benchmarks = latest_benchmarks(known)
    comments: dict[str, Commentary] = {}
    for c in Commentary.objects.filter(month=month_date(months[-1]), indicator__in=known).select_related("author"):
        comments.setdefault(c.indicator, c)  # newest first (model ordering)
    out: list[ThemeGroup] = []
    for key, title, members, theme in layout:
        rows = []
        for iid in members:
            if iid not in known:
                continue  # a measure since deleted, or a catalogue id this install does not have
            measure, ind = locals_[iid] if iid in locals_ else (None, catalogue[iid])
            row = build_row(ind, None if measure else run, months, history.get(iid, {}), targets.get(iid, []),
                            benchmarks.get(iid, {}))
            row.comment = comments.get(iid)
            row.ref = measure.ref if measure else ""
            rows.append(row)
        if rows or custom:
            out.append(ThemeGroup(key, title, rows, theme_id=theme.pk if theme else None,
                                  theme_title=theme.title if theme else ""))
    return out


def rows_for(programme, period, ids: Iterable[str]) -> dict[str, Row]:
    """Scorecard rows for any indicators (catalogue ids or ``local-<code>``) at a period, whether or
    not the programme's groups hold them — for a risk's key indicators or an action's evidence."""
    months = period_months(period.as_at)
    run = run_for(period.as_at)
    catalogue = configured_catalogue()
    locals_ = local_indicators(programme)
    known = [i for i in dict.fromkeys(ids) if i in locals_ or (run is not None and i in catalogue.by_id)]
    history = programme_history(run, known, locals_)
    targets = targets_by_indicator(known)
    benchmarks = latest_benchmarks(known)
    out: dict[str, Row] = {}
    for iid in known:
        measure, ind = locals_[iid] if iid in locals_ else (None, catalogue[iid])
        row = build_row(ind, None if measure else run, months, history.get(iid, {}), targets.get(iid, []),
                        benchmarks.get(iid, {}))
        row.ref = measure.ref if measure else ""
        out[iid] = row
    return out


def programme_scorecard_json(programme, period) -> dict:
    """The scorecard page's JSON twin (and the download's source): the same groups and rows."""
    run = run_for(period.as_at)
    groups = programme_scorecard(programme, period)
    return {
        "programme": programme.slug if programme else None,
        "period": {"as_at": period.as_at.isoformat(), "label": getattr(period, "label", "")},
        "as_at": period.as_at.isoformat(),
        "run": run.pk if run else None,
        "run_as_at": run.as_at.isoformat() if run else None,
        "computed_at": run.computed_at.isoformat() if run else None,
        "calendar": run.calendar if run else "",
        "months": period_months(period.as_at),
        "themes": [{"theme": g.key, "name": g.name, "plan_theme": g.theme_title or None,
                    "indicators": [r.as_dict() for r in g.rows]} for g in groups],
    }


# ------------------------------------------------------------------------------ targets
def target_problems(ind: Indicator, minimum: float | None, upper: float | None) -> list[str]:
    """Why a target cannot be used for this measure (empty when it can).

    A band is read through polarity (``engine.indicators.rag``): where higher is better the
    upper figure is the target proper and the minimum the floor below which it is red; where
    lower is better the minimum is the target proper and the upper figure the ceiling above
    which it is red. Either way the minimum cannot exceed the upper figure — a band entered
    the wrong way round (120 % / 50 %) would silently turn a 95 % result amber. Percentages
    lie between 0 and 100; no measure is negative.
    """
    problems = []
    show = lambda v: fmt(v, ind.unit)  # noqa: E731 - a one-line formatter for messages
    for label, v in (("minimum", minimum), ("upper figure", upper)):
        if v is None:
            continue
        if ind.unit == "percent" and not 0 <= v <= 100:
            problems.append(f"the {label} ({show(v)}) is not a percentage: it must lie between 0% and 100%")
        elif v < 0:
            problems.append(f"the {label} ({show(v)}) cannot be negative")
    if minimum is not None and upper is not None and minimum > upper:
        if ind.polarity == "high":
            why = ("higher is better for this measure: at or above the upper figure is green, below the minimum "
                   "red")
        elif ind.polarity == "low":
            why = ("lower is better for this measure: at or below the minimum is green, above the upper figure "
                   "red")
        else:
            why = "the band runs from the minimum up to the upper figure"
        problems.append(f"the minimum ({show(minimum)}) must not exceed the upper figure ({show(upper)}): {why}")
    return problems


# ------------------------------------------------------------------------------ team performance surgery
def breakdown_history(run: IndicatorRun, kind: str, key: str) -> dict[str, dict[str, dict]]:
    """indicator → month → point for one team (or worker), from every run up to ``run`` (``run`` wins)."""
    qs = (IndicatorValue.objects.filter(breakdown=kind, breakdown_value=key, run__as_at__lte=run.as_at)
          .values_list("run_id", "run__computed_at", "indicator", "month", "numerator", "denominator", "value"))
    rows = sorted(qs, key=lambda r: (r[0] == run.pk, r[1], r[0]))
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for _run_id, _at, ind, month, n, d, v in rows:
        if v is None and n is None:
            continue
        out[ind][f"{month:%Y-%m}"] = {"month": f"{month:%Y-%m}", "numerator": n, "denominator": d, "value": v}
    return out


def breakdown_names(run: IndicatorRun, kind: str, indicator_id: str | None = None) -> list[str]:
    """Teams (or workers) with figures in a run, sorted as people read them."""
    qs = IndicatorValue.objects.filter(run=run, breakdown=kind)
    if indicator_id:
        qs = qs.filter(indicator=indicator_id)
    return sorted(set(qs.values_list("breakdown_value", flat=True)), key=str.lower)


def team_workers(run: IndicatorRun, team: str) -> list[str]:
    """Workers with at least one row allocated to ``team`` in the run's dataset.

    The aggregates keep team and worker figures apart, so which workers belong to a team is
    read from the team and worker columns of the dataset's lists (names of staff only; no
    child-level value leaves this function).
    """
    if run.dataset_id is None:
        return []
    import pyarrow.parquet as pq

    catalogue = configured_catalogue()
    try:
        tables, _as_at = dataset_tables(run.dataset)
    except Exception:  # a dataset whose files have gone: no worker list rather than an error page
        return []
    found: set[str] = set()
    for name, info in catalogue.tables.items():
        path = tables.get(name)
        if not (info.team and info.worker and path):
            continue
        schema = pq.read_schema(path)
        if info.team not in schema.names or info.worker not in schema.names:
            continue
        table = pq.read_table(path, columns=[info.team, info.worker])
        for t, w in zip(table.column(info.team).to_pylist(), table.column(info.worker).to_pylist(), strict=True):
            if t == team and w:
                found.add(str(w))
    return sorted(found, key=str.lower)


@dataclass
class SurgeryRow:
    """One measure for one team or worker, month by month against the target in force each month."""

    row: Row
    cells: list[dict]  # {"month", "point", "text", "rag"}


@dataclass
class Surgery:
    team: str
    worker: str | None
    months: list[str]
    groups: list[tuple[str, list[SurgeryRow]]]
    workers: list[str]

    def as_dict(self) -> dict:
        return {"team": self.team, "worker": self.worker, "months": self.months, "workers": self.workers,
                "groups": [{"name": name, "indicators": [
                    {**sr.row.as_dict(), "months": [{"month": c["month"], "value": c["point"]["value"],
                                                      "numerator": c["point"]["numerator"],
                                                      "denominator": c["point"]["denominator"],
                                                      "rag": c["rag"]} for c in sr.cells]}
                    for sr in rows]} for name, rows in self.groups]}


def surgery(programme, period, team: str, worker: str | None = None, *, with_workers: bool = False) -> Surgery:
    """Every measure for one team (or one of its workers) against target, month by month.

    A team manager's monthly performance surgery on one page: measures in the programme's
    scorecard order, each month coloured by the target in force that month.
    """
    months = period_months(period.as_at)
    run = run_for(period.as_at)
    if run is None:
        return Surgery(team, worker, months, [], [])
    kind, key = (IndicatorValue.WORKER, worker) if worker else (IndicatorValue.TEAM, team)
    history = breakdown_history(run, kind, key)
    catalogue = configured_catalogue()
    ids = [i for i in history if i in catalogue.by_id]
    targets = targets_by_indicator(ids)
    placed: set[str] = set()
    groups: list[tuple[str, list[SurgeryRow]]] = []
    layout = [(t, members) for _k, t, members, _th in _layout(programme, catalogue, {})]
    layout.append(("Other measures", [i.id for i in catalogue]))
    for title, members in layout:
        rows = []
        for iid in members:
            if iid in placed or iid not in history:
                continue
            placed.add(iid)
            ind = catalogue[iid]
            row = build_row(ind, run, months, history[iid], targets.get(iid, []), {})
            cells = []
            for p in row.points:
                t = target_for(month_end(p["month"]), targets.get(iid, []))
                cells.append({"month": p["month"], "point": p, "text": row.show(p["value"]),
                              "rag": rag(p["value"], t.minimum, t.upper, ind.polarity) if t else NONE})
            rows.append(SurgeryRow(row, cells))
        if rows:
            groups.append((title, rows))
    workers = team_workers(run, team) if with_workers else []
    return Surgery(team, worker, months, groups, workers)
