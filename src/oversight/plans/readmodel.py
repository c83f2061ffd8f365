"""The plan's read models: the action tracker and the programme overview, built once.

Why here: the on-screen tracker and programme pages, their ``.json`` twins and the board reports
(``reports/builders/tracker.py`` and ``highlight.py`` call these functions) must print the same
figures, so each is computed in one place. ``plans`` may not import ``reports`` (nor
``performance`` or ``risks``), so these builders return the Django-free types of
:mod:`oversight.engine.document` and the reports compose them with what the other apps give.

Queries are bounded whatever the plan's size: :func:`load` reads themes, objectives and actions
(owners, steps, notes and RAG ratings prefetched) once, and every builder takes its result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from oversight.engine.document import (
    BudgetRow,
    Cell,
    Column,
    HighlightHeader,
    KeyAction,
    MetaItem,
    NoteLine,
    ObjectiveRow,
    Section,
    Table,
    ThemeSection,
    TrackerReport,
    TrackerRow,
    long_date,
    money,
    rag_cell,
    rag_label,
    short_date,
    uk_date,
)

from .models import (
    DONE_STATUSES,
    Action,
    Person,
    Programme,
    ProgressNote,
    RagRating,
    Recommendation,
    Status,
    Step,
    Theme,
    quarter_of,
)
from .periods import Period
from .queries import TrackerFilters, quarter_label, rag_quarters
from .status import budget_for, budget_totals, status_for, theme_overviews_for

STATUS_LABELS = dict(Status.choices)


# --------------------------------------------------------------------------- reading once
@dataclass
class PlanData:
    """Themes, objectives and actions of one programme, read once (a bounded number of queries)."""

    programme: Programme
    themes: list[Theme]
    recommendations: list[Recommendation]
    actions: list[Action]

    def actions_by_recommendation(self) -> dict[int, list[Action]]:
        out: dict[int, list[Action]] = {}
        for a in self.actions:
            out.setdefault(a.recommendation_id, []).append(a)
        return out


def load(programme: Programme, *, detail: bool = True) -> PlanData:
    """Read the plan: 3 queries, plus owners, steps (``detail``), notes and RAG ratings prefetched.

    Every action's ``recommendation`` (and its ``theme``) is the instance of the lists returned,
    so nothing is fetched again row by row.
    """
    themes = list(Theme.objects.filter(programme=programme).order_by("order", "id"))
    by_theme = {t.pk: t for t in themes}
    recs = [r for r in Recommendation.objects.filter(theme__programme=programme).select_related("source")
            .order_by("theme__order", "theme_id", "order", "id") if r.theme_id in by_theme]
    by_rec = {r.pk: r for r in recs}
    for r in recs:
        r.theme = by_theme[r.theme_id]
    # Explicit orderings: the models' default ones ("action" first) join up to the programme table.
    prefetch: list[Any] = [
        Prefetch("notes", queryset=ProgressNote.objects.order_by("action_id", "date", "created_at", "id")),
        Prefetch("rag_ratings", queryset=RagRating.objects.order_by("action_id", "year", "quarter"))]
    if detail:
        prefetch += [Prefetch("owners", queryset=Person.objects.order_by("name", "id")),
                     Prefetch("steps", queryset=Step.objects.order_by("action_id", "order", "id"))]
    actions = list(Action.objects.filter(recommendation__theme__programme=programme).order_by()
                   .prefetch_related(*prefetch))
    actions = [a for a in actions if a.recommendation_id in by_rec]
    for a in actions:
        a.recommendation = by_rec[a.recommendation_id]
    order = {r.pk: i for i, r in enumerate(recs)}
    actions.sort(key=lambda a: (order[a.recommendation_id], a.order, a.pk))
    for r in recs:
        r.theme.programme = programme
    return PlanData(programme, themes, recs, actions)


# --------------------------------------------------------------------------- an action as at a period
# Each rule is written once on plain values, so the tracker (model instances) and the overview
# (lean ``values_list`` rows) count alike.
def is_done_at(status: str, completed_on: dt.date | None, as_at: dt.date) -> bool:
    """Completed (or closed) as at the period: done, and not completed after the as-at date."""
    return status in DONE_STATUSES and (completed_on is None or completed_on <= as_at)


def status_as_at(status: str, completed_on: dt.date | None, moves: list[tuple[dt.date, str]],
                 as_at: dt.date) -> str:
    """The status as at the period: its status, unless that was reached after the as-at.

    Notes record status moves (``status_to``, oldest first); the last one on or before the as-at
    says what the board saw then. An action completed after the as-at reads as in progress.
    """
    if status in DONE_STATUSES and not is_done_at(status, completed_on, as_at):
        moved = [to for day, to in moves if to and day <= as_at]
        return str(moved[-1]) if moved and moved[-1] not in DONE_STATUSES else str(Status.IN_PROGRESS)
    return str(status)


def overdue_at(status: str, due: dt.date | None, as_at: dt.date) -> bool:
    """Due before the period's as-at and not done (``Action.is_overdue``)."""
    return bool(due and due < as_at and status not in DONE_STATUSES)


