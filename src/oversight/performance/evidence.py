"""The evidence behind an action's RAG: the linked indicators' latest figures against target.

A board must see "whether a green is evidenced". For each action linked to indicators this
gives the measured value, target and RAG from the latest stored run, and flags a typed RAG
that the figures contradict (typed green while an indicator is red or amber; typed red while
every indicator is green is shown too, as it may be over-cautious or the figures incomplete).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from oversight.engine.indicators import load_catalogue

from .local import as_indicator
from .models import EvidenceLink, LocalMeasure, LocalMeasureValue
from .services import (
    Row,
    build_row,
    latest_benchmarks,
    latest_run,
    period_months,
    programme_history,
    targets_by_indicator,
)


@dataclass
class Evidence:
    link: EvidenceLink
    row: Row | None  # None when no data has been computed yet

    @property
    def rag(self) -> str:
        return self.row.rag if self.row else ""


@dataclass
class ActionEvidence:
    items: list[Evidence]
    typed_rag: str

    @property
    def conflict(self) -> str:
        """A sentence when the typed RAG and the measured RAGs disagree, else ''."""
        measured = {e.rag for e in self.items if e.rag in {"red", "amber", "green"}}
        if not measured or not self.typed_rag:
            return ""
        if self.typed_rag == "green" and measured & {"red", "amber"}:
            return "Rated green, but the linked figures are not all on target."
        if self.typed_rag == "red" and measured == {"green"}:
            return "Rated red, but every linked figure is on target."
        return ""


def evidence_for_actions(actions) -> dict[int, ActionEvidence]:
    """action id → its evidence, computed once for all actions (one query per kind)."""
    actions = list(actions)
    links = list(EvidenceLink.objects.filter(action__in=actions).order_by("action_id", "indicator"))
    if not links:
        return {}
    run = latest_run()
    catalogue = load_catalogue()
    known = {ind.id: ind for ind in catalogue}
    ids = {link.indicator for link in links}
    local = {m.indicator_id: (m, as_indicator(m))
             for m in LocalMeasure.objects.filter(programme__themes__recommendations__actions__in=actions).distinct()
             if m.indicator_id in ids}
    rows: dict[str, Row] = {}
    as_at = run.as_at if run is not None else None
    if local and as_at is None:  # no Annex A data yet: local measures up to their latest month
        measures = [m for m, _i in local.values()]
        latest = LocalMeasureValue.objects.filter(measure__in=measures).order_by("-month").first()
        as_at = latest.month if latest else None
    if as_at is not None:
        months = period_months(as_at)
        history = programme_history(run, ids & (set(known) | set(local)), local)
        targets = targets_by_indicator(ids)
        benchmarks = latest_benchmarks(ids)
        for iid in ids & (set(known) | set(local)):
            if iid in local:
                row = build_row(local[iid][1], None, months, history.get(iid, {}), targets.get(iid, []),
                                benchmarks.get(iid, {}))
                row.ref = local[iid][0].ref
            elif run is not None:
                row = build_row(known[iid], run, months, history.get(iid, {}), targets.get(iid, []),
                                benchmarks.get(iid, {}))
            else:
                continue
            rows[iid] = row
    by_action: dict[int, list[Evidence]] = defaultdict(list)
    for link in links:
        by_action[link.action_id].append(Evidence(link=link, row=rows.get(link.indicator)))
    typed = {a.pk: (a.latest_rating.rag if a.latest_rating else "") for a in actions}
    return {pk: ActionEvidence(items=items, typed_rag=typed.get(pk, "")) for pk, items in by_action.items()}


def indicator_choices() -> list[tuple[str, str]]:
    """Catalogue indicators, then the local measures (``local-<code>``) a success measure may cite."""
    local = [(m.indicator_id, f"{m.ref} {m.name} (local measure)".strip())
             for m in LocalMeasure.objects.order_by("programme_id", "ref", "name")]
    return [(ind.id, ind.name) for ind in load_catalogue()] + local
