"""Reading the officers' own words in a plan's cells: bullets, owners, status, dated notes, money.

These are heuristics for text typed by people in Word and Excel, kept small and documented so an
officer can predict what the import will do with their tracker:

* **Steps.** Every line or paragraph of a How?/Action cell is a step. When a cell uses bullet
  markers (•, ●, ▪, Word's symbol bullet, or "-"/"*" at a line start), lines without a marker
  continue the step above. A "•" in the middle of a line also starts a step.
* **Owners.** Who?/Lead Person cells split on new lines, "/", ",", ";", " and " and a second
  "Head of". Two simple exceptions keep roles whole: a short capital abbreviation after "/"
  rejoins a longer role before it ("Head of Service MASH/ SA"), and " and " is not a split when
  what follows is a short abbreviation ("HOS for Safeguarding and QA") or the pair is in
  :data:`ROLE_AND_PHRASES` ("Planning and Performance").
* **Status.** Matched on the first words: ONGOING, Part completed, "Review 27 – 29 Sept",
  "Completed and ongoing", "Closed - merged"… A date in the cell is read as the completion date.
* **Notes.** The Outcome cell is split into lines, and a line is split again after a full date
  (9.12.16, 31/03/2017, "(31 March 2017)") that is followed by a new sentence. A trailing date
  dates its note; "(dd/mm/yyyy, Name)" also names the author.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from oversight.plans.models import Status
from oversight.plans.when import find_dates, parse_due

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_MONTH_ABBR = {"jan": "Jan", "feb": "Feb", "mar": "Mar", "apr": "Apr", "may": "May", "jun": "Jun",
               "jul": "Jul", "aug": "Aug", "sep": "Sep", "oct": "Oct", "nov": "Nov", "dec": "Dec"}

BULLET_CHARS = "•●◦▪■➢►\uf0b7\uf0a7"
_BULLET_START = re.compile(rf"^\s*(?:[{BULLET_CHARS}]|[-–*](?=\s))\s*")
_INLINE_BULLET = re.compile(rf"\s*[{BULLET_CHARS}]\s*")


# --------------------------------------------------------------------------------------------
# plain text
# --------------------------------------------------------------------------------------------

def clean(text: object) -> str:
    """Cell text with tidy spaces, one line per paragraph, no blank lines."""
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    out = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in s.split("\n")]
    return "\n".join(line for line in out if line)


def lines(text: str) -> list[str]:
    return [line for line in clean(text).split("\n") if line]


def one_line(text: str) -> str:
    return " ".join(lines(text))


def norm_key(text: str) -> str:
    """Text for matching (titles, names): case, spaces and punctuation ignored."""
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def is_upper_title(text: str) -> bool:
    """A theme heading in the tracker is written in capitals ("CHILDREN IN NEED OF HELP …")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.85


_FURNITURE = [
    re.compile(r"^page\s+\d+$", re.I),
    re.compile(r"improvement\s+action\s+(?:tracker|plan)\s*$", re.I),
    re.compile(r"^appendix\s+\d+[a-z]?$", re.I),
    re.compile(r"^agenda\s+item\s+\d+[a-z]?$", re.I),
    re.compile(r"^pre-?publication$", re.I),
]


def is_furniture(text: str) -> bool:
    """Page headers and footers that a Word or PDF copy repeats on every page."""
    t = one_line(text)
    return any(p.search(t) for p in _FURNITURE)


def strip_page_marks(text: str) -> str:
    """ "Page 55 2.6" → "2.6": page numbers that fell into the NOS column."""
    return one_line(re.sub(r"\bpage\s+\d+\b", " ", text, flags=re.I))


def safe_dates(text: str) -> list[dt.date]:
    """:func:`find_dates`, never failing: an unreadable date is only a missing date."""
    try:
        return find_dates(text)
    except Exception:  # noqa: BLE001 - officers' text must never abort an import
        return []


def due_from(text: str) -> dt.date | None:
    """:func:`parse_due`, never failing on odd text (e.g. a misspelt month)."""
    try:
        return parse_due(text)
    except Exception:  # noqa: BLE001
        return None