def no_date(status: str, when_text: str, due: dt.date | None) -> bool:
    """An open action whose When? gave no date that could be read ("Ongoing", "Phase 2")."""
    return bool(when_text.strip()) and due is None and status not in DONE_STATUSES


def done_at(action: Action, as_at: dt.date) -> bool:
    return is_done_at(action.status, action.completed_on, as_at)


def status_at(action: Action, as_at: dt.date) -> str:
    return status_as_at(action.status, action.completed_on,
                        [(n.date, n.status_to) for n in action.notes.all()], as_at)


def notes_to(action: Action, as_at: dt.date) -> list[Any]:
    """The progress notes dated on or before the as-at, oldest first."""
    return sorted((n for n in action.notes.all() if n.date <= as_at), key=lambda n: (n.date, n.created_at, n.pk))


def ratings_by_quarter(action: Action) -> dict[tuple[int, int], str]:
    return {(r.year, r.quarter): r.rag for r in action.rag_ratings.all()}


def latest_rating_at(action: Action, as_at: dt.date) -> RagRating | None:
    """The latest RAG given for a quarter up to the period's (a later quarter's rating is not shown)."""
    limit = quarter_of(as_at)
    ratings = [r for r in action.rag_ratings.all() if (r.year, r.quarter) <= limit]
    return ratings[-1] if ratings else None


def quarter_columns(quarters: list[tuple[int, int]]) -> list[Column]:
    return [Column(f"q{y}_{q}", f"Q{q}", group=f"{y}/{(y + 1) % 100:02d}", width=0.6) for y, q in quarters]


# --------------------------------------------------------------------------- the tracker (seed 000)
def tracker_rows(data: PlanData, period: Period) -> list[TrackerRow]:
    """Every action as the tracker prints it at the period (outstanding and completed alike)."""
    as_at = period.as_at
    quarters = rag_quarters(period.quarter)
    rows = []
    for a in data.actions:
        rec = a.recommendation
        given = ratings_by_quarter(a)
        status = status_at(a, as_at)
        notes = notes_to(a, as_at)
        rating = latest_rating_at(a, as_at)
        owners = list(a.owners.all())
        steps = [s.text for s in a.steps.all()]
        rows.append(TrackerRow(
            number=a.ref, theme=rec.theme.title, recommendation=f"{rec.ref} {rec.text}".strip(), what=a.title,
            who=", ".join(p.name for p in owners), how="\n".join(f"• {s}" for s in steps),
            when=a.when_text or uk_date(a.due), success_measure=a.success_measure, status=status,
            status_label=STATUS_LABELS.get(status, status),
            outcome="\n".join(f"{uk_date(n.date)}: {n.text}" for n in notes),
            rags=tuple(given.get(q, "") for q in quarters), overdue=overdue_at(a.status, a.due, as_at),
            completed=done_at(a, as_at),
            action_id=a.pk, theme_id=rec.theme_id, recommendation_id=rec.pk, recommendation_ref=rec.ref,
            recommendation_text=rec.text, source=rec.source.label if rec.source_id and rec.source else "",
            owners=tuple(p.name for p in owners), owner_ids=tuple(p.pk for p in owners), steps=tuple(steps),
            when_text=a.when_text, due=a.due, no_date_read=no_date(a.status, a.when_text, a.due),
            rag=rating.rag if rating else "", rag_quarter=rating.period_label if rating else "",
            notes=tuple(NoteLine(n.date, n.text) for n in notes), completed_on=a.completed_on))
    return rows


