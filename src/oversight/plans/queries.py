"""Read-side of the plan: the figures and groupings the pages and reports show.

Kept apart from views so that the HTML page, its ``.json`` twin and the board reports all
read the same numbers (nothing is counted in a template).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from .models import DONE_STATUSES, Action, Programme, Rag, RagRating, Status, Theme


@dataclass
class TrackerFilters:
    owner: int | None = None
    status: str = ""
    rag: str = ""
    overdue: bool = False
    text: str = ""

    @classmethod
    def from_query(cls, params) -> TrackerFilters:
        owner = params.get("owner") or ""
        return cls(
            owner=int(owner) if owner.isdigit() else None,
            status=params.get("status", "") if params.get("status", "") in Status.values else "",
            rag=params.get("rag", "") if params.get("rag", "") in Rag.values else "",
            overdue=params.get("overdue") in {"1", "on", "true"},
            text=(params.get("q") or "").strip()[:200],
        )

    @property
    def active(self) -> bool:
        return bool(self.owner or self.status or self.rag or self.overdue or self.text)


def actions_of(programme: Programme) -> QuerySet[Action]:
    return (
        Action.objects.filter(recommendation__theme__programme=programme)
        .select_related("recommendation", "recommendation__theme", "recommendation__source")
        .prefetch_related("owners", "steps", "notes",
                          Prefetch("rag_ratings", queryset=RagRating.objects.order_by("year", "quarter")))
        .order_by("recommendation__theme__order", "recommendation__theme_id", "recommendation__order",
                  "recommendation_id", "order", "id")
    )


def latest_rag(action: Action) -> str:
    rating = action.latest_rating
    return rating.rag if rating else ""


def apply_filters(actions: list[Action], filters: TrackerFilters, today: dt.date) -> list[Action]:
    out = []
    for a in actions:
        if filters.owner and filters.owner not in {p.pk for p in a.owners.all()}:
            continue
        if filters.status and a.status != filters.status:
            continue
        if filters.rag and latest_rag(a) != filters.rag:
            continue
        if filters.overdue and not a.is_overdue(today):
            continue
        if filters.text and filters.text.lower() not in f"{a.ref} {a.title} {a.success_measure}".lower():
            continue
        out.append(a)
    return out


@dataclass
class ThemeSummary:
    theme: Theme
    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_rag: Counter = field(default_factory=Counter)
    overdue: int = 0
    done: int = 0

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return [(label, self.by_status[value]) for value, label in Status.choices if self.by_status[value]]

    @property
    def rag_counts(self) -> dict[str, int]:
        return {"red": self.by_rag["red"], "amber": self.by_rag["amber"], "green": self.by_rag["green"],
                "none": self.by_rag[""]}


def programme_summary(programme: Programme, today: dt.date) -> list[ThemeSummary]:
    """Counts by status and latest RAG per theme (the programme overview)."""
    summaries = {t.pk: ThemeSummary(theme=t) for t in programme.themes.all()}
    for a in actions_of(programme):
        s = summaries[a.recommendation.theme_id]
        s.total += 1
        s.by_status[a.status] += 1
        s.by_rag[latest_rag(a)] += 1
        s.overdue += a.is_overdue(today)
        s.done += a.status in DONE_STATUSES
    return list(summaries.values())


@dataclass
class RecommendationBlock:
    recommendation: object
    actions: list[Action]


@dataclass
class ThemeBlock:
    theme: Theme
    recommendations: list[RecommendationBlock]


def _group(actions: list[Action]) -> list[ThemeBlock]:
    blocks: list[ThemeBlock] = []
    for a in actions:
        rec = a.recommendation
        if not blocks or blocks[-1].theme.pk != rec.theme_id:
            blocks.append(ThemeBlock(theme=rec.theme, recommendations=[]))
        recs = blocks[-1].recommendations
        if not recs or recs[-1].recommendation.pk != rec.pk:
            recs.append(RecommendationBlock(recommendation=rec, actions=[]))
        recs[-1].actions.append(a)
    return blocks


def tracker(programme: Programme, as_at: dt.date, filters: TrackerFilters | None = None):
    """Seed 000's split: outstanding actions, and "Actions completed as at <date>".

    An action counts as completed at ``as_at`` when its status is a done status and it was
    completed on or before that date (or has no completion date recorded).
    """
    actions = list(actions_of(programme))
    if filters:
        actions = apply_filters(actions, filters, as_at)
    completed = [a for a in actions
                 if a.status in DONE_STATUSES and (a.completed_on is None or a.completed_on <= as_at)]
    done_ids = {a.pk for a in completed}
    outstanding = [a for a in actions if a.pk not in done_ids]
    return _group(outstanding), _group(completed), len(outstanding), len(completed)


def owner_choices(programme: Programme):
    return programme.people.filter(~Q(actions=None)).distinct().order_by("name")