def completed_as_at(text: str) -> dt.date | None:
    """The date of an "Actions Completed As At 1st September 2017" heading, if ``text`` is one."""
    m = re.search(r"\bcompleted\s+as\s+at\b(.*)$", one_line(text), re.I)
    if not m:
        return None
    dates = safe_dates(m.group(1))
    return dates[0] if dates else None


# --------------------------------------------------------------------------------------------
# steps
# --------------------------------------------------------------------------------------------

def split_steps(text: str, continuing: bool = False) -> tuple[str, list[str]]:
    """Steps in a How?/Action cell, and any leading text that continues the step above.

    ``continuing`` says the row carries on from the row before (a table that broke across a
    page): an unmarked first line starting in lower case is then the tail of the previous step.
    """
    raw = lines(text)
    marked = any(_BULLET_START.match(line) or _INLINE_BULLET.search(line) for line in raw)
    carried = ""
    steps: list[str] = []
    for i, line in enumerate(raw):
        has_marker = bool(_BULLET_START.match(line))
        pieces = [p.strip() for p in _INLINE_BULLET.split(_BULLET_START.sub("", line))]
        pieces = [p for p in pieces if p]
        if not pieces:
            continue
        head, rest = pieces[0], pieces[1:]
        if not has_marker and i == 0 and continuing and head[:1].islower():
            carried = head
        elif not has_marker and marked and steps:
            steps[-1] = f"{steps[-1]} {head}"
        elif not has_marker and marked and carried and not steps:
            carried = f"{carried} {head}"
        else:
            steps.append(head)
        steps.extend(rest)
    return carried, steps


def bullet_lines(items: list[str]) -> str:
    """Steps written back as the bullet lines :func:`split_steps` reads."""
    return "\n".join(f"• {one_line(i)}" for i in items)


# --------------------------------------------------------------------------------------------
# owners
# --------------------------------------------------------------------------------------------

#: "X and Y" pairs that are one role, never two owners. Add to this when a council's roles need it.
ROLE_AND_PHRASES = (
    "safeguarding and qa", "safeguarding and quality assurance", "planning and performance",
    "policy and performance", "learning and resources", "quality and inclusion", "finance and resources",
    "children and families", "education and skills", "health and wellbeing", "youth and community",
    "commissioning and partnerships", "performance and information",
)

#: Words that mark an owner as a role ("Head of Service SASF") rather than a person's name.
_ROLE_WORDS_TEXT = """
head heads hos ad dcs director directors assistant deputy manager managers lead leads officer officers
partner partners chair chairs iro iros auditor auditors commissioner commissioners team teams service
services board executive coordinator co-ordinator coordinators agencies agency tscb lscb lscp mash sa
sasf qa atm atms tm tms sw sws yot bs safeguarding principal practitioner senior group committee
council panel hr finance performance commissioning improvement early help adviser advisor analyst
"""
ROLE_WORDS = frozenset(_ROLE_WORDS_TEXT.split())

_ABBREV = re.compile(r"^[A-Z][A-Za-z]{0,3}$")


def looks_like_initials(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,4}", text.strip()))


def looks_like_role(text: str) -> bool:
    words = re.findall(r"[a-z][a-z\-]*", text.casefold())
    return any(w in ROLE_WORDS for w in words)


def _split_and(piece: str) -> list[str]:
    if piece.casefold() in ROLE_AND_PHRASES or any(p in piece.casefold() for p in ROLE_AND_PHRASES):
        return [piece]
    parts = re.split(r"\s+(?:and|&)\s+", piece)
    out = [parts[0]]
    for p in parts[1:]:
        if re.match(r"^[A-Z]{1,4}\b", p) and len(p.split()) == 1:
            out[-1] = f"{out[-1]} and {p}"  # "Safeguarding and QA"
        else:
            out.append(p)
    return out