def tracker_report(programme: Programme, period: Period, *, data: PlanData | None = None,
                   for_publication: bool = False, notice: str = "") -> TrackerReport:
    """The improvement action tracker: outstanding actions, then "Actions completed as at <date>".

    The page, its JSON and the tracker report (DOCX, XLSX, PDF) are this object. ``notice`` is the
    footer the reports app gives (small-number suppression; the tracker prints no counts).
    """
    data = data or load(programme)
    as_at = period.as_at
    quarters = rag_quarters(period.quarter)
    outstanding: list[TrackerRow] = []
    completed: list[TrackerRow] = []
    for row in tracker_rows(data, period):
        (completed if row.completed else outstanding).append(row)
    done_title = f"Actions completed as at {long_date(as_at)}"
    qcols = quarter_columns(quarters)
    return TrackerReport(
        name="tracker", title="Improvement action tracker", subtitle=f"{programme.name} — {period.label}",
        programme=programme.name, programme_slug=programme.slug, as_at=as_at, period_label=period.label,
        meta=(MetaItem("Programme", programme.name), MetaItem("Period", period.label),
              MetaItem("As at", long_date(as_at)), MetaItem("Outstanding", str(len(outstanding))),
              MetaItem("Completed", str(len(completed)))),
        sections=(
            Section("outstanding", "Outstanding actions", (tracker_table(
                outstanding, "outstanding", "Outstanding actions", qcols, "No outstanding actions."),)),
            Section("completed", done_title, (tracker_table(
                completed, "completed", done_title, qcols, "No actions completed by this date."),)),
        ),
        landscape=True, for_publication=for_publication, notice=notice,
        quarter_labels=tuple(f"Q{q}" for _y, q in quarters), outstanding=tuple(outstanding),
        completed=tuple(completed))


def tracker_table(rows: list[TrackerRow], key: str, caption: str, qcols: list[Column], empty: str) -> Table:
    cols = (Column("no", "No", width=0.5), Column("what", "What?", width=2.5), Column("who", "Who?", width=1.2),
            Column("how", "How?", width=2.5), Column("when", "When?", width=0.9),
            Column("success", "Success measure", width=2), Column("status", "Current status", width=1),
            Column("outcome", "Outcome", width=3.5), *qcols)
    return Table(key, caption, cols, tuple(
        (Cell(r.number), Cell(r.what), Cell(r.who), Cell(r.how),
         Cell(r.when + (" (overdue)" if r.overdue else ""), rag="red" if r.overdue else ""),
         Cell(r.success_measure), Cell(r.status_label), Cell(r.outcome), *(rag_cell(g) for g in r.rags))
        for r in rows), empty_text=empty)


def filter_rows(rows: tuple[TrackerRow, ...], filters: TrackerFilters) -> list[TrackerRow]:
    """The on-screen tracker's filters (owner, status and RAG as at the period, overdue, words)."""
    out = []
    for r in rows:
        if filters.owner and filters.owner not in r.owner_ids:
            continue
        if filters.status and r.status != filters.status:
            continue
        if filters.rag and r.rag != filters.rag:
            continue
        if filters.overdue and not r.overdue:
            continue
        if filters.text and filters.text.lower() not in f"{r.number} {r.what} {r.success_measure}".lower():
            continue
        out.append(r)
    return out


