"""Reading a plan from the JSON that ``oversight plan export --format json`` writes.

JSON is the exact format: every field is read as written, nothing is guessed, so an export
imported into an empty database exports again to the same document. Problems are reported with
the path of the value, e.g. ``themes[0].recommendations[2].actions[1].due``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from oversight.plans.importers.draft import (
    DraftAction,
    DraftNote,
    DraftPerson,
    DraftProgramme,
    DraftRag,
    DraftRecommendation,
    DraftSource,
    DraftStep,
    DraftTheme,
    PlanImportError,
)

#: Longest whole number a plan export can hold (a cost in pence has 12 digits). Python refuses
#: to read numbers of more than 4,300 digits with a raw ValueError; this refuses far earlier.
MAX_NUMBER_DIGITS = 30


def _show(value: Any) -> str:
    """A value for a one-line message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadNumber(f"a number {len(text)} digits long; at most {MAX_NUMBER_DIGITS} digits are read")
    return int(text)


def _parse_float(text: str) -> float:
    """A number with a fraction or exponent; ``1e400`` (infinite as a float) is refused.

    Floats, as ``json`` gives them, because other apps' sections (``plans.exchange``) expect
    them; a cost is turned into a Decimal from the float's shortest repr, which is exact for the
    twelve digits the column holds.
    """
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise _BadNumber(f"a number {len(text)} characters long")
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"the number {text[:40]} is too large")
    return value


def _parse_constant(name: str) -> Any:
    raise _BadNumber(f"{name} (not a number JSON allows)")


class _BadNumber(ValueError):
    pass


class _Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, path: str, message: str) -> None:
        raise PlanImportError(f"{self.filename}: {path}: {message}")

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "expected an object")
        return value

    def list(self, parent: dict, key: str, path: str) -> list:
        value = parent.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}".lstrip("."), "expected a list")
        return value

    def str(self, parent: dict, key: str, path: str, required: bool = False) -> str:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}".lstrip("."), "is missing")
            return ""
        if not isinstance(value, str):
            self.fail(f"{path}.{key}".lstrip("."), f"expected text, found {_show(value)}")
        return value

    def opt_str(self, parent: dict, key: str, path: str) -> str | None:
        return self.str(parent, key, path) or None

    def date(self, parent: dict, key: str, path: str) -> dt.date | None:
        value = parent.get(key)
        if value in (None, ""):
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{path}.{key}", f"expected a date as YYYY-MM-DD, found {_show(value)}")
        return None  # pragma: no cover

    def bool(self, parent: dict, key: str, path: str) -> bool:
        value = parent.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", f"expected true or false, found {_show(value)}")
        return value

    def money(self, parent: dict, key: str, path: str) -> Decimal | None:
        value = parent.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(f"{path}.{key}", f"expected a sum of money, found {_show(value)}")
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(f"{path}.{key}", f"expected a sum of money, found {_show(value)}")
        return None  # pragma: no cover


def _period(text: str) -> tuple[int, int] | None:
    """ "2019/20 Q4" → (2019, 4): the financial year it starts and the quarter."""
    m = re.fullmatch(r"\s*(\d{4})\s*/\s*(\d{2})\s*Q([1-4])\s*", text or "", re.I)
    return (int(m.group(1)), int(m.group(3))) if m else None