def split_owners(text: str, keep: set[str] | frozenset[str] = frozenset(),
                 initials: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Owner names or roles written in a Who?/Lead Person cell, in the order written.

    ``keep`` holds casefolded names that must never be split (people from a KEY table);
    ``initials`` the KEY's initials, which always stand alone after a "/".
    """
    out: list[str] = []
    for line in lines(text):
        if line.casefold() in keep:
            out.append(line)
            continue
        tokens = re.split(r"(\s*/\s*|\s*[,;]\s*)", line)
        pieces: list[str] = [tokens[0]]
        for sep, tok in zip(tokens[1::2], tokens[2::2], strict=False):
            prev = pieces[-1]
            first, _, rest = tok.strip().partition(" ")
            if ("/" in sep and _ABBREV.match(first) and first.upper() == first and first not in initials
                    and " " in prev.strip() and (not rest or re.match(r"Head of\b", rest))):
                pieces[-1] = prev + sep + first  # "Head of Service MASH/ SA" is one role
                if rest:
                    pieces.append(rest)
            else:
                pieces.append(tok)
        for piece in pieces:
            piece = piece.strip(" .")
            if not piece:
                continue
            if piece.casefold() in keep:
                out.append(piece)
                continue
            tokens = piece.split()
            if initials and len(tokens) > 1 and all(t.upper() in initials for t in tokens):
                out.extend(tokens)  # "TC MD": two people by their initials
                continue
            for p in _split_and(piece):
                out.extend(x.strip(" .") for x in re.split(r"\s+(?=Head of\b)", p) if x.strip(" ."))
    seen: set[str] = set()
    unique = []
    for o in out:
        if o.casefold() not in seen:
            seen.add(o.casefold())
            unique.append(o)
    return unique


# --------------------------------------------------------------------------------------------
# status
# --------------------------------------------------------------------------------------------

class StatusReading(NamedTuple):
    status: str | None  # a Status value; "" when the cell is empty; None when not understood
    date: dt.date | None


_STATUS_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:completed?|done)\s*(?:and|&|\+)?\s*on\s*going\b"), Status.COMPLETED_ONGOING),
    (re.compile(r"^part(?:ly|ially)?\s*(?:completed?|done|met)\b"), Status.PART_COMPLETED),
    (re.compile(r"^closed?\b.*\bmerged?\b"), Status.CLOSED_MERGED),
    (re.compile(r"^closed?\b.*\bdisbanded\b"), Status.CLOSED_DISBANDED),
    (re.compile(r"^closed?\b.*\bdeferred\b"), Status.CLOSED_DEFERRED),
    (re.compile(r"^(?:completed?|done|achieved|delivered|closed?)\b"), Status.COMPLETED),
    (re.compile(r"^(?:on\s*going|continuing|continues)\b"), Status.ONGOING),
    (re.compile(r"^(?:in\s*progress|under\s*way|started|progressing|on\s*track)\b"), Status.IN_PROGRESS),
    (re.compile(r"^(?:under\s+|for\s+)?review"), Status.REVIEW),
    (re.compile(r"^(?:not\s+(?:yet\s+)?started|not\s+begun|planned|to\s+start)\b"), Status.NOT_STARTED),
]


def parse_status(text: str) -> StatusReading:
    """The Status choice an officer meant, read tolerantly; a date in the cell comes along."""
    t = re.sub(r"[\s\-–—_:.]+", " ", one_line(text).casefold()).strip()
    if not t:
        return StatusReading("", None)
    for pattern, status in _STATUS_RULES:
        if pattern.search(t):
            dates = safe_dates(one_line(text))
            return StatusReading(str(status), dates[0] if dates else None)
    return StatusReading(None, None)


def status_cell(status: str, completed_on: dt.date | None) -> str:
    """How the exporters write a status so that :func:`parse_status` reads it back."""
    label = str(Status(status).label) if status else ""
    return f"{label} {completed_on:%d/%m/%Y}" if completed_on else label


# --------------------------------------------------------------------------------------------
# progress notes
# --------------------------------------------------------------------------------------------

_DATE = rf"(?:\d{{1,2}}[./]\d{{1,2}}[./](?:\d{{4}}|\d{{2}})|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}})"
_AUTHOR = r"(?:[^()]|\([^()]*\))*?"
_TRAILING_DATE = re.compile(
    rf"(?:\(\s*(?P<d1>{_DATE})(?:\s*,\s*(?P<author>{_AUTHOR}))?\s*\)|(?<![\w/.])(?P<d2>{_DATE}))[\s.]*$", re.I)
_SPLIT_AFTER_DATE = re.compile(
    rf"(?:\(\s*{_DATE}(?:\s*,\s*{_AUTHOR})?\s*\)|(?<![\w/.]){_DATE})\.?(?=\s+[A-Z])", re.I)


class NoteText(NamedTuple):
    text: str
    date: dt.date | None
    author: str


def split_notes(text: str) -> list[NoteText]:
    """The dated fragments of an Outcome cell, in the order written; a fragment may lack a date."""
    out: list[NoteText] = []
    for line in lines(text):
        pos = 0
        segments = []
        for m in _SPLIT_AFTER_DATE.finditer(line):
            segments.append(line[pos:m.end()])
            pos = m.end()
        segments.append(line[pos:])
        for seg in segments:
            seg = seg.strip()
            if not seg:
                continue
            m = _TRAILING_DATE.search(seg)
            date = None
            author = ""
            if m:
                dates = safe_dates(m.group("d1") or m.group("d2"))
                if dates:
                    date = dates[0]
                    author = (m.group("author") or "").strip()
                    seg = seg[: m.start()].rstrip()
            if seg:
                out.append(NoteText(seg, date, author))
    return out


def note_line(text: str, date: dt.date, author: str = "") -> str:
    """A note written back as one Outcome line that :func:`split_notes` reads to the same note."""
    who = f", {author}" if author else ""
    return f"{one_line(text)} ({date:%d/%m/%Y}{who})"


# --------------------------------------------------------------------------------------------
# sources and money
# --------------------------------------------------------------------------------------------

_SOURCE_TAG = re.compile(
    rf"\(\s*(?P<org>ofsted|cqc|csci|jtai|hmip|hmicfrs)\s+(?P<month>{_MONTH})\.?\s+(?P<year>(?:19|20)\d\d)\s*\)", re.I)


def source_label(org: str, month: str, year: str) -> str:
    org_name = "Ofsted" if org.casefold() == "ofsted" else org.upper()
    return f"{org_name} {_MONTH_ABBR[month[:3].casefold()]} {year}"


def source_tags(text: str) -> list[tuple[str, dt.date | None]]:
    """Inspection tags like "(OFSTED DEC 2016)" or "(Ofsted December 2016)", as one label each."""
    found = []
    for m in _SOURCE_TAG.finditer(text):
        label = source_label(m.group("org"), m.group("month"), m.group("year"))
        dates = safe_dates(f"{m.group('month')} {m.group('year')}")
        found.append((label, dates[0] if dates else None))
    return found


def normalise_source_label(label: str) -> str:
    """ "OFSTED DEC 2016" and "Ofsted December 2016" are the same source."""
    tags = source_tags(f"({one_line(label)})")
    return tags[0][0] if tags else one_line(label)


MONEY_LIMIT = Decimal("1e10")  # Action.cost holds 12 digits, 2 of them pence
_MONEY = re.compile(r"£\s*(\d[\d,]*(?:\.\d+)?)\s*([km])?(?![a-z])", re.I)
_FUND = re.compile(r"((?:\b[\w'’]+\s+){0,3}(?:grant|fund|budget|funding))\b", re.I)
_FUND_FILLER = {"use", "of", "using", "within", "from", "various", "the", "a", "an", "by", "with"}


def parse_money(text: str) -> tuple[Decimal | None, str]:
    """The first sum of money in a Resources cell (£41k → 41000) and a named fund or grant.

    The officer's words stay in Resources; the cost is only what can be read from them, so it
    is rounded to whole pence (£1.2345m → 1234500.00) and a sum too large for the plan to hold
    (£10bn or more, usually a typing slip) is not read as a cost rather than refusing the file.
    """
    cost = None
    m = _MONEY.search(text)
    if m:
        try:
            cost = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:
            cost = None
        if cost is not None and m.group(2):
            cost *= 1000 if m.group(2).lower() == "k" else 1_000_000
        if cost is not None:
            cost = cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if cost < MONEY_LIMIT else None
    fund = ""
    f = _FUND.search(text)
    if f:
        words = f.group(1).split()
        while words and words[0].casefold() in _FUND_FILLER:
            words.pop(0)
        fund = " ".join(words)
    return cost, fund
