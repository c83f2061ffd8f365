"""Recognising the header row of the two plan layouts councils use.

* **Tracker** (seed 000, 2017): ``NOS | What? | Who? | How? | When? | Success measures |
  Current Status | Outcome – (report for Q1, Q2, Q3, Q4)``.
* **Action plan** (seed 002, 2005): ``Rec No | Recommendation | Service Area | Action |
  Progress/Outcome/Measure | Time Scale | Resources (additional revenue in bold) | Lead Person``.

Headers are matched tolerantly: case, punctuation and anything after the known words are
ignored ("Outcome – (report for Q1…)" is the outcome column), and the columns may come in any
order. The header need not be the first row: a title row often comes first. Seed 002 repeats
its header on every page with the "Rec No" cell left blank, so a blank header just left of
"Recommendation" is taken to be the number column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def header_key(text: str) -> str:
    """ "Outcome – (report for Q1, Q2…)" → "outcome report for q1 q2…"; "What?" → "what"."""
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    #: field → accepted header words (a header matches when it is, or starts with, one of them)
    fields: dict[str, tuple[str, ...]]
    #: field → the header as the council's paper writes it, for messages
    display: dict[str, str]
    required: tuple[str, ...]
    #: fields whose presence makes a row this layout's header
    signature: tuple[str, ...]

    def describe_required(self) -> str:
        return ", ".join(self.display[f] for f in self.required)


TRACKER = Layout(
    name="tracker",
    label="Improvement Action Tracker",
    fields={
        "ref": ("nos", "no", "ref", "ref no", "number", "action no", "action ref", "rec no"),
        "title": ("what", "action", "actions"),
        "owners": ("who", "owner", "owners", "lead", "lead officer", "lead person", "responsible"),
        "how": ("how", "steps", "tasks"),
        "when": ("when", "by when", "timescale", "time scale", "deadline", "due", "target date"),
        "success": ("success measure", "success measures", "success criteria", "measures of success",
                    "measure of success", "measure", "measures"),
        "status": ("current status", "status", "rag status"),
        "outcome": ("outcome", "outcomes", "progress", "update", "updates", "comments", "commentary"),
    },
    display={"ref": "NOS", "title": "What?", "owners": "Who?", "how": "How?", "when": "When?",
             "success": "Success measures", "status": "Current Status", "outcome": "Outcome"},
    required=("ref", "title", "owners", "how", "when"),
    signature=("title", "how"),
)

ACTION_PLAN = Layout(
    name="action_plan",
    label="action plan",
    fields={
        "ref": ("rec no", "rec", "recommendation no", "recommendation number", "ref", "no", "nos"),
        "recommendation": ("recommendation", "recommendations"),
        "service_area": ("service area", "service", "area"),
        "action": ("action", "actions"),
        "progress": ("progress", "outcome", "measure", "success measure"),
        "when": ("time scale", "timescale", "timescales", "when", "by when", "target date", "deadline"),
        "resources": ("resources", "resource", "cost", "costs"),
        "owners": ("lead person", "lead", "lead officer", "responsible", "who"),
    },
    display={"ref": "Rec No", "recommendation": "Recommendation", "service_area": "Service Area",
             "action": "Action", "progress": "Progress/Outcome/Measure", "when": "Time Scale",
             "resources": "Resources", "owners": "Lead Person"},
    required=("recommendation", "action"),
    signature=("recommendation", "action"),
)

LAYOUTS = (TRACKER, ACTION_PLAN)

KEY_FIELDS = {
    "initials": ("initials", "key", "abbreviation", "abbrev"),
    "name": ("name", "full name"),
    "role": ("role", "job title", "title", "post", "position"),
}


def _matches(key: str, aliases: tuple[str, ...]) -> bool:
    return any(key == a or key.startswith(a + " ") for a in aliases)


@dataclass
class Header:
    """A recognised header row: which column holds which field."""

    layout: Layout
    columns: dict[str, int]
    names: dict[str, str] = field(default_factory=dict)  # field → header text as written
    ncols: int = 0
    where: str = ""

    def missing(self) -> list[str]:
        return [f for f in self.layout.required if f not in self.columns]


def match_layout(layout: Layout, texts: list[str]) -> Header | None:
    """This row as ``layout``'s header, or None when it is not one."""
    # A header cell is a few words; a long cell is plan text that happens to start "Action …".
    keys = [k if len(k.split()) <= 8 else "" for k in (header_key(t) for t in texts)]
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    used: set[int] = set()
    # Longest aliases first, so "rec no" wins its column before "recommendation" could.
    order = sorted(((len(a), f, a) for f, aliases in layout.fields.items() for a in aliases), reverse=True)
    for _, f, alias in order:
        if f in columns:
            continue
        for i, k in enumerate(keys):
            if i not in used and k and _matches(k, (alias,)):
                columns[f] = i
                names[f] = " ".join(texts[i].split())
                used.add(i)
                break
    if not all(f in columns for f in layout.signature) or len(columns) < 3:
        return None
    if "ref" not in columns:
        first = min(columns[f] for f in layout.signature)
        if first > 0 and not keys[first - 1]:
            columns["ref"] = first - 1  # seed 002 repeats its header with "Rec No" left blank
            names["ref"] = layout.display["ref"]
    return Header(layout=layout, columns=columns, names=names, ncols=len(texts))


def find_header(texts: list[str]) -> Header | None:
    """The layout whose header this row is, preferring the one that explains more columns."""
    found = [h for h in (match_layout(lay, texts) for lay in LAYOUTS) if h]
    if not found:
        return None
    return max(found, key=lambda h: (len(h.columns), h.layout is TRACKER))


def match_key_header(texts: list[str]) -> dict[str, int] | None:
    """Columns of a KEY table's own header row (Initials | Name | Role), if this row is one."""
    keys = [header_key(t) for t in texts]
    cols: dict[str, int] = {}
    for f, aliases in KEY_FIELDS.items():
        for i, k in enumerate(keys):
            if k and _matches(k, aliases) and i not in cols.values():
                cols[f] = i
                break
    return cols if {"initials", "name"} <= set(cols) else None