def read_json(path: Path) -> DraftProgramme:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"), parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_parse_constant)
    except UnicodeDecodeError:
        raise PlanImportError(f"{path.name}: not a JSON plan export (the file is not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise PlanImportError(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg})") from None
    except _BadNumber as exc:
        raise PlanImportError(f"{path.name}: not a JSON plan export: {exc}") from None
    except RecursionError:
        raise PlanImportError(f"{path.name}: not a JSON plan export: lists or objects nested too deeply") from None
    r = _Reader(path.name)
    if not isinstance(data, dict) or "themes" not in data:
        raise PlanImportError(f"{path.name}: not an Oversight plan export: expected an object with "
                              f"'programme', 'people', 'sources' and 'themes'")
    prog = r.obj(data.get("programme") or {}, "programme")
    d = DraftProgramme(
        slug=r.str(prog, "slug", "programme"),
        name=r.str(prog, "name", "programme"),
        sro=r.opt_str(prog, "sro", "programme"),
        programme_manager=r.opt_str(prog, "programme_manager", "programme"),
        period_start=r.date(prog, "period_start", "programme"),
        period_end=r.date(prog, "period_end", "programme"),
        aim=r.str(prog, "aim", "programme"),
        reporting_cycle=r.str(prog, "reporting_cycle", "programme"),
        current_as_at=r.date(prog, "current_as_at", "programme"),
    )
    if d.reporting_cycle not in ("", "monthly", "quarterly"):
        r.fail("programme.reporting_cycle", f"expected 'monthly' or 'quarterly', found {d.reporting_cycle!r}")
    for i, raw in enumerate(r.list(data, "people", "")):
        p = f"people[{i}]"
        o = r.obj(raw, p)
        d.people.append(DraftPerson(name=r.str(o, "name", p, required=True), role=r.str(o, "role", p),
                                    initials=r.str(o, "initials", p), where=p))
    for i, raw in enumerate(r.list(data, "sources", "")):
        p = f"sources[{i}]"
        o = r.obj(raw, p)
        d.sources.append(DraftSource(label=r.str(o, "label", p, required=True),
                                     kind=r.str(o, "kind", p) or "inspection", date=r.date(o, "date", p), where=p))
    people = {x.name.casefold() for x in d.people}
    for who in (d.sro, d.programme_manager):
        if who and who.casefold() not in people:
            d.people.append(DraftPerson(name=who))
            people.add(who.casefold())
    for ti, raw_t in enumerate(r.list(data, "themes", "")):
        tp = f"themes[{ti}]"
        t = r.obj(raw_t, tp)
        theme = DraftTheme(title=r.str(t, "title", tp, required=True), overview=r.str(t, "overview", tp), where=tp)
        d.themes.append(theme)
        for ri, raw_r in enumerate(r.list(t, "recommendations", tp)):
            rp = f"{tp}.recommendations[{ri}]"
            rec = r.obj(raw_r, rp)
            dr = DraftRecommendation(text=r.str(rec, "text", rp, required=True), ref=r.str(rec, "ref", rp),
                                     source=r.opt_str(rec, "source", rp), where=rp)
            theme.recommendations.append(dr)
            for ai, raw_a in enumerate(r.list(rec, "actions", rp)):
                dr.actions.append(_action(r, raw_a, f"{rp}.actions[{ai}]", d, people))
    from oversight.plans import exchange

    d.extra = {k: data[k] for k in exchange.section_keys() if k in data}
    return d


def _action(r: _Reader, raw: Any, ap: str, d: DraftProgramme, people: set[str]) -> DraftAction:
    a = r.obj(raw, ap)
    owners = []
    for oi, o in enumerate(r.list(a, "owners", ap)):
        if not isinstance(o, str) or not o.strip():
            r.fail(f"{ap}.owners[{oi}]", "expected a person's name")
        owners.append(o)
        if o.casefold() not in people:
            d.people.append(DraftPerson(name=o, where=f"{ap}.owners[{oi}]"))
            people.add(o.casefold())
    act = DraftAction(
        title=r.str(a, "title", ap, required=True), ref=r.str(a, "ref", ap), owners=owners,
        when_text=r.str(a, "when_text", ap), due=r.date(a, "due", ap),
        success_measure=r.str(a, "success_measure", ap), status=r.str(a, "status", ap) or "not_started",
        completed_on=r.date(a, "completed_on", ap), service_area=r.str(a, "service_area", ap),
        resources=r.str(a, "resources", ap), cost=r.money(a, "cost", ap),
        funding_source=r.str(a, "funding_source", ap),
        additional_revenue=r.bool(a, "additional_revenue", ap), where=ap,
    )
    for si, raw_s in enumerate(r.list(a, "steps", ap)):
        sp = f"{ap}.steps[{si}]"
        s = r.obj(raw_s, sp)
        act.steps.append(DraftStep(text=r.str(s, "text", sp, required=True), when_text=r.str(s, "when_text", sp),
                                   due=r.date(s, "due", sp), status=r.str(s, "status", sp), where=sp))
    for ni, raw_n in enumerate(r.list(a, "notes", ap)):
        np_ = f"{ap}.notes[{ni}]"
        n = r.obj(raw_n, np_)
        date = r.date(n, "date", np_)
        if date is None:
            r.fail(f"{np_}.date", "a progress note needs a date")
        act.notes.append(DraftNote(date=date, text=r.str(n, "text", np_), author_name=r.str(n, "author", np_),
                                   status_from=r.str(n, "status_from", np_), status_to=r.str(n, "status_to", np_),
                                   rag=r.str(n, "rag", np_), where=np_))
    for gi, raw_g in enumerate(r.list(a, "rag", ap)):
        gp = f"{ap}.rag[{gi}]"
        g = r.obj(raw_g, gp)
        period = _period(r.str(g, "period", gp, required=True))
        if period is None:
            r.fail(f"{gp}.period", f"expected a period like '2019/20 Q4', found {g.get('period')!r}")
        act.rags.append(DraftRag(year=period[0], quarter=period[1], rag=r.str(g, "rag", gp, required=True),
                                 where=gp))
    known = indicator_ids()
    for ii, raw_i in enumerate(r.list(a, "indicators", ap)):
        if not isinstance(raw_i, str) or raw_i not in known:
            r.fail(f"{ap}.indicators[{ii}]", f"expected an indicator id of the catalogue, found {raw_i!r}")
        act.indicators.append(raw_i)
    return act


def indicator_ids() -> set[str]:
    from oversight.engine.indicators import load_catalogue

    return {ind.id for ind in load_catalogue()}
