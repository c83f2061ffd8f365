"""Reading the registers as at a reporting period: the register, the heat map and what a risk links to.

Pages, their JSON twins and the board reports all read from here, so a number (a score, a
band, a count in the heat map) is computed once and never in a template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q

from oversight.engine.indicators import load_catalogue

from .models import (
    AMBER,
    GREEN,
    RED,
    Concern,
    Development,
    Kind,
    Risk,
    RiskAssessment,
    RiskBands,
    Status,
    bands_for,
    natural_key,
)

__all__ = ["bands_for", "closed_register", "heatmap", "register", "RegisterFilters"]

BANDS = (RED, AMBER, GREEN)


def _base(programme):
    return (Risk.objects.filter(programme=programme).select_related("owner", "programme")
            .prefetch_related(Prefetch("assessments", queryset=RiskAssessment.objects.order_by(
                "assessed_on", "created_at", "id"))))


def _as_scored_at(risk: Risk, as_at: dt.date) -> Risk:
    """Show the risk with the score in force at ``as_at`` (its latest assessment on or before it).

    A board looking back at December sees December's scores. The instance is for reading only:
    ``risk.current_score`` keeps today's figure, and ``risk.assessed_on`` says from when.
    """
    risk.current_probability, risk.current_impact, risk.current_score = risk.probability, risk.impact, risk.score
    risk.assessed_on = None
    in_force = [a for a in risk.assessments.all() if a.assessed_on <= as_at]
    if in_force:
        latest = in_force[-1]
        risk.probability, risk.impact, risk.score = latest.probability, latest.impact, latest.score
        risk.assessed_on = latest.assessed_on
    return risk


def register(programme, period) -> list[Risk]:
    """Risks and issues open at the period (raised by its end, not closed by then), sorted by ref.

    Each carries the score in force at the period (see ``_as_scored_at``).
    """
    as_at = period.as_at
    qs = _base(programme).filter(Q(raised_on__isnull=True) | Q(raised_on__lte=as_at)).filter(
        Q(status=Status.OPEN) | Q(closed_on__gt=as_at))
    return sorted((_as_scored_at(r, as_at) for r in qs), key=lambda r: natural_key(r.ref))


def closed_register(programme, period) -> list[Risk]:
    """Risks and issues closed on or before the period's end, most recently closed first."""
    as_at = period.as_at
    qs = _base(programme).filter(status=Status.CLOSED, closed_on__lte=as_at)
    return sorted((_as_scored_at(r, as_at) for r in qs),
                  key=lambda r: (r.closed_on or dt.date.min, natural_key(r.ref)), reverse=True)


def heatmap(risks) -> list[list[int]]:
    """5 × 5 counts: rows impact 5 down to 1, columns probability 1 to 5 (as the heat map is drawn)."""
    counts = [[0] * 5 for _ in range(5)]
    for r in risks:
        counts[5 - r.impact][r.probability - 1] += 1
    return counts


def band_counts(risks, bands: RiskBands) -> dict[str, int]:
    out = dict.fromkeys(BANDS, 0)
    for r in risks:
        out[bands.band(r.score)] += 1
    return out


@dataclass
class RegisterFilters:
    status: str = ""  # "" (open and closed), "open", "closed"
    kind: str = ""
    band: str = ""

    @classmethod
    def from_query(cls, query) -> RegisterFilters:
        status = query.get("status", "")
        kind = query.get("kind", "")
        band = query.get("band", "")
        return cls(status=status if status in Status.values else "",
                   kind=kind if kind in Kind.values else "",
                   band=band if band in BANDS else "")

    def keep(self, risk: Risk, bands: RiskBands) -> bool:
        return (not self.kind or risk.kind == self.kind) and (not self.band or bands.band(risk.score) == self.band)

    def as_dict(self) -> dict:
        return {"status": self.status or None, "kind": self.kind or None, "band": self.band or None}


@dataclass
class HeatCell:
    probability: int
    impact: int
    score: int
    band: str
    count: int


@dataclass
class RegisterPage:
    """Everything the register page and its JSON twin show."""

    programme: Any
    period: Any
    bands: RiskBands
    filters: RegisterFilters
    open: list[Risk]
    closed: list[Risk]
    counts: list[list[int]]
    by_band: dict[str, int]
    cells: list[list[HeatCell]] = field(default_factory=list)

    @property
    def heat_rows(self) -> list[tuple[int, list[HeatCell]]]:
        return [(5 - i, row) for i, row in enumerate(self.cells)]


def register_page(programme, period, filters: RegisterFilters) -> RegisterPage:
    bands = bands_for(programme)
    open_ = ([] if filters.status == Status.CLOSED
             else [r for r in register(programme, period) if filters.keep(r, bands)])
    closed = ([] if filters.status == Status.OPEN
              else [r for r in closed_register(programme, period) if filters.keep(r, bands)])
    for r in open_ + closed:
        r.band = bands.band(r.score)
        r.target_band = bands.band(r.target_score)
    counts = heatmap(open_)
    cells = [[HeatCell(p, 5 - i, p * (5 - i), bands.band(p * (5 - i)), counts[i][p - 1]) for p in range(1, 6)]
             for i in range(5)]
    return RegisterPage(programme=programme, period=period, bands=bands, filters=filters, open=open_, closed=closed,
                        counts=counts, by_band=band_counts(open_, bands), cells=cells)


