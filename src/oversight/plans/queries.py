"""Read-side of the plan: the figures and groupings the pages and reports show.

Kept apart from views so that the HTML page, its ``.json`` twin and the board reports all
read the same numbers (nothing is counted in a template).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from .models import DONE_STATUSES, Action, Programme, Rag, RagRating, Status, Theme, quarter_of


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


def latest_rating(action: Action, as_at: dt.date | None = None) -> RagRating | None:
    """The latest RAG given for a quarter up to the one holding ``as_at`` (prefetched ratings).

    A page for January 2020 does not show a rating given later for a later quarter.
    """
    ratings = list(action.rag_ratings.all())
    if as_at is not None:
        limit = quarter_of(as_at)
        ratings = [r for r in ratings if (r.year, r.quarter) <= limit]
    return ratings[-1] if ratings else None


def latest_rag(action: Action, as_at: dt.date | None = None) -> str:
    rating = latest_rating(action, as_at)
    return rating.rag if rating else ""


def apply_filters(actions: list[Action], filters: TrackerFilters, today: dt.date) -> list[Action]:
    out = []
    for a in actions:
        if filters.owner and filters.owner not in {p.pk for p in a.owners.all()}:
            continue
        if filters.status and a.status != filters.status:
            continue
        if filters.rag and latest_rag(a, today) != filters.rag:
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
    no_date: int = 0

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
        s.by_rag[latest_rag(a, today)] += 1
        s.overdue += a.is_overdue(today)
        s.done += a.status in DONE_STATUSES
        s.no_date += a.no_date_read and not a.is_done
    return list(summaries.values())


def needs_a_date(programme: Programme) -> list[Action]:
    """Open actions whose When? gave no date: listed for attention, never silently "not due"."""
    return [a for a in actions_of(programme) if a.no_date_read and not a.is_done]


def rag_quarters(quarter: tuple[int, int], count: int = 4) -> list[tuple[int, int]]:
    """The ``count`` financial quarters ending with ``quarter``, oldest first.

    Seed 001's "Q4 Q1 Q2 Q3" columns: the last four quarters up to the reporting period's.
    """
    year, q = quarter
    out = []
    for _ in range(count):
        out.append((year, q))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out[::-1]


def quarter_label(year: int, quarter: int, short: bool = False) -> str:
    return f"Q{quarter}" if short else f"{year}/{(year + 1) % 100:02d} Q{quarter}"


def rags_by_quarter(action: Action, quarters: list[tuple[int, int]]) -> list[str]:
    """The action's RAG in each quarter ("" where none was given), from prefetched ratings."""
    given = {(r.year, r.quarter): r.rag for r in action.rag_ratings.all()}
    return [given.get(q, "") for q in quarters]


@dataclass
class ThemeActionRow:
    """One key action of seed 001's theme table, with its RAG per quarter column."""

    action: Action
    rags: list[str]
    overdue: bool


@dataclass
class ThemeObjective:
    recommendation: object
    rows: list[ThemeActionRow]


def theme_objectives(theme: Theme, quarters: list[tuple[int, int]], as_at: dt.date) -> list[ThemeObjective]:
    """Seed 001's "Objective | Key Actions | Q4 Q1 Q2 Q3" table of a theme (objectives without actions too)."""
    by_rec: dict[int, list[ThemeActionRow]] = {}
    for a in actions_of(theme.programme).filter(recommendation__theme=theme):
        by_rec.setdefault(a.recommendation_id, []).append(
            ThemeActionRow(a, rags_by_quarter(a, quarters), a.is_overdue(as_at)))
    return [ThemeObjective(rec, by_rec.get(rec.pk, []))
            for rec in theme.recommendations.select_related("source").order_by("order", "id")]


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
    for a in actions:
        a.period_rating = latest_rating(a, as_at)
    done_ids = {a.pk for a in completed}
    outstanding = [a for a in actions if a.pk not in done_ids]
    return _group(outstanding), _group(completed), len(outstanding), len(completed)


def owner_choices(programme: Programme):
    return programme.people.filter(~Q(actions=None)).distinct().order_by("name")
