"""What several builders share: formatting, the quarter columns, and reading risks and measures.

Every number a report prints is formatted here or in a builder, once, so the page, the JSON, the
Word file and the spreadsheet print the same words. The readers of other apps' models are
guarded: a plan without risks or measures (or an installation where that app is missing) still
builds, and its section says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from oversight.plans.models import DONE_STATUSES, Programme, Rag, Status
from oversight.plans.periods import Period, financial_quarter
from oversight.reports import suppression
from oversight.reports.data import RAG_LABELS, Cell, Column, MetaItem, RiskRow, Table

NO_RISKS = "No risks recorded for this period."
NO_MEASURES = "No performance measures recorded for this period."
STATUS_LABELS = dict(Status.choices)
RAG_GUIDANCE = (
    ("GREEN", "Activity on track and delivering expected outcomes",
     "Improvement activity is on track or completed and delivering expected outcomes."),
    ("AMBER", "Activity on track but expected outcomes have not yet been evidenced and/ or activity delayed but "
              "still being delivered",
     "There is some minor delay in improvement activity and/ or activity is on track but limited evidence of "
     "outcomes"),
    ("RED", "Activity not on track and outcomes are poor or deteriorating",
     "There is significant delay in improvement activity and/ or activity is not delivering expected outcomes"),
)


# --------------------------------------------------------------------------- formatting
def short_date(day: dt.date | None) -> str:
    """As seed 001 writes the date of report: 27/01/20."""
    return f"{day:%d/%m/%y}" if day else ""


def long_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def uk_date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def money(value: Decimal | None) -> Cell:
    """£1,250,000 (pence only when there are any); blank when not entered; negatives with a minus."""
    if value is None:
        return Cell("", kind="money")
    q = Decimal(value)
    text = f"£{abs(q):,.2f}" if q != q.to_integral_value() else f"£{abs(q):,.0f}"
    return Cell(("−" if q < 0 else "") + text, value=float(q), number_format='"£"#,##0.00', kind="money")


def rag_label(rag: str) -> str:
    return RAG_LABELS.get(rag or "", "")


def rag_cell(rag: str, blank: str = "") -> Cell:
    rag = rag if rag in Rag.values else ""
    return Cell(rag_label(rag) or blank, rag=rag)


def text(value: Any) -> Cell:
    return Cell("" if value is None else str(value))


def financial_year_label(start_year: int) -> str:
    """2019 → "2019/20", as people write it (not 201920)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def quarters_to(period: Period, count: int = 4) -> list[tuple[int, int]]:
    """The last ``count`` financial quarters up to the period's quarter, oldest first."""
    year, q = financial_quarter(period.as_at)
    out = []
    for _ in range(count):
        out.append((year, q))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out[::-1]


def quarter_columns(quarters: Sequence[tuple[int, int]]) -> list[Column]:
    return [Column(f"q{y}_{q}", f"Q{q}", group=financial_year_label(y), width=0.6) for y, q in quarters]


def meta_common(programme: Programme, period: Period) -> list[MetaItem]:
    return [MetaItem("Programme", programme.name), MetaItem("Period", period.label),
            MetaItem("As at", long_date(period.as_at))]


def people_names(people: Iterable[Any]) -> str:
    return ", ".join(p.name for p in people)


def done_at(action: Any, as_at: dt.date) -> bool:
    """Completed (or closed) as at the period: done, and not completed after the as-at date."""
    if action.status not in DONE_STATUSES:
        return False
    return action.completed_on is None or action.completed_on <= as_at


def status_at(action: Any, as_at: dt.date) -> str:
    """The action's status as at the period: its status, unless that was reached after the as-at.

    Notes record status moves (``status_to``); the last one on or before the as-at says what the
    board saw then. An action completed after the as-at reads as in progress.
    """
    if action.status in DONE_STATUSES and not done_at(action, as_at):
        moved = [n.status_to for n in action.notes.all() if n.status_to and n.date <= as_at]
        return str(moved[-1]) if moved and moved[-1] not in DONE_STATUSES else str(Status.IN_PROGRESS)
    return str(action.status)


