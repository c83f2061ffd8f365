"""What several builders share: formatting, the quarter columns, and reading risks and measures.

Every number a report prints is formatted here or in a builder, once, so the page, the JSON, the
Word file and the spreadsheet print the same words. The readers of other apps' models are
guarded: a plan without risks or measures (or an installation where that app is missing) still
builds, and its section says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from oversight.engine.document import (  # noqa: F401 - the builders' shared vocabulary
    financial_year_label,
    long_date,
    money,
    month_label,
    rag_cell,
    rag_label,
    short_date,
    uk_date,
)
from oversight.plans.models import Programme, Status
from oversight.plans.periods import Period, financial_quarter
from oversight.plans.readmodel import done_at, notes_to, status_at  # noqa: F401 - re-exported
from oversight.reports import suppression
from oversight.reports.data import Cell, Column, MetaItem, RiskRow, Table

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
# Formatting lives with the document types (``engine.document``) and the plan's "as at the period"
# rules in ``plans.readmodel``, so the plan pages print the same words as the reports.
def text(value: Any) -> Cell:
    return Cell("" if value is None else str(value))


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
# The scorecard's printed cells are built by ``performance.document`` (the scorecard page prints the
# same objects); a report for publication passes :func:`publication_figure` so small numbers hide.
def publication_figure(row: Any, point: dict | None) -> Cell:
    """``performance.document.figure_cell`` with small-number suppression (a report for publication)."""
    from oversight.performance.document import figure_cell

    if point is not None and point.get("value") is not None:
        shown = suppression.figure(point["value"], row.indicator.unit, point.get("numerator"),
                                   point.get("denominator"))
        if shown == suppression.MARKER:
            kind = "count" if row.indicator.unit in ("count", "number") else "rate"
            return Cell(suppression.MARKER, suppressed=True, kind=kind)
    return figure_cell(row, point)


def load_scorecard(programme: Programme, period: Period, for_publication: bool = False) -> Any:
    """The programme's scorecard document at the period (``performance.document.ScorecardDocument``)."""
    from oversight.performance import document

    return document.build(programme, period, figure=publication_figure if for_publication else
                          document.figure_cell)
