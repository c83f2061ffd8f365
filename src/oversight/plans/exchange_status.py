"""The programme JSON's ``status_reports``, ``theme_overviews`` and ``budget`` sections.

Registered with ``plans.exchange`` in ``PlansConfig.ready`` like any other app's sections.
Each loader checks every item before writing anything (an unknown period, a RAG of "purple",
money with three decimals, a variance that disagrees with forecast − budget are refused with
the path of the value) and then replaces the programme's records of that kind, so importing
an export into an empty database gives back the same document.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from .importers.draft import PlanImportError
from .models import BudgetLine, Rag, StatusReport, ThemeOverview

MONEY_DIGITS, MONEY_PLACES = 12, 2


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def _money(v: Decimal | None) -> str | None:
    return None if v is None else f"{v:.2f}"


def export_status_reports(programme) -> list[dict]:
    return [{"period": r.period_end.isoformat(), "rag": r.rag or None, "narrative": r.narrative,
             "author": r.written_by or None, "updated": _iso(r.updated_at)}
            for r in programme.status_reports.select_related("author").order_by("period_end")]


def export_theme_overviews(programme) -> list[dict]:
    rows = (ThemeOverview.objects.filter(theme__programme=programme).select_related("theme", "author")
            .order_by("theme__order", "theme_id", "period_end"))
    return [{"theme": o.theme.title, "period": o.period_end.isoformat(), "rag": o.rag or None,
             "narrative": o.narrative, "author": o.written_by or None, "updated": _iso(o.updated_at)}
            for o in rows]


def export_budget(programme) -> list[dict]:
    return [{"period": b.period_end.isoformat(), "name": b.name, "budget": _money(b.budget),
             "actual": _money(b.actual), "forecast": _money(b.forecast), "variance": _money(b.variance),
             "comments": b.comments}
            for b in programme.budget_lines.order_by("period_end", "order", "id")]


class _Check:
    def __init__(self, filename: str, key: str) -> None:
        self.filename, self.key = filename, key

    def fail(self, path: str, message: str) -> None:
        raise PlanImportError(f"{self.filename}: {path}: {message}")

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "expected an object")
        return value

    def text(self, o: dict, key: str, path: str, *, required: bool = False, limit: int | None = None) -> str:
        value = o.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{path}.{key}", "is missing")
            return ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", f"expected text, found {value!r}")
        if limit and len(value) > limit:
            self.fail(f"{path}.{key}", f"is longer than {limit} characters")
        return value

    def period(self, o: dict, path: str) -> dt.date:
        """A reporting period's as-at date, ISO (``2020-01-31``): the last day of a month."""
        from .periods import month_end

        raw = o.get("period")
        try:
            day = dt.date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            day = None
        if day is None or day != month_end(day):
            self.fail(f"{path}.period", f"expected a reporting period as its last day, like '2020-01-31', "
                                        f"found {raw!r}")
        return day

    def rag(self, o: dict, path: str) -> str:
        raw = o.get("rag")
        if raw in (None, ""):
            return ""
        if raw not in Rag.values:
            self.fail(f"{path}.rag", f"expected red, amber, green or null, found {raw!r}")
        return raw

    def money(self, o: dict, key: str, path: str) -> Decimal | None:
        raw = o.get(key)
        if raw in (None, ""):
            return None
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.fail(f"{path}.{key}", f"expected a sum of money like \"112500.00\", found {raw!r}")
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.fail(f"{path}.{key}", f"expected a sum of money like \"112500.00\", found {raw!r}")
        sign, digits, exponent = value.as_tuple()
        places = max(0, -exponent)
        whole = max(0, len(digits) + exponent)
        if places > MONEY_PLACES:
            self.fail(f"{path}.{key}", f"expected pounds and pence (at most {MONEY_PLACES} decimal places), "
                                       f"found {raw!r}")
        if whole > MONEY_DIGITS - MONEY_PLACES:
            self.fail(f"{path}.{key}", f"expected at most {MONEY_DIGITS} digits, found {raw!r}")
        if sign:
            self.fail(f"{path}.{key}", f"expected a sum of money of zero or more, found {raw!r}")
        return value.quantize(Decimal("0.01"))

    def updated(self, o: dict, path: str) -> dt.datetime | None:
        raw = o.get("updated")
        if raw in (None, ""):
            return None
        try:
            value = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            value = None
        if value is None:
            self.fail(f"{path}.updated", f"expected a date and time, found {raw!r}")
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        return value