@dataclass
class RecommendationRows:
    ref: str
    text: str
    source: str
    rows: list[TrackerRow]
    items: list[tuple[TrackerRow, Any]] = field(default_factory=list)  # (row, its evidence or None)


@dataclass
class ThemeRows:
    theme: str
    theme_id: int
    recommendations: list[RecommendationRows]


def group_rows(rows: list[TrackerRow], evidence: dict[int, Any] | None = None) -> list[ThemeRows]:
    """Rows under their theme and objective, in plan order (the page's and the JSON's nesting)."""
    evidence = evidence or {}
    blocks: list[ThemeRows] = []
    for r in rows:
        if not blocks or blocks[-1].theme_id != r.theme_id:
            blocks.append(ThemeRows(r.theme, r.theme_id, []))
        recs = blocks[-1].recommendations
        if not recs or recs[-1].ref != r.recommendation_ref or recs[-1].text != r.recommendation_text:
            recs.append(RecommendationRows(r.recommendation_ref, r.recommendation_text, r.source, []))
        recs[-1].rows.append(r)
        recs[-1].items.append((r, evidence.get(r.action_id)))
    return blocks


# --------------------------------------------------------------------------- the programme overview
@dataclass(frozen=True)
class ThemeLine:
    """One theme on the programme overview: its overview narrative and RAG, and its actions counted."""

    id: int
    number: int
    title: str
    overview: str
    overview_rag: str
    overview_rag_label: str
    overview_period: dt.date | None  # the period the overview was written for (None: none written)
    overview_from: str  # "As reported for December 2019" when carried forward
    total: int
    done: int
    overdue: int
    no_date: int
    by_status: tuple[tuple[str, str, int], ...]  # (status, label, count) for statuses with actions
    by_rag: dict[str, int] = field(default_factory=dict)  # red, amber, green, none

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return [(label, n) for _s, label, n in self.by_status]


@dataclass(frozen=True)
class NoDateAction:
    id: int
    ref: str
    title: str
    when_text: str


@dataclass(frozen=True)
class StatusLine:
    """Who wrote the overall status, for which period and when (the page's hint)."""

    period_end: dt.date
    written_by: str
    updated_at: dt.datetime | None
    author: str | None  # the signed-in user's name (JSON ``status.author``)


@dataclass(frozen=True)
class BudgetLineView:
    """A budget line: the printed cells (``row``) and what the page needs to edit it."""

    id: int | None
    period_end: dt.date | None
    row: BudgetRow
    raw: dict[str, str | None]  # "112500.00" as the programme JSON writes money


@dataclass(frozen=True)
class ProgrammeOverview:
    """The programme as at a period: seed 001's header, narrative, budget and theme overviews, and counts.

    The highlight report's header, narrative, budget and theme overview RAGs are these objects.
    """

    programme: str
    slug: str
    period: Period
    header: HighlightHeader
    narrative: str
    status: StatusLine | None
    budget: tuple[BudgetLineView, ...]
    budget_total: BudgetRow | None
    budget_from: dt.date | None  # the period the budget lines were written for
    themes: tuple[ThemeLine, ...]
    totals: dict[str, int]
    no_date_read: tuple[NoDateAction, ...]

    @property
    def budget_rows(self) -> tuple[BudgetRow, ...]:
        """Every printed budget row, the total last (as the highlight report prints them)."""
        return tuple(b.row for b in self.budget) + ((self.budget_total,) if self.budget_total else ())


