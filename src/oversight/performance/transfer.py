"""The performance app's sections of the programme JSON: ``local_measures`` and ``scorecard_groups``.

``oversight plan export --format json`` writes them beside the plan (``plans.exchange``), and an
import gives them back here inside the plan import's transaction. Each loader checks every
item before it writes anything and names the bad value by its path in the file
(``plan.json: local_measures[1].values[3].denominator: expected a whole number ≥ 0, found -2``).
"""

from __future__ import annotations

import re
from typing import Any

from .local import PERIOD_TYPES, POLARITIES, UNITS, check_value, computed_value

_CODE = re.compile(r"^[-a-z0-9_]{1,50}$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _fail(message: str):
    from oversight.plans.importers.draft import PlanImportError

    raise PlanImportError(message)


def _group_of(programme) -> dict[str, str]:
    out: dict[str, str] = {}
    for g in programme.scorecard_groups.prefetch_related("entries"):
        for e in g.entries.all():
            out.setdefault(e.indicator, g.title)
    return out


def export_local_measures(programme) -> list[dict]:
    groups = _group_of(programme)
    return [{
        "code": m.code, "ref": m.ref, "name": m.name, "unit": m.unit, "polarity": m.polarity,
        "period_type": m.period_type, "source": m.source, "definition": m.definition,
        "group": groups.get(m.indicator_id),
        "values": [{"month": f"{v.month:%Y-%m}", "numerator": v.numerator, "denominator": v.denominator,
                    "value": v.value} for v in m.values.order_by("month")],
    } for m in programme.local_measures.order_by("ref", "code")]


def _text(item: dict, key: str, where: str, limit: int, required: bool = False) -> str:
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        _fail(f"{where}.{key}: expected text, found {value!r}")
    if required and not value.strip():
        _fail(f"{where}.{key}: expected text, found nothing")
    if len(value) > limit:
        _fail(f"{where}.{key}: expected at most {limit} characters, found {len(value)}")
    return value


def _choice(item: dict, key: str, where: str, allowed: tuple[str, ...]) -> str:
    value = item.get(key)
    if value not in allowed:
        _fail(f"{where}.{key}: expected one of {', '.join(allowed)}, found {value!r}")
    return value


def _whole(v: Any, where: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        _fail(f"{where}: expected a whole number ≥ 0, found {v!r}")
    return v


def _number(v: Any, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        _fail(f"{where}: expected a number, found {v!r}")
    return float(v)


def _check_measures(items: list, filename: str) -> list[dict]:
    import datetime as dt

    checked = []
    codes: set[str] = set()
    for i, item in enumerate(items):
        where = f"{filename}: local_measures[{i}]"
        if not isinstance(item, dict):
            _fail(f"{where}: expected an object")
        code = item.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            _fail(f"{where}.code: expected lower-case letters, digits and hyphens (at most 50), found {code!r}")
        if code in codes:
            _fail(f"{where}.code: {code!r} is given twice")
        codes.add(code)
        m = {"code": code, "ref": _text(item, "ref", where, 20), "name": _text(item, "name", where, 300, True),
             "unit": _choice(item, "unit", where, UNITS), "polarity": _choice(item, "polarity", where, POLARITIES),
             "period_type": _choice(item, "period_type", where, PERIOD_TYPES),
             "source": _text(item, "source", where, 300), "definition": _text(item, "definition", where, 10000),
             "group": _text(item, "group", where, 300) or None, "values": []}
        values = item.get("values") or []
        if not isinstance(values, list):
            _fail(f"{where}.values: expected a list")
        months: set[str] = set()
        for j, v in enumerate(values):
            vw = f"{where}.values[{j}]"
            if not isinstance(v, dict):
                _fail(f"{vw}: expected an object")
            month = v.get("month")
            if not isinstance(month, str) or not _MONTH.match(month):
                _fail(f"{vw}.month: expected a month as YYYY-MM, found {month!r}")
            if month in months:
                _fail(f"{vw}.month: {month} is given twice")
            months.add(month)
            n = _whole(v.get("numerator"), f"{vw}.numerator")
            d = _whole(v.get("denominator"), f"{vw}.denominator")
            val = _number(v.get("value"), f"{vw}.value")
            for field, message in check_value(m["unit"], n, d, val):
                _fail(f"{vw}.{field}: {message}")
            if n is None and d is None and val is None:
                continue  # a month with no figure is no row
            m["values"].append((dt.date(int(month[:4]), int(month[5:]), 1), n, d, val))
        checked.append(m)
    return checked


def load_local_measures(programme, items: list, filename: str) -> None:
    """Check every measure and value, then write; a measure's months become exactly the file's."""
    from .models import LocalMeasure, LocalMeasureValue, ScorecardEntry, ScorecardGroup

    checked = _check_measures(items, filename)
    for m in checked:
        measure, _ = LocalMeasure.objects.update_or_create(
            programme=programme, code=m["code"],
            defaults={k: m[k] for k in ("ref", "name", "unit", "polarity", "period_type", "source", "definition")})
        measure.values.all().delete()
        for month, n, d, val in m["values"]:
            LocalMeasureValue(measure=measure, month=month, numerator=n, denominator=d,
                              value=computed_value(m["unit"], n, d, val)).save()
        if m["group"]:
            group = programme.scorecard_groups.filter(title=m["group"]).first()
            if group is None:
                last = programme.scorecard_groups.order_by("-order").first()
                group = ScorecardGroup.objects.create(programme=programme, title=m["group"],
                                                      order=(last.order + 1) if last else 1)
            if not group.entries.filter(indicator=measure.indicator_id).exists():
                last_e = group.entries.order_by("-order").first()
                ScorecardEntry.objects.create(group=group, indicator=measure.indicator_id,
                                              order=(last_e.order + 1) if last_e else 1)


def export_scorecard_groups(programme) -> list[dict]:
    return [{"title": g.title, "order": g.order, "theme": g.theme.title if g.theme else None,
             "entries": [e.indicator for e in g.entries.order_by("order", "id")]}
            for g in programme.scorecard_groups.select_related("theme").order_by("order", "id")]


def load_scorecard_groups(programme, items: list, filename: str) -> None:
    """Check every group (themes and measures must exist), then write; entries become the file's."""
    from .models import ScorecardEntry, ScorecardGroup
    from .services import configured_catalogue

    themes = {t.title: t for t in programme.themes.all()}
    known = set(configured_catalogue().ids()) | {m.indicator_id for m in programme.local_measures.all()}
    checked = []
    titles: set[str] = set()
    for i, item in enumerate(items):
        where = f"{filename}: scorecard_groups[{i}]"
        if not isinstance(item, dict):
            _fail(f"{where}: expected an object")
        title = _text(item, "title", where, 300, True)
        if title in titles:
            _fail(f"{where}.title: {title!r} is given twice")
        titles.add(title)
        order = item.get("order", i + 1)
        if isinstance(order, bool) or not isinstance(order, int) or order < 0:
            _fail(f"{where}.order: expected a whole number ≥ 0, found {order!r}")
        theme = item.get("theme")
        if theme is not None and theme not in themes:
            _fail(f"{where}.theme: expected the title of one of the programme's themes, found {theme!r}")
        entries = item.get("entries") or []
        if not isinstance(entries, list):
            _fail(f"{where}.entries: expected a list of indicator ids")
        for j, e in enumerate(entries):
            if e not in known:
                _fail(f"{where}.entries[{j}]: expected a catalogue indicator id or the id of a local measure "
                      f"(local-<code>), found {e!r}")
        if len(set(entries)) != len(entries):
            _fail(f"{where}.entries: an indicator is listed twice")
        checked.append((title, order, themes.get(theme) if theme else None, entries))
    for title, order, theme, entries in checked:
        group = programme.scorecard_groups.filter(title=title).first() or ScorecardGroup(programme=programme,
                                                                                           title=title)
        group.order, group.theme = order, theme
        group.save()
        group.entries.all().delete()
        ScorecardEntry.objects.bulk_create([ScorecardEntry(group=group, indicator=e, order=n)
                                            for n, e in enumerate(entries, start=1)])


def register() -> None:
    from oversight.plans import exchange

    exchange.register(exchange.Section("local_measures", export_local_measures, load_local_measures, order=60))
    exchange.register(exchange.Section("scorecard_groups", export_scorecard_groups, load_scorecard_groups,
                                       order=65))