def risk_json(r: Risk, bands: RiskBands | None = None) -> dict:
    bands = bands or bands_for(r.programme)
    return {
        "id": r.pk, "ref": r.ref, "type": r.kind, "description": r.description, "mitigation": r.mitigation,
        "raised": r.raised_on.isoformat() if r.raised_on else None, "raised_text": r.raised_text,
        "owner": r.owner_label or None, "probability": r.probability, "impact": r.impact, "score": r.score,
        "band": bands.band(r.score), "status": r.status,
        "closed_on": r.closed_on.isoformat() if r.closed_on else None, "closed_reason": r.closed_reason,
        "review_on": r.review_on.isoformat() if r.review_on else None,
        "target_probability": r.target_probability, "target_impact": r.target_impact,
        "target_score": r.target_score, "target_band": bands.band(r.target_score) or None,
        "assessed_on": getattr(r, "assessed_on", None) and r.assessed_on.isoformat(),
        "indicators": list(r.indicators or []),
        "actions": sorted((a.ref for a in r.actions.all()), key=natural_key),
    }


# ------------------------------------------------------------------------------ one risk
def indicator_names(programme=None) -> dict[str, str]:
    """Indicator id → name: the catalogue, and the programme's local measures where that app has them."""
    names = {ind.id: ind.name for ind in load_catalogue()}
    local = getattr(programme, "local_measures", None) if programme is not None else None
    if local is not None:
        names.update({f"local-{m.code}": m.name for m in local.all()})
    return names


@dataclass
class IndicatorFigure:
    """A key risk indicator with its latest figure (``row`` is None when none is computed yet)."""

    id: str
    name: str
    row: Any = None

    @property
    def month(self) -> str:
        return self.row.current["month"] if self.row else ""

    @property
    def value_text(self) -> str:
        return self.row.current_text if self.row else ""

    @property
    def rag(self) -> str:
        return getattr(self.row, "rag", "") if self.row else ""

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "month": self.month or None,
                "value": self.row.current["value"] if self.row else None, "text": self.value_text or None,
                "rag": self.rag or None}


def _rows_from_scorecard(programme, period, ids: set[str]) -> dict[str, Any] | None:
    """The programme's own scorecard rows (catalogue and local measures), when performance offers it."""
    try:
        from oversight.performance.services import programme_scorecard
    except ImportError:
        return None
    rows: dict[str, Any] = {}
    for group in programme_scorecard(programme, period):
        for row in group.rows:
            if row.indicator.id in ids:
                rows[row.indicator.id] = row
    return rows


def _rows_from_latest_run(ids: set[str]) -> dict[str, Any]:
    """Catalogue indicators from the latest stored run (as a linked action's evidence is shown)."""
    try:
        from oversight.performance import services as perf
    except ImportError:
        return {}
    run = perf.latest_run()
    if run is None:
        return {}
    known = {ind.id: ind for ind in load_catalogue()}
    wanted = ids & set(known)
    months = perf.run_months(run)
    history = perf.overall_history(run, wanted)
    targets = perf.targets_by_indicator(wanted)
    benchmarks = perf.latest_benchmarks(wanted)
    return {iid: perf.build_row(known[iid], run, months, history.get(iid, {}), targets.get(iid, []),
                                benchmarks.get(iid, {})) for iid in wanted}


def indicator_figures(risk: Risk, period) -> list[IndicatorFigure]:
    ids = list(risk.indicators or [])
    if not ids:
        return []
    names = indicator_names(risk.programme)
    rows = _rows_from_scorecard(risk.programme, period, set(ids))
    if rows is None:
        rows = _rows_from_latest_run(set(ids))
    return [IndicatorFigure(i, names.get(i, i), rows.get(i)) for i in ids]


def linked_actions(risk: Risk, period) -> list:
    actions = sorted(risk.actions.select_related("recommendation__theme").prefetch_related("owners"),
                     key=lambda a: (a.recommendation.theme.order, a.recommendation.order, a.order, a.pk))
    for a in actions:
        a.overdue_at_period = a.is_overdue(period.as_at)
    return actions


def changes(obj, limit: int = 50) -> list[dict]:
    """What changed, when and by whom, read from the object's history (newest first)."""
    out = []
    for record in obj.history.select_related("history_user").order_by("-history_date")[:limit]:
        prev = record.prev_record
        if prev is None:
            out.append({"when": record.history_date, "who": record.history_user, "what": "created"})
            continue
        delta = record.diff_against(prev, excluded_fields=["version"])
        if delta.changes:
            out.append({"when": record.history_date, "who": record.history_user,
                        "what": "; ".join(f"{c.field}: “{c.old}” → “{c.new}”" for c in delta.changes)})
    return out


# ------------------------------------------------------------------------------ concerns and developments
def entries(model: type[Concern] | type[Development], programme, period) -> list:
    """Open ones first (in their order), then closed; each flagged overdue / no date read at the period."""
    items = list(model.objects.filter(programme=programme).select_related("owner"))
    items.sort(key=lambda e: (e.status != Status.OPEN, e.order, natural_key(e.ref)))
    for e in items:
        e.overdue_at_period = e.is_overdue(period.as_at)
    return items


def entry_json(e) -> dict:
    return {"id": e.pk, "ref": e.ref, "description": e.description, "owner": e.owner_label or None,
            "by_when_text": e.by_when_text, "by_when": e.by_when.isoformat() if e.by_when else None,
            "no_date_read": e.no_date_read, "overdue": getattr(e, "overdue_at_period", False), "status": e.status}


def summary(programme, period) -> dict:
    """Counts for the programme page's panel: open risks by band, open concerns and developments."""
    bands = bands_for(programme)
    risks = register(programme, period)
    return {"risks": len(risks), "by_band": band_counts(risks, bands),
            "concerns": Concern.objects.filter(programme=programme, status=Status.OPEN).count(),
            "developments": Development.objects.filter(programme=programme, status=Status.OPEN).count()}
