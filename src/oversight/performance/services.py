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

UNIT_SUFFIX = {"percent": "%", "days": " days", "count": ""}


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
    return f"{value:,.1f}{UNIT_SUFFIX[unit]}"


# ------------------------------------------------------------------------------ computing
def dataset_tables(dataset) -> tuple[dict[str, Path], dt.date]:
    """Parquet paths and as-at date of a stored dataset (a ``datasets.Dataset``)."""
    from oversight.engine.annex_a import open_dataset  # the loader's API

    folder = getattr(dataset, "folder", None) or Path(dataset.path)  # relative paths live under DATA_DIR
    info = open_dataset(Path(folder))
    return dict(info.tables), dataset.as_at


@transaction.atomic
def store_result(result: Mapping[str, Any], dataset=None, source: str = "") -> IndicatorRun:
    """Save a ``compute`` result as aggregates: one row per indicator × month × breakdown."""
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

    @property
    def current(self) -> dict:
        return self.points[-1] if self.points else {"month": "", "numerator": None, "denominator": None,
                                                    "value": None}

    @property
    def values(self) -> list[float | None]:
        return [p["value"] for p in self.points]

    def show(self, value: float | None) -> str:
        return fmt(value, self.indicator.unit)

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
            "id": self.indicator.id, "name": self.indicator.name, "theme": self.indicator.theme,
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


def latest_run() -> IndicatorRun | None:
    return IndicatorRun.objects.order_by("-as_at", "-computed_at").first()


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


def build_row(ind: Indicator, run: IndicatorRun, months: list[str], history: Mapping[str, dict],
              targets: list[TargetBand], benchmarks: dict[str, Benchmark]) -> Row:
    points = [history.get(m) or {"month": m, "numerator": None, "denominator": None, "value": None} for m in months]
    upto = [history[m] for m in sorted(history) if m <= months[-1]]
    target = target_for(month_end(months[-1]), targets)
    current = points[-1]["value"]
    spc = xmr([p["value"] for p in upto], ind.polarity, target.threshold(ind.polarity) if target else None)
    return Row(
        indicator=ind, months=months, points=points, target=target,
        rag=rag(current, target.minimum, target.upper, ind.polarity) if target else NONE,
        direction=direction_of_travel([p["value"] for p in points], ind.polarity),
        spc=spc, benchmarks=benchmarks, data_quality=run.data_quality.get(ind.id, {}), history=upto,
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
