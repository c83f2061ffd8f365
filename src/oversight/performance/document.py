"""The scorecard as printed: every figure of the programme's scorecard formatted once.

Why: the scorecard page, its ``.json`` twin, the highlight report's KPI tables and the report card
must show the same words for the same number ("15.8%", "↑ improving", "12.3%" for England). The
reports app reads every app but ``performance`` may not import ``reports``, so the printed cells
are built here, in the Django-free types of :mod:`oversight.engine.document`, from
:func:`services.programme_scorecard`; the reports compose them (applying small-number suppression
through the ``figure`` hook when a report is for publication) and the page prints them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oversight.engine.document import Cell, KpiGroup, KpiRow, financial_year_label, month_label
from oversight.engine.indicators.rag import RAG_LABELS
from oversight.engine.indicators.spc import ASSURANCE_LABELS, VARIATION_LABELS
from oversight.plans.periods import financial_quarter

from . import services
from .models import Benchmark

#: How one figure is printed: ``figure(row, point) -> Cell`` (the reports pass a suppressing one).
Figure = Callable[[services.Row, "dict | None"], Cell]

BENCHMARK_LEVELS = ((Benchmark.NATIONAL, "National"), (Benchmark.REGIONAL, "Regional"),
                    (Benchmark.STAT_NEIGHBOURS, "Stat neigh"))


def figure_cell(row: services.Row, point: dict | None) -> Cell:
    """One measure figure, formatted by its unit ("–" when the month has no figure)."""
    unit = row.indicator.unit
    kind = "count" if unit in ("count", "number") else "rate"
    if point is None or point.get("value") is None:
        return Cell("–" if point is not None else "", kind=kind)
    value = point["value"]
    fmt = "0.0" if unit not in ("count", "number") else "#,##0"
    return Cell(row.show(value), value=float(value), number_format=fmt, kind=kind)


def count_cell(value: int | float | None) -> Cell:
    return Cell("") if value is None else Cell(f"{value:,}", value=value, number_format="#,##0", kind="count")


def outturn_point(row: services.Row, as_at: dt.date) -> tuple[str, dict | None]:
    """Last complete financial year's outturn: the March figure before the period's year ("2018/19")."""
    year, _q = financial_quarter(as_at)
    month = f"{year}-03"
    for p in row.history or []:
        if p.get("month") == month:
            return financial_year_label(year - 1), p
    return financial_year_label(year - 1), None


def benchmark_cell(row: services.Row, level: str) -> Cell:
    b = row.benchmarks.get(level)
    if b is None:
        return Cell("")
    return Cell(row.show(b.value), value=float(b.value), number_format="0.0")


def row_rag(row: services.Row) -> str:
    return row.rag if row.rag in ("red", "amber", "green") else ""


@dataclass(frozen=True)
class BenchmarkCell:
    level: str  # "national" | "regional" | "stat_neighbours"
    label: str
    cell: Cell
    time_period: str  # "2018-19" as published; "" when none
    area: str


@dataclass(frozen=True)
class ScorecardLine:
    """One measure as every output prints it: ``kpi`` is the highlight report's row, the rest the page's extras."""

    kpi: KpiRow
    row: services.Row  # the computed row (its ``as_dict()`` is the JSON's figures)
    numerator: Cell
    denominator: Cell
    benchmarks: tuple[BenchmarkCell, ...]
    target_label: str
    target_text: str  # "80.0% – 85.0% by Mar 2020" (report card "Targets")
    rag_label: str
    direction_text: str
    variation_label: str
    assurance_label: str
    comment: str

    @property
    def indicator(self) -> str:
        return self.kpi.indicator

    @property
    def dot_text(self) -> str:
        """"↑ improving" as the report card's DOT column and the highlight's Trend column print it."""
        return (self.kpi.dot + (f" {self.kpi.dot_judgement}" if self.kpi.dot_judgement else "")).strip()


@dataclass(frozen=True)
class ScorecardGroup:
    key: str
    title: str
    theme_id: int | None
    theme_title: str
    lines: tuple[ScorecardLine, ...]


@dataclass(frozen=True)
class ScorecardDocument:
    programme_slug: str | None
    as_at: dt.date
    period_label: str
    months: tuple[str, ...]  # "2019-08" … the six months ending at the period's
    month_labels: tuple[str, ...]  # "Aug 19" …
    outturn_label: str  # "2018/19"
    groups: tuple[ScorecardGroup, ...]
    custom_groups: bool  # grouped the programme's way (else the catalogue's themes)
    run: Any = None  # the IndicatorRun shown (None before any published data)

    def kpi_groups(self) -> list[tuple[ScorecardGroup, KpiGroup]]:
        """Each group as the highlight report's KPI table."""
        return [(g, KpiGroup(title=g.title, month_labels=self.month_labels, outturn_label=self.outturn_label,
                             rows=tuple(line.kpi for line in g.lines))) for g in self.groups]


