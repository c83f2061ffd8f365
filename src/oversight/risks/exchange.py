"""The registers in the programme JSON: ``risk_bands``, ``risks``, ``concerns`` and ``developments``.

``oversight plan export --format json`` writes them with the plan and the import gives them back
(``plans.exchange``). An import checks every value before it writes anything and names the bad
one by its path (``risks[2].probability: expected a whole number 1–5, found 7``); it runs in the
plan import's transaction, so one bad value refuses the whole file.

A row of the file replaces the programme's row with the same ref (its score history too); rows
the file does not mention are left as they are, so importing never silently deletes a register.
People are named as in the file's ``people`` list and actions by their ref in the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from oversight.plans.importers.draft import PlanImportError
from oversight.plans.models import Action, Person
from oversight.plans.when import parse_due

from .models import Concern, Development, Kind, Risk, RiskAssessment, RiskBands, Status, natural_key
from .queries import indicator_names


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# ------------------------------------------------------------------------------ export
def export_bands(programme) -> list[dict]:
    bands = RiskBands.objects.filter(programme=programme).first()
    return [] if bands is None else [{"red_from": bands.red_from, "amber_from": bands.amber_from}]


def export_risks(programme) -> list[dict]:
    risks = sorted(Risk.objects.filter(programme=programme).select_related("owner").prefetch_related("actions"),
                   key=lambda r: natural_key(r.ref))
    out = []
    for r in risks:
        out.append({
            "ref": r.ref, "type": r.kind, "description": r.description, "mitigation": r.mitigation,
            "raised": _iso(r.raised_on), "raised_text": r.raised_text,
            "owner": r.owner.name if r.owner_id else None, "owner_text": r.owner_text,
            "probability": r.probability, "impact": r.impact, "score": r.score, "status": r.status,
            "closed_on": _iso(r.closed_on), "closed_reason": r.closed_reason, "review_on": _iso(r.review_on),
            "target_probability": r.target_probability, "target_impact": r.target_impact,
            "history": [{"date": _iso(a.assessed_on), "probability": a.probability, "impact": a.impact,
                         "score": a.score, "note": a.note, "by": a.assessed_by or None}
                        for a in r.assessments.select_related("by").order_by("assessed_on", "created_at", "id")],
            "indicators": list(r.indicators or []),
            "actions": sorted((a.ref for a in r.actions.all()), key=natural_key),
        })
    return out


def _export_entries(model, programme) -> list[dict]:
    return [{"ref": e.ref, "description": e.description, "owner": e.owner.name if e.owner_id else None,
             "owner_text": e.owner_text, "by_when_text": e.by_when_text, "by_when": _iso(e.by_when),
             "status": e.status}
            for e in model.objects.filter(programme=programme).select_related("owner").order_by("order", "id")]


def export_concerns(programme) -> list[dict]:
    return _export_entries(Concern, programme)


def export_developments(programme) -> list[dict]:
    return _export_entries(Development, programme)


# ------------------------------------------------------------------------------ reading, with paths
class _Reader:
    """Reads one section's values, failing with ``<file>: <section>[i].<field>: <what is wrong>``."""

    def __init__(self, programme, filename: str) -> None:
        self.programme = programme
        self.filename = filename
        self._people: dict[str, Person] | None = None
        self._actions: dict[str, list[Action]] | None = None

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
            self.fail(f"{path}.{key}", f"is {len(value)} characters long; at most {limit} fit")
        return value

    def date(self, o: dict, key: str, path: str) -> dt.date | None:
        value = o.get(key)
        if value in (None, ""):
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{path}.{key}", f"expected a date as YYYY-MM-DD, found {value!r}")
        return None  # pragma: no cover

    def scale(self, o: dict, key: str, path: str, *, required: bool = True) -> int | None:
        value = o.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.fail(f"{path}.{key}", f"expected a whole number 1–5, found {value!r}")
        return value

    def score(self, o: dict, path: str, probability: int, impact: int) -> None:
        """A score in the file is checked, never trusted: it must be probability × impact."""
        value = o.get("score")
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value != probability * impact:
            self.fail(f"{path}.score", f"{value!r} is not probability × impact ({probability} × {impact} = "
                                       f"{probability * impact})")

    def choice(self, o: dict, key: str, path: str, allowed: list[str], default: str) -> str:
        value = o.get(key)
        if value in (None, ""):
            return default
        if value not in allowed:
            self.fail(f"{path}.{key}", f"expected one of {', '.join(allowed)}, found {value!r}")
        return value

    def person(self, o: dict, path: str) -> Person | None:
        name = self.text(o, "owner", path)
        if not name:
            return None
        if self._people is None:
            self._people = {p.name.casefold(): p for p in Person.objects.filter(programme=self.programme)}
        found = self._people.get(name.casefold())
        if found is None:
            self.fail(f"{path}.owner", f"no person named {name!r} in the programme's people")
        return found

    def action(self, ref: Any, path: str) -> Action:
        if self._actions is None:
            self._actions = {}
            for a in Action.objects.filter(recommendation__theme__programme=self.programme):
                self._actions.setdefault(a.ref, []).append(a)
        if not isinstance(ref, str) or not ref:
            self.fail(path, f"expected an action's ref, found {ref!r}")
        found = self._actions.get(ref, [])
        if not found:
            self.fail(path, f"no action with ref {ref!r} in the plan")
        if len(found) > 1:
            self.fail(path, f"{len(found)} actions in the plan have ref {ref!r}; give each action its own ref")
        return found[0]

    def items(self, items: list, key: str):
        seen: set[str] = set()
        for i, raw in enumerate(items):
            path = f"{key}[{i}]"
            o = self.obj(raw, path)
            ref = self.text(o, "ref", path, required=True, limit=20)
            if ref in seen:
                self.fail(f"{path}.ref", f"ref {ref!r} appears twice in {key}")
            seen.add(ref)
            yield i, path, o, ref