def _money_text(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def overview(programme: Programme, period: Period) -> ProgrammeOverview:
    """Status, budget, theme overviews and action counts as at ``period``.

    Ten small queries whatever the plan's size, reading plain values rather than model instances
    (the programme page is the most visited page): themes, actions, RAG ratings, the status moves
    of actions completed after the as-at, status, theme overviews, budget (2), people.
    """
    as_at = period.as_at
    status = status_for(programme, period)
    overviews = theme_overviews_for(programme, period)
    lines = budget_for(programme, period)
    wanted = [x for x in (programme.sro_id, programme.programme_manager_id) if x]
    people = {pk: name for pk, name in programme.people.filter(pk__in=wanted).values_list("pk", "name")} \
        if wanted else {}
    rag = status.rag if status else ""
    header = HighlightHeader(
        sro=people.get(programme.sro_id, ""), programme_manager=people.get(programme.programme_manager_id, ""),
        date_of_report=short_date(status.updated_at.date() if status and status.updated_at else as_at),
        overall_status=rag, overall_status_label=rag_label(rag) or "Not rated",
        status_from=(f"As reported for {status.period_end:%B %Y}" if status and status.period_end < period.start
                     else ""))
    budget = tuple(BudgetLineView(
        b.pk, b.period_end, BudgetRow(b.name, money(b.budget), money(b.actual), money(b.forecast),
                                      money(b.variance), b.comments),
        {"budget": _money_text(b.budget), "actual": _money_text(b.actual), "forecast": _money_text(b.forecast),
         "variance": _money_text(b.variance)}) for b in lines)
    totals_ = budget_totals(lines)
    total_row = (BudgetRow("Total", money(totals_.budget), money(totals_.actual), money(totals_.forecast),
                           money(totals_.variance), "") if totals_ is not None else None)

    theme_rows = list(Theme.objects.filter(programme=programme).order_by("order", "id")
                      .values_list("pk", "title"))
    in_plan = Action.objects.filter(recommendation__theme__programme=programme)
    facts = list(in_plan.order_by("recommendation__theme__order", "recommendation__theme_id",
                                  "recommendation__order", "recommendation_id", "order", "id")
                 .values_list("pk", "recommendation__theme_id", "ref", "title", "status", "completed_on", "due",
                              "when_text"))
    ratings: dict[int, list[tuple[int, int, str]]] = {}
    for action_id, year, quarter, given in (RagRating.objects.filter(action__in=in_plan)
                                            .order_by("action_id", "year", "quarter")
                                            .values_list("action_id", "year", "quarter", "rag")):
        ratings.setdefault(action_id, []).append((year, quarter, given))
    moves: dict[int, list[tuple[dt.date, str]]] = {}
    later = in_plan.filter(status__in=list(DONE_STATUSES), completed_on__gt=as_at)
    for action_id, day, to in (ProgressNote.objects.filter(action__in=later).exclude(status_to="")
                               .order_by("action_id", "date", "created_at", "id")
                               .values_list("action_id", "date", "status_to")):
        moves.setdefault(action_id, []).append((day, to))

    limit = quarter_of(as_at)
    counts: dict[int, dict[str, Any]] = {pk: {"total": 0, "done": 0, "overdue": 0, "no_date": 0,
                                              "status": Counter(), "rag": Counter()} for pk, _t in theme_rows}
    no_date_read: list[NoDateAction] = []
    for pk, theme_id, ref, title, st, completed_on, due, when_text in facts:
        s = counts[theme_id]
        given = [g for y, q, g in ratings.get(pk, []) if (y, q) <= limit]
        s["total"] += 1
        s["status"][status_as_at(st, completed_on, moves.get(pk, []), as_at)] += 1
        s["rag"][given[-1] if given else ""] += 1
        s["overdue"] += overdue_at(st, due, as_at)
        s["done"] += is_done_at(st, completed_on, as_at)
        if no_date(st, when_text, due):
            s["no_date"] += 1
            no_date_read.append(NoDateAction(pk, ref, title, when_text))
    themes = []
    for number, (theme_pk, theme_title) in enumerate(theme_rows, start=1):
        ov = overviews.get(theme_pk)
        s = counts[theme_pk]
        themes.append(ThemeLine(
            id=theme_pk, number=number, title=theme_title, overview=ov.narrative if ov else "",
            overview_rag=ov.rag if ov else "", overview_rag_label=rag_label(ov.rag if ov else "") or "Not rated",
            overview_period=ov.period_end if ov else None,
            overview_from=(f"As reported for {ov.period_end:%B %Y}" if ov and ov.period_end < period.start else ""),
            total=s["total"], done=s["done"], overdue=s["overdue"], no_date=s["no_date"],
            by_status=tuple((v, label, s["status"][v]) for v, label in Status.choices if s["status"][v]),
            by_rag={"red": s["rag"]["red"], "amber": s["rag"]["amber"], "green": s["rag"]["green"],
                    "none": s["rag"][""]}))
    totals = {
        "actions": sum(t.total for t in themes), "done": sum(t.done for t in themes),
        "overdue": sum(t.overdue for t in themes), "no_date": sum(t.no_date for t in themes),
        "red": sum(t.by_rag["red"] for t in themes), "amber": sum(t.by_rag["amber"] for t in themes),
        "green": sum(t.by_rag["green"] for t in themes),
    }
    status_line = None
    if status is not None:
        status_line = StatusLine(status.period_end, status.written_by, status.updated_at, _user_name(status.author))
    return ProgrammeOverview(
        programme=programme.name, slug=programme.slug, period=period, header=header,
        narrative=status.narrative if status else "", status=status_line, budget=budget, budget_total=total_row,
        budget_from=lines[0].period_end if lines else None, themes=tuple(themes), totals=totals,
        no_date_read=tuple(no_date_read))


# --------------------------------------------------------------------------- what other apps add to an action
# ``performance`` registers the evidence behind an action's RAG (its linked indicators' figures) in
# its ``AppConfig.ready``; the tracker and action pages ask here, so ``plans`` never imports it.
EvidenceProvider = Callable[[list[Action]], dict[int, Any]]
_evidence_providers: list[EvidenceProvider] = []


def register_evidence(provider: EvidenceProvider) -> None:
    """``provider(actions) -> {action id: evidence}`` (an object with ``items`` and ``conflict``)."""
    if provider not in _evidence_providers:
        _evidence_providers.append(provider)


def evidence_for(actions: list[Action]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for provider in _evidence_providers:
        out.update(provider(actions))
    return out


# --------------------------------------------------------------------------- the highlight report's plan parts
def theme_sections(data: PlanData, view: ProgrammeOverview, period: Period) -> list[ThemeSection]:
    """Seed 001's theme parts: overview narrative and RAG, and the objectives with their key actions.

    The KPI tables are added by the reports app (they come from the scorecard).
    """
    as_at = period.as_at
    quarters = rag_quarters(period.quarter)
    by_rec = data.actions_by_recommendation()
    lines = {t.id: t for t in view.themes}
    out = []
    for t in data.themes:
        line = lines[t.pk]
        objectives = []
        for r in data.recommendations:
            if r.theme_id != t.pk:
                continue
            acts = by_rec.get(r.pk, [])
            latest = sorted((n for a in acts for n in notes_to(a, as_at)), key=lambda n: (n.date, n.pk))
            objectives.append(ObjectiveRow(
                objective=r.text,
                actions=tuple(KeyAction(a.ref, a.title, status_at(a, as_at),
                                        tuple(ratings_by_quarter(a).get(q, "") for q in quarters)) for a in acts),
                narrative=latest[-1].text if latest else ""))
        out.append(ThemeSection(
            number=line.number, title=t.title, overview=line.overview if line.overview_period else t.overview,
            overview_rag=line.overview_rag, overview_from=line.overview_from, kpi_groups=(),
            quarter_labels=tuple(f"Q{q}" for _y, q in quarters), objectives=tuple(objectives)))
    return out


__all__ = [
    "BudgetLineView", "NoDateAction", "PlanData", "ProgrammeOverview", "StatusLine", "ThemeLine", "done_at",
    "evidence_for", "filter_rows", "group_rows", "is_done_at", "load", "no_date", "notes_to", "overdue_at",
    "overview", "quarter_label", "register_evidence", "status_as_at", "status_at", "theme_sections",
    "tracker_report", "tracker_rows",
]