def notes_to(action: Any, as_at: dt.date) -> list[Any]:
    return [n for n in action.notes.all() if n.date <= as_at]


def rags_by_quarter(action: Any) -> dict[tuple[int, int], str]:
    return {(r.year, r.quarter): r.rag for r in action.rag_ratings.all()}


def publication_notice(for_publication: bool) -> str:
    return suppression.footnote() if for_publication else ""


# --------------------------------------------------------------------------- risks, concerns, developments
@dataclass
class RiskData:
    available: bool = False
    open: list[Any] = field(default_factory=list)
    closed: list[Any] = field(default_factory=list)
    concerns: list[Any] = field(default_factory=list)
    developments: list[Any] = field(default_factory=list)
    red_from: int = 15
    amber_from: int = 8

    def band(self, score: int) -> str:
        return "red" if score >= self.red_from else "amber" if score >= self.amber_from else "green"


def load_risks(programme: Programme, period: Period) -> RiskData:
    """Risks open at the period (and those closed within it), concerns and developments: 5 queries."""
    try:
        from oversight.risks import models as rm
    except ImportError:
        return RiskData()
    out = RiskData(available=True)
    try:
        bands = rm.RiskBands.objects.filter(programme=programme).first()
    except Exception:  # noqa: BLE001 - the risks app may not be migrated in this installation
        return RiskData()
    if bands is not None:
        out.red_from, out.amber_from = bands.red_from, bands.amber_from
    from oversight.risks import queries as rq

    # The scores in force at the period (a re-scored risk shows December's score in December).
    out.open = list(rq.register(programme, period))
    out.closed = [r for r in rq.closed_register(programme, period) if r.closed_on and r.closed_on >= period.start]
    for model, target in ((getattr(rm, "Concern", None), out.concerns), (getattr(rm, "Development", None),
                                                                         out.developments)):
        if model is None:
            continue
        target += [c for c in model.objects.filter(programme=programme).select_related("owner")
                   .order_by("order", "id") if c.status != "closed"]
    return out


def ref_key(ref: str) -> tuple:
    """Sort "2" before "10" and "1.2" before "1.10"."""
    parts = []
    for p in str(ref).replace("-", ".").split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return tuple(parts)


def owner_of(item: Any) -> str:
    owner = getattr(item, "owner", None)
    return getattr(item, "owner_text", "") or (owner.name if owner else "")


def risk_row(r: Any, data: RiskData) -> RiskRow:
    raised = getattr(r, "raised_text", "") or (f"{r.raised_on:%B %Y}" if r.raised_on else "")
    target = getattr(r, "target_score", None)
    return RiskRow(
        ref=str(r.ref), kind="Issue" if r.kind == "issue" else "Risk", description=r.description,
        mitigation=r.mitigation, raised=raised, owner=owner_of(r), probability=int(r.probability),
        impact=int(r.impact), score=int(r.score), band=data.band(int(r.score)), status=r.status,
        target_score=int(target) if target else None,
    )


RISK_COLUMNS = (
    Column("ref", "Ref", width=0.4), Column("kind", "Issue / Risk", width=0.6),
    Column("description", "Description", width=3), Column("mitigation", "Mitigation / Resolution", width=3),
    Column("raised", "Date raised", width=0.9), Column("owner", "Owner", width=1.2),
    Column("probability", "Probability", width=0.7, numeric=True),
    Column("impact", "Impact", width=0.6, numeric=True), Column("score", "Risk score", width=0.6, numeric=True),
)


def risk_table(rows: Sequence[RiskRow], key: str = "risks", caption: str = "Issues / risks",
               empty: str = NO_RISKS) -> Table:
    return Table(key, caption, RISK_COLUMNS, tuple(
        (Cell(r.ref), Cell(r.kind), Cell(r.description), Cell(r.mitigation), Cell(r.raised), Cell(r.owner),
         Cell(str(r.probability), value=r.probability, kind="score"),
         Cell(str(r.impact), value=r.impact, kind="score"),
         Cell(str(r.score), rag=r.band, value=r.score, kind="score"))
        for r in rows), empty_text=empty)