def line_for(row: services.Row, as_at: dt.date, figure: Figure = figure_cell) -> ScorecardLine:
    """Every printed cell of one scorecard row."""
    points = {p["month"]: p for p in row.points}
    _label, out_point = outturn_point(row, as_at)
    t_min, t_up = row.target_texts
    target = row.target
    national = benchmark_cell(row, Benchmark.NATIONAL)
    regional = benchmark_cell(row, Benchmark.STAT_NEIGHBOURS)
    if not regional.text:
        regional = benchmark_cell(row, Benchmark.REGIONAL)
    rag = row_rag(row)
    kpi = KpiRow(
        ref=str(row.ref or getattr(row.indicator, "ref", "") or ""), indicator=row.indicator.id,
        name=row.indicator.name, period_type=row.period_label,
        outturn=figure(row, out_point) if out_point else Cell(""),
        current=dataclasses.replace(figure(row, row.current), rag=rag),
        months=tuple(figure(row, points.get(m)) for m in row.months[-6:]),
        target_min=Cell(t_min, value=target.minimum if target else None, number_format="0.0"),
        target_upper=Cell(t_up, value=target.upper if target else None, number_format="0.0"),
        dot=row.direction.symbol, dot_judgement=row.direction.judgement if row.direction.arrow else "",
        national=national, regional=regional, rag=rag)
    target_text = ""
    if target is not None:
        band = " – ".join(x for x in (t_min, t_up) if x)
        when = target.label or (f"by {target.due:%b %Y}" if target.due else "")
        target_text = f"{band} {when}".strip()
    benchmarks = []
    for level, label in BENCHMARK_LEVELS:
        b = row.benchmarks.get(level)
        benchmarks.append(BenchmarkCell(level, label, benchmark_cell(row, level), b.time_period if b else "",
                                        b.area_name if b else ""))
    cur = row.current
    return ScorecardLine(
        kpi=kpi, row=row, numerator=count_cell(cur.get("numerator")), denominator=count_cell(cur.get("denominator")),
        benchmarks=tuple(benchmarks), target_label=target.label if target else "", target_text=target_text,
        rag_label=RAG_LABELS.get(row.rag, ""), direction_text=row.direction.text,
        variation_label=VARIATION_LABELS.get(row.spc.variation, ""),
        assurance_label=ASSURANCE_LABELS.get(row.spc.assurance, "") if row.spc.assurance else "",
        comment=row.comment.text if row.comment else "")


def build(programme, period, *, figure: Figure = figure_cell) -> ScorecardDocument:
    """The programme's scorecard at the period, every figure printed (one ``programme_scorecard`` call)."""
    as_at = period.as_at
    run = services.run_for(as_at)
    groups = services.programme_scorecard(programme, period, run=run)
    months = services.period_months(as_at)
    year, _q = financial_quarter(as_at)
    custom = bool(groups and groups[0].key.startswith("group-"))
    return ScorecardDocument(
        programme_slug=programme.slug if programme else None, as_at=as_at,
        period_label=getattr(period, "label", ""), months=tuple(months),
        month_labels=tuple(month_label(m) for m in months[-6:]), outturn_label=financial_year_label(year - 1),
        groups=tuple(ScorecardGroup(g.key, g.name, g.theme_id, g.theme_title,
                                    tuple(line_for(r, as_at, figure) for r in g.rows)) for g in groups),
        custom_groups=custom, run=run)


def _cell(c: Cell) -> dict:
    return {"text": c.text, "value": c.value, "rag": c.rag or None}


def line_json(line: ScorecardLine) -> dict:
    """The printed words of one line (``shown`` in the JSON twin), the same the page and reports print."""
    k = line.kpi
    return {"ref": k.ref, "period": k.period_type, "outturn": _cell(k.outturn), "current": _cell(k.current),
            "months": [_cell(c) for c in k.months], "target_min": _cell(k.target_min),
            "target_upper": _cell(k.target_upper), "rag": k.rag or None, "rag_label": line.rag_label,
            "dot": line.dot_text, "direction": line.direction_text, "national": _cell(k.national),
            "regional_or_stat_neighbours": _cell(k.regional),
            "benchmarks": {b.level: _cell(b.cell) for b in line.benchmarks},
            "numerator": _cell(line.numerator), "denominator": _cell(line.denominator),
            "spc": line.variation_label}


def as_json(doc: ScorecardDocument) -> dict:
    """The scorecard page's twin: the keys it always had (``services.programme_scorecard_json``), each
    indicator with ``shown`` (its printed cells), and ``month_labels`` / ``outturn_label``."""
    run = doc.run
    return {
        "programme": doc.programme_slug,
        "period": {"as_at": doc.as_at.isoformat(), "label": doc.period_label},
        "as_at": doc.as_at.isoformat(),
        "run": run.pk if run else None,
        "run_as_at": run.as_at.isoformat() if run else None,
        "computed_at": run.computed_at.isoformat() if run else None,
        "calendar": run.calendar if run else "",
        "months": list(doc.months),
        "month_labels": list(doc.month_labels),
        "outturn_label": doc.outturn_label,
        "themes": [{"theme": g.key, "name": g.title, "plan_theme": g.theme_title or None,
                    "indicators": [{**line.row.as_dict(), "shown": line_json(line)} for line in g.lines]}
                   for g in doc.groups],
    }