def _restore_updated(model, pk: int, when: dt.datetime | None) -> None:
    if when is not None:  # auto_now sets "now" on save; keep the exported time instead
        model.objects.filter(pk=pk).update(updated_at=when)


def load_status_reports(programme, items: list, filename: str) -> None:
    c = _Check(filename, "status_reports")
    rows, seen = [], set()
    for i, raw in enumerate(items):
        p = f"status_reports[{i}]"
        o = c.obj(raw, p)
        period = c.period(o, p)
        if period in seen:
            c.fail(f"{p}.period", f"a second status report for {period.isoformat()}")
        seen.add(period)
        rows.append((period, c.rag(o, p), c.text(o, "narrative", p), c.text(o, "author", p, limit=200),
                     c.updated(o, p)))
    programme.status_reports.all().delete()
    for period, rag, narrative, author, updated in rows:
        r = StatusReport.objects.create(programme=programme, period_end=period, rag=rag, narrative=narrative,
                                        author_name=author)
        _restore_updated(StatusReport, r.pk, updated)


def load_theme_overviews(programme, items: list, filename: str) -> None:
    c = _Check(filename, "theme_overviews")
    themes = {t.title.casefold(): t for t in programme.themes.all()}
    rows, seen = [], set()
    for i, raw in enumerate(items):
        p = f"theme_overviews[{i}]"
        o = c.obj(raw, p)
        title = c.text(o, "theme", p, required=True)
        theme = themes.get(title.casefold())
        if theme is None:
            c.fail(f"{p}.theme", f"no theme of this plan is called {title!r}")
        period = c.period(o, p)
        if (theme.pk, period) in seen:
            c.fail(f"{p}.period", f"a second overview of {title!r} for {period.isoformat()}")
        seen.add((theme.pk, period))
        rows.append((theme, period, c.rag(o, p), c.text(o, "narrative", p), c.text(o, "author", p, limit=200),
                     c.updated(o, p)))
    ThemeOverview.objects.filter(theme__programme=programme).delete()
    for theme, period, rag, narrative, author, updated in rows:
        o = ThemeOverview.objects.create(theme=theme, period_end=period, rag=rag, narrative=narrative,
                                         author_name=author)
        _restore_updated(ThemeOverview, o.pk, updated)


def load_budget(programme, items: list, filename: str) -> None:
    c = _Check(filename, "budget")
    rows = []
    orders: dict[dt.date, int] = {}
    for i, raw in enumerate(items):
        p = f"budget[{i}]"
        o = c.obj(raw, p)
        period = c.period(o, p)
        name = c.text(o, "name", p, required=True, limit=200)
        budget, actual, forecast = (c.money(o, k, p) for k in ("budget", "actual", "forecast"))
        variance = c.money(o, "variance", p) if o.get("variance") not in (None, "") else None
        computed = forecast - budget if forecast is not None and budget is not None else None
        if o.get("variance") not in (None, "") and variance != computed:
            c.fail(f"{p}.variance", f"the variance is worked out as forecast − budget "
                                    f"({_money(computed) if computed is not None else 'blank'}), "
                                    f"the file says {o.get('variance')!r}")
        orders[period] = orders.get(period, 0) + 1
        rows.append(BudgetLine(programme=programme, period_end=period, order=orders[period], name=name,
                               budget=budget, actual=actual, forecast=forecast,
                               comments=c.text(o, "comments", p)))
    programme.budget_lines.all().delete()
    for line in rows:
        line.save()
