"""An improvement plan held in memory, before anything touches the database.

Every importer (Excel, Word, JSON) reads the whole file into these plain dataclasses first.
Only a draft that validates is written, inside one transaction, so a bad file never leaves half
a plan behind. The lead's demo loader also builds a draft in code and hands it to
:func:`oversight.plans.importers.build_programme`.

Each item carries ``where`` (file position such as ``sheet 'Tracker', row 12``) so a problem
found late, during validation, can still be reported against the row the officer typed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from oversight.plans.models import Rag, SourceKind, Status

STATUS_VALUES = frozenset(Status.values)
RAG_VALUES = frozenset(Rag.values)
SOURCE_KINDS = frozenset(SourceKind.values)

#: Column limits of the models, checked before writing so the database never truncates or fails.
MAX = {"programme": 200, "name": 200, "role": 200, "initials": 12, "label": 200, "theme": 300, "ref": 20, "when": 300,
       "service_area": 200, "funding_source": 200, "author": 200}


#: Dates a plan can plausibly hold. Anything outside is a typing slip (0001, 9999) or a spreadsheet
#: artefact (Excel's day 0 is 30/12/1899) and is refused with its cell named, never stored.
EARLIEST_DATE = dt.date(1950, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
#: ``Action.cost`` is DecimalField(max_digits=12, decimal_places=2): checked here so SQLite (which
#: would keep any number) and PostgreSQL (which would round or refuse) accept exactly the same files.
COST_PLACES = 2
COST_LIMIT = Decimal("1e10")
#: Django's slug: what ``Programme.slug`` and the URLs (``<slug:slug>``) accept.
SLUG_MAX = 50
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class PlanImportError(Exception):
    """Bad input: one line naming the file, the place in it and what was expected."""


def check_slug(slug: str) -> str:
    """``slug`` if it is a programme slug; otherwise a :class:`PlanImportError` suggesting one.

    Checked before any work and wherever a programme can be created by import: a name such as
    ``Improvement Plan 2024`` or ``../../etc/passwd`` stored as a slug breaks every page that
    links to the programme (the home page among them).
    """
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug) or len(slug) > SLUG_MAX:
        from django.utils.text import slugify

        hint = slugify(str(slug))[:SLUG_MAX].strip("-")
        suggestion = f", e.g. {hint!r}" if hint else ""
        raise PlanImportError(
            f"programme slug {str(slug)[:80]!r} is not a slug: use at most {SLUG_MAX} letters, digits, hyphens "
            f"or underscores{suggestion}")
    return slug


def _bad_text(value: str) -> str | None:
    """Why the database cannot hold ``value`` on both SQLite and PostgreSQL, or None."""
    if "\x00" in value:
        return "contains a NUL character (\\x00)"
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "contains an unpaired surrogate (not valid Unicode text)"
    return None


@dataclass
class DraftPerson:
    name: str
    role: str = ""
    initials: str = ""
    where: str = ""


@dataclass
class DraftSource:
    label: str
    kind: str = SourceKind.INSPECTION.value
    date: dt.date | None = None
    where: str = ""


@dataclass
class DraftStep:
    text: str
    when_text: str = ""
    due: dt.date | None = None
    status: str = ""
    where: str = ""


@dataclass
class DraftNote:
    date: dt.date
    text: str
    author_name: str = ""
    status_from: str = ""
    status_to: str = ""
    rag: str = ""
    where: str = ""


@dataclass
class DraftRag:
    year: int
    quarter: int
    rag: str
    where: str = ""


@dataclass
class DraftAction:
    title: str
    ref: str = ""
    owners: list[str] = field(default_factory=list)  # Person names, in the order written
    when_text: str = ""
    due: dt.date | None = None
    success_measure: str = ""
    status: str = Status.NOT_STARTED.value
    completed_on: dt.date | None = None
    service_area: str = ""
    resources: str = ""
    cost: Decimal | None = None
    funding_source: str = ""
    additional_revenue: bool = False
    steps: list[DraftStep] = field(default_factory=list)
    notes: list[DraftNote] = field(default_factory=list)
    rags: list[DraftRag] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)  # catalogue ids evidencing the success measure
    where: str = ""


@dataclass
class DraftRecommendation:
    text: str
    ref: str = ""
    source: str | None = None  # a DraftSource label
    actions: list[DraftAction] = field(default_factory=list)
    where: str = ""


@dataclass
class DraftTheme:
    title: str
    overview: str = ""
    recommendations: list[DraftRecommendation] = field(default_factory=list)
    where: str = ""


@dataclass
class DraftProgramme:
    """A whole plan. ``slug`` and ``name`` may be left empty and filled in by the caller."""

    slug: str = ""
    name: str = ""
    sro: str | None = None  # Person name
    programme_manager: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    aim: str = ""
    reporting_cycle: str = ""  # "monthly" | "quarterly"; "" keeps the programme's
    current_as_at: dt.date | None = None
    people: list[DraftPerson] = field(default_factory=list)
    sources: list[DraftSource] = field(default_factory=list)
    themes: list[DraftTheme] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Sections of the programme JSON owned by other apps (``plans.exchange``), as read.
    extra: dict[str, Any] = field(default_factory=dict)

    # -- convenience for builders -------------------------------------------------------------
    def person(self, name: str, role: str = "", initials: str = "", where: str = "") -> DraftPerson:
        """The person called ``name``, added once; later mentions fill a blank role or initials."""
        key = name.strip().casefold()
        for p in self.people:
            if p.name.casefold() == key:
                p.role = p.role or role
                p.initials = p.initials or initials
                return p
        p = DraftPerson(name=name.strip(), role=role, initials=initials, where=where)
        self.people.append(p)
        return p

    def source(self, label: str, kind: str = SourceKind.INSPECTION.value, date: dt.date | None = None,
               where: str = "") -> DraftSource:
        key = label.strip().casefold()
        for s in self.sources:
            if s.label.casefold() == key:
                s.date = s.date or date
                return s
        s = DraftSource(label=label.strip(), kind=kind, date=date, where=where)
        self.sources.append(s)
        return s

    def actions(self) -> list[DraftAction]:
        return [a for t in self.themes for r in t.recommendations for a in r.actions]

    def counts(self) -> dict[str, int]:
        acts = self.actions()
        return {
            "themes": len(self.themes),
            "recommendations": sum(len(t.recommendations) for t in self.themes),
            "actions": len(acts),
            "steps": sum(len(a.steps) for a in acts),
            "notes": sum(len(a.notes) for a in acts),
            "people": len(self.people),
        }

    # -- validation ---------------------------------------------------------------------------
    def validate(self, filename: str) -> None:
        """Raise :class:`PlanImportError` for the first thing the database could not hold."""

        def fail(where: str, message: str) -> None:
            place = f"{filename}: {where}: " if where else f"{filename}: "
            raise PlanImportError(place + message)

        def check_len(value: str, limit: str, where: str, what: str) -> None:
            if len(value) > MAX[limit]:
                fail(where, f"{what} is {len(value)} characters long; at most {MAX[limit]} fit")

        self._validate_values(fail)
        check_len(self.name, "programme", "", "the programme name")

        for p in self.people:
            if not p.name.strip():
                fail(p.where, "a person has no name")
            check_len(p.name, "name", p.where, f"the name {p.name[:40]!r}…")
            check_len(p.role, "role", p.where, f"the role of {p.name[:40]!r}")
            check_len(p.initials, "initials", p.where, f"the initials of {p.name[:40]!r}")
        labels = {s.label.casefold() for s in self.sources}
        for s in self.sources:
            check_len(s.label, "label", s.where, f"the source label {s.label[:40]!r}…")
            if s.kind not in SOURCE_KINDS:
                fail(s.where, f"source kind {s.kind!r} is not one of {', '.join(sorted(SOURCE_KINDS))}")
        names = {p.name.casefold() for p in self.people}
        for who in (self.sro, self.programme_manager):
            if who and who.casefold() not in names:
                fail("", f"{who!r} is named as SRO or programme manager but is not among the people")
        for t in self.themes:
            if not t.title.strip():
                fail(t.where, "a theme has no title")
            check_len(t.title, "theme", t.where, "the theme title")
            for r in t.recommendations:
                if not r.text.strip():
                    fail(r.where, f"recommendation {r.ref or ''} has no text".replace("  ", " "))
                check_len(r.ref, "ref", r.where, f"the recommendation number {r.ref[:30]!r}")
                if r.source and r.source.casefold() not in labels:
                    fail(r.where, f"source {r.source!r} is not among the sources")
                for a in r.actions:
                    self._validate_action(a, names, fail, check_len)

    def _validate_values(self, fail) -> None:
        """Every text and date of the draft: text the database can hold, plausible dates."""

        def text(value: Any, where: str, what: str) -> None:
            if isinstance(value, str) and (why := _bad_text(value)):
                fail(where, f"{what} {why}")

        def date(value: dt.date | None, where: str, what: str) -> None:
            if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
                fail(where, f"{what} is {value:%d/%m/%Y}, not a plausible date: expected a date between "
                            f"{EARLIEST_DATE:%d/%m/%Y} and {LATEST_DATE:%d/%m/%Y}")

        for attr in ("slug", "name", "sro", "programme_manager", "aim", "reporting_cycle"):
            text(getattr(self, attr, None), "programme", f"the programme's {attr.replace('_', ' ')}")
        for attr in ("period_start", "period_end", "current_as_at"):
            date(getattr(self, attr, None), "programme", f"the programme's {attr.replace('_', ' ')}")
        for p in self.people:
            for attr in ("name", "role", "initials"):
                text(getattr(p, attr), p.where, f"the {attr} of a person")
        for s in self.sources:
            text(s.label, s.where, "a source label")
            date(s.date, s.where, f"the date of source {s.label[:40]!r}")
        for t in self.themes:
            text(t.title, t.where, "a theme title")
            text(t.overview, t.where, "a theme overview")
            for r in t.recommendations:
                for attr in ("text", "ref", "source"):
                    text(getattr(r, attr), r.where, f"the {attr} of a recommendation")
                for a in r.actions:
                    label = f"action {a.ref}".strip()
                    for attr in ("title", "ref", "when_text", "success_measure", "status", "service_area",
                                 "resources", "funding_source"):
                        text(getattr(a, attr), a.where, f"the {attr.replace('_', ' ')} of {label}")
                    for o in a.owners:
                        text(o, a.where, f"an owner of {label}")
                    date(a.due, a.where, f"the When? date of {label}")
                    date(a.completed_on, a.where, f"the completion date of {label}")
                    if a.cost is not None:
                        _check_cost(a.cost, a.where, label, fail)
                    for s in a.steps:
                        text(s.text, s.where or a.where, f"a step of {label}")
                        text(s.when_text, s.where or a.where, f"the When? of a step of {label}")
                        date(s.due, s.where or a.where, f"the When? date of a step of {label}")
                    for n in a.notes:
                        for attr in ("text", "author_name", "status_from", "status_to", "rag"):
                            text(getattr(n, attr), n.where or a.where, f"the {attr.replace('_', ' ')} of a note "
                                                                       f"on {label}")
                        date(n.date, n.where or a.where, f"the date of a note on {label}")
                    for g in a.rags:
                        text(g.rag, g.where or a.where, f"a RAG rating of {label}")
                        if not EARLIEST_DATE.year <= g.year <= LATEST_DATE.year:
                            fail(g.where or a.where, f"{label} has a RAG rating for the year {g.year}, not a "
                                                     f"plausible year")
                    for i in a.indicators:
                        text(i, a.where, f"an indicator of {label}")

    @staticmethod
    def _validate_action(a: DraftAction, names: set[str], fail, check_len) -> None:
        label = f"action {a.ref}".strip()
        if not a.title.strip():
            fail(a.where, f"{label} has no title (What?)")
        check_len(a.ref, "ref", a.where, f"the action number {a.ref[:30]!r}")
        check_len(a.when_text, "when", a.where, f"the When? text of {label}")
        check_len(a.service_area, "service_area", a.where, f"the service area of {label}")
        check_len(a.funding_source, "funding_source", a.where, f"the funding source of {label}")
        if a.status not in STATUS_VALUES:
            fail(a.where, f"{label} has status {a.status!r}, not one of {', '.join(Status.values)}")
        if a.cost is not None:
            _check_cost(a.cost, a.where, label, fail)
        for o in a.owners:
            if o.casefold() not in names:
                fail(a.where, f"{label} is owned by {o!r}, who is not among the people")
        for s in a.steps:
            if not s.text.strip():
                fail(s.where or a.where, f"{label} has a step with no text")
            check_len(s.when_text, "when", s.where or a.where, f"the When? text of a step of {label}")
            if s.status and s.status not in STATUS_VALUES:
                fail(s.where or a.where, f"a step of {label} has status {s.status!r}")
        for n in a.notes:
            check_len(n.author_name, "author", n.where or a.where, f"the author of a note on {label}")
            for v in (n.status_from, n.status_to):
                if v and v not in STATUS_VALUES:
                    fail(n.where or a.where, f"a note on {label} has status {v!r}")
            if n.rag and n.rag not in RAG_VALUES:
                fail(n.where or a.where, f"a note on {label} has RAG {n.rag!r}, not red, amber or green")
        seen: set[tuple[int, int]] = set()
        for g in a.rags:
            if g.rag not in RAG_VALUES or g.quarter not in (1, 2, 3, 4):
                fail(g.where or a.where, f"{label} has a RAG rating that is not red, amber or green for Q1–Q4")
            if (g.year, g.quarter) in seen:
                fail(g.where or a.where, f"{label} has two RAG ratings for {g.year}/{(g.year + 1) % 100:02d} "
                                         f"Q{g.quarter}")
            seen.add((g.year, g.quarter))


def _check_cost(cost: Decimal, where: str, label: str, fail) -> None:
    """A cost the database column holds exactly: finite, under £10bn, whole pence."""
    if not cost.is_finite() or abs(cost) >= COST_LIMIT:
        fail(where, f"the cost of {label} ({str(cost)[:30]}) is not a sum of money the plan can hold: "
                    f"expected less than £{COST_LIMIT:,.0f}")
    elif cost.as_tuple().exponent < -COST_PLACES and cost != cost.quantize(Decimal(1).scaleb(-COST_PLACES)):
        fail(where, f"the cost of {label} ({cost}) has more than {COST_PLACES} decimal places: give it in "
                    f"pounds and pence")