# ------------------------------------------------------------------------------ import
def load_bands(programme, items: list, filename: str) -> None:
    r = _Reader(programme, filename)
    if len(items) > 1:
        r.fail("risk_bands", "expected at most one set of bands")
    for o in items:
        o = r.obj(o, "risk_bands[0]")
        red, amber = o.get("red_from"), o.get("amber_from")
        for key, value in (("red_from", red), ("amber_from", amber)):
            if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= 25:
                r.fail(f"risk_bands[0].{key}", f"expected a whole number 2–25, found {value!r}")
        if amber >= red:
            r.fail("risk_bands[0].amber_from", f"amber ({amber}) must start below red ({red})")
        RiskBands.objects.update_or_create(programme=programme, defaults={"red_from": red, "amber_from": amber})


@dataclass
class _RiskRow:
    fields: dict
    history: list[dict] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


def load_risks(programme, items: list, filename: str) -> None:
    r = _Reader(programme, filename)
    known = indicator_names(programme)
    rows: list[_RiskRow] = []
    for _i, path, o, ref in r.items(items, "risks"):
        probability = r.scale(o, "probability", path)
        impact = r.scale(o, "impact", path)
        r.score(o, path, probability, impact)
        status = r.choice(o, "status", path, list(Status.values), Status.OPEN)
        closed_on = r.date(o, "closed_on", path)
        closed_reason = r.text(o, "closed_reason", path)
        if status == Status.CLOSED and (closed_on is None or not closed_reason.strip()):
            r.fail(f"{path}.{'closed_on' if closed_on is None else 'closed_reason'}",
                   "a closed risk needs the date it was closed and the reason")
        target_p = r.scale(o, "target_probability", path, required=False)
        target_i = r.scale(o, "target_impact", path, required=False)
        if (target_p is None) != (target_i is None):
            r.fail(f"{path}.{'target_impact' if target_i is None else 'target_probability'}",
                   "give both the target probability and the target impact, or neither")
        raised_text = r.text(o, "raised_text", path, limit=100)
        raised = r.date(o, "raised", path)
        row = _RiskRow(fields={
            "ref": ref, "kind": r.choice(o, "type", path, list(Kind.values), Kind.RISK),
            "description": r.text(o, "description", path, required=True),
            "mitigation": r.text(o, "mitigation", path), "raised_on": raised, "raised_text": raised_text,
            "owner": r.person(o, path), "owner_text": r.text(o, "owner_text", path, limit=200),
            "probability": probability, "impact": impact, "status": status,
            "closed_on": closed_on if status == Status.CLOSED else None,
            "closed_reason": closed_reason if status == Status.CLOSED else "",
            "review_on": r.date(o, "review_on", path), "target_probability": target_p, "target_impact": target_i,
        })
        indicators = o.get("indicators") or []
        if not isinstance(indicators, list):
            r.fail(f"{path}.indicators", "expected a list")
        for k, iid in enumerate(indicators):
            if not isinstance(iid, str) or iid not in known:
                r.fail(f"{path}.indicators[{k}]", f"expected an indicator id of the catalogue or a local measure "
                                                  f"(local-<code>), found {iid!r}")
        row.fields["indicators"] = list(indicators)
        actions = o.get("actions") or []
        if not isinstance(actions, list):
            r.fail(f"{path}.actions", "expected a list")
        row.actions = [r.action(ref_, f"{path}.actions[{k}]") for k, ref_ in enumerate(actions)]
        history = o.get("history") or []
        if not isinstance(history, list):
            r.fail(f"{path}.history", "expected a list")
        for k, raw_h in enumerate(history):
            hp = f"{path}.history[{k}]"
            h = r.obj(raw_h, hp)
            date = r.date(h, "date", hp)
            if date is None:
                r.fail(f"{hp}.date", "an assessment needs a date")
            hp_, hi_ = r.scale(h, "probability", hp), r.scale(h, "impact", hp)
            r.score(h, hp, hp_, hi_)
            row.history.append({"assessed_on": date, "probability": hp_, "impact": hi_,
                                "note": r.text(h, "note", hp), "by_name": r.text(h, "by", hp, limit=200)})
        rows.append(row)
    # Everything is valid: write.
    for row in rows:
        risk = Risk.objects.filter(programme=programme, ref=row.fields["ref"]).first()
        if risk is None:
            risk = Risk(programme=programme)
        else:
            risk.version += 1
        for name, value in row.fields.items():
            setattr(risk, name, value)
        risk._change_reason = f"imported from {filename}"[:100]
        risk.save()
        risk.actions.set(row.actions)
        risk.assessments.all().delete()
        RiskAssessment.objects.bulk_create([RiskAssessment(risk=risk, score=h["probability"] * h["impact"], **h)
                                            for h in row.history])


def _load_entries(model, key: str, programme, items: list, filename: str) -> None:
    r = _Reader(programme, filename)
    rows = []
    for i, path, o, ref in r.items(items, key):
        by_when_text = r.text(o, "by_when_text", path, limit=300)
        by_when = r.date(o, "by_when", path) if "by_when" in o else parse_due(by_when_text)
        rows.append({"ref": ref, "description": r.text(o, "description", path, required=True),
                     "owner": r.person(o, path), "owner_text": r.text(o, "owner_text", path, limit=200),
                     "by_when_text": by_when_text, "by_when": by_when,
                     "status": r.choice(o, "status", path, list(Status.values), Status.OPEN), "order": i + 1})
    for values in rows:
        entry = model.objects.filter(programme=programme, ref=values["ref"]).first()
        if entry is None:
            entry = model(programme=programme)
        else:
            entry.version += 1
        for name, value in values.items():
            setattr(entry, name, value)
        entry._change_reason = f"imported from {filename}"[:100]
        entry.save()


def load_concerns(programme, items: list, filename: str) -> None:
    _load_entries(Concern, "concerns", programme, items, filename)


def load_developments(programme, items: list, filename: str) -> None:
    _load_entries(Development, "developments", programme, items, filename)
