"""Read side of a programme's status: overall status, theme overviews and budget for a period.

A board reads the programme "as at" a period. A period for which nobody wrote a new report
shows the latest one written on or before it, and says from when (``StatusReport.period_end``
is older than the period), so the January page never goes blank because February's report is
still being drafted — and never shows a report written for a later period.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import BudgetLine, Programme, StatusReport, ThemeOverview
from .periods import Period


def status_for(programme: Programme, period: Period) -> StatusReport | None:
    """The latest overall status on or before the period's as-at (None before the first)."""
    return (programme.status_reports.filter(period_end__lte=period.as_at)
            .select_related("author").order_by("-period_end").first())


def theme_overviews_for(programme: Programme, period: Period) -> dict[int, ThemeOverview]:
    """Each theme's latest overview on or before the period, keyed by theme id."""
    out: dict[int, ThemeOverview] = {}
    rows = (ThemeOverview.objects.filter(theme__programme=programme, period_end__lte=period.as_at)
            .select_related("author").order_by("theme_id", "period_end"))
    for o in rows:
        out[o.theme_id] = o  # ordered by period: the last one wins
    return out


def budget_for(programme: Programme, period: Period) -> list[BudgetLine]:
    """The budget lines of the latest period on or before ``period`` that has any lines."""
    latest = (programme.budget_lines.filter(period_end__lte=period.as_at)
              .order_by("-period_end").values_list("period_end", flat=True).first())
    if latest is None:
        return []
    return list(programme.budget_lines.filter(period_end=latest).order_by("order", "id"))


@dataclass(frozen=True)
class BudgetTotals:
    budget: Decimal | None
    actual: Decimal | None
    forecast: Decimal | None
    variance: Decimal | None


def budget_totals(lines: list[BudgetLine]) -> BudgetTotals | None:
    """Column totals (a column with no figure at all stays blank, not £0); None for ≤ 1 line."""
    if len(lines) < 2:
        return None

    def total(values):
        present = [v for v in values if v is not None]
        return sum(present, Decimal(0)) if present else None

    return BudgetTotals(total(x.budget for x in lines), total(x.actual for x in lines),
                        total(x.forecast for x in lines), total(x.variance for x in lines))


def changes(records, excluded: tuple[str, ...] = ("version",)) -> list[dict]:
    """Who changed what and when, newest first, from simple_history records (newest first).

    The same reading for every edited model, so each page's "Change history" says the same
    kind of thing: "created", or "narrative: “…” → “…”; rag: “amber” → “red”".
    """
    out = []
    for record in records:
        prev = record.prev_record
        if prev is None:
            out.append({"when": record.history_date, "who": record.history_user, "what": "created",
                        "period": getattr(record, "period_end", None)})
            continue
        delta = record.diff_against(prev, excluded_fields=list(excluded))
        if delta.changes:
            out.append({"when": record.history_date, "who": record.history_user,
                        "period": getattr(record, "period_end", None),
                        "what": "; ".join(f"{c.field}: “{_short(c.old)}” → “{_short(c.new)}”"
                                          for c in delta.changes)})
    return out


def _short(value, limit: int = 120) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def history_of(model_history_qs, limit: int = 50) -> list[dict]:
    return changes(list(model_history_qs.select_related("history_user").order_by("-history_date", "-history_id")
                        [:limit]))