def heatmap_counts(rows: Sequence[RiskRow]) -> list[list[int]]:
    """5×5 counts [impact 5..1][probability 1..5]."""
    grid = [[0] * 5 for _ in range(5)]
    for r in rows:
        if 1 <= r.probability <= 5 and 1 <= r.impact <= 5:
            grid[5 - r.impact][r.probability - 1] += 1
    return grid


# --------------------------------------------------------------------------- measures
@dataclass
class Scorecard:
    groups: list[Any]  # performance.services.ThemeGroup
    months: list[str]  # "2019-08" … the months of the rows
    programme_groups: bool  # True when grouped the programme's way (programme_scorecard)


def load_scorecard(programme: Programme, period: Period) -> Scorecard:
    """The programme's scorecard at the period; the catalogue's latest run on or before it otherwise."""
    try:
        from oversight.performance import services
    except ImportError:
        return Scorecard([], [], False)
    fn = getattr(services, "programme_scorecard", None)
    if fn is not None:
        groups = list(fn(programme, period))
        months = next((list(g.rows[0].months) for g in groups if g.rows), [])
        return Scorecard(groups, months, True)
    run_for = getattr(services, "run_for", None)  # only published datasets are live
    run = run_for(period.as_at) if run_for is not None else services.latest_run()
    if run is None:
        return Scorecard([], [], False)
    groups = services.scorecard(run)
    return Scorecard(groups, services.run_months(run), False)


def month_label(month: str) -> str:
    """"2019-08" → "Aug 19", as seed 001 heads its trend columns."""
    d = dt.date.fromisoformat(f"{month}-01")
    return f"{d:%b %y}"


def figure_cell(row: Any, point: dict | None, for_publication: bool) -> Cell:
    """One measure figure: formatted by its unit, suppressed when published and built on a small count."""
    unit = row.indicator.unit
    kind = "count" if unit in ("count", "number") else "rate"
    if point is None or point.get("value") is None:
        return Cell("–" if point is not None else "", kind=kind)
    value = point["value"]
    if for_publication:
        shown = suppression.figure(value, unit, point.get("numerator"), point.get("denominator"))
        if shown == suppression.MARKER:
            return Cell(suppression.MARKER, suppressed=True, kind=kind)
    fmt = "0.0" if unit not in ("count", "number") else "#,##0"
    return Cell(row.show(value), value=float(value), number_format=fmt, kind=kind)


def plain_number_cell(row: Any, value: float | None) -> Cell:
    if value is None:
        return Cell("")
    return Cell(row.show(value), value=float(value), number_format="0.0")


def outturn_point(row: Any, period: Period) -> tuple[str, dict | None]:
    """Last complete financial year's outturn: the March figure before the period's year ("2018/19")."""
    year, _q = financial_quarter(period.as_at)
    month = f"{year}-03"
    for p in getattr(row, "history", []) or []:
        if p.get("month") == month:
            return financial_year_label(year - 1), p
    return financial_year_label(year - 1), None


def benchmark_cells(row: Any) -> tuple[Cell, Cell]:
    from oversight.performance.models import Benchmark

    def cell(level: str) -> Cell:
        b = row.benchmarks.get(level)
        if b is None:
            return Cell("")
        return Cell(row.show(b.value), value=float(b.value), number_format="0.0")

    regional = cell(Benchmark.STAT_NEIGHBOURS)
    if not regional.text:
        regional = cell(Benchmark.REGIONAL)
    return cell(Benchmark.NATIONAL), regional


def row_rag(row: Any) -> str:
    return row.rag if row.rag in ("red", "amber", "green") else ""


def period_type_label(value: str) -> str:
    return {"snapshot": "Snapshot", "ytd": "YTD", "rolling_12m": "Rolling 12 months", "month": "Month",
            "rolling12": "Rolling 12 months", "monthly": "Month"}.get(value, value.replace("_", " ").capitalize())
