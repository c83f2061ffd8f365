"""The document model: frozen, typed, already formatted data that every renderer and page prints.

WHY IT LIVES IN ``engine``: the reports app reads every app, but the plan's own read models (the
tracker, the programme overview: ``oversight.plans.readmodel``) and the scorecard's
(``oversight.performance.document``) are built inside their apps, which must not import
``reports``. So the types are plain Python here (no Django), every app can import them, and the
on-screen page, its ``.json`` twin and the Word/Excel/PDF files print the same objects.
``oversight.reports.data`` re-exports everything (the historical name).

HOW A RENDERER WALKS A REPORT (HTML, DOCX, XLSX, PDF all do the same)
=====================================================================
Every report (``HighlightReport``, ``ReportCard``, ``TrackerReport``, ``CommitteeReport``,
``RiskRegisterReport``) is a :class:`Report`:

    report.title            "Highlight report"           -> document title / heading 1
    report.name             "highlight"                  -> file names, sheet prefixes
    report.subtitle         "Demo programme — January 2020"
    report.landscape        True when the seed is landscape (A4 landscape page)
    report.meta             tuple[MetaItem]  label/value pairs shown under the title
                            (e.g. "Senior Responsible Officer: Nancy Meehan"; value may carry a rag)
    report.sections         tuple[Section] in reading order
    report.for_publication  True when small numbers were suppressed (say so in a footer)
    report.notice           a line for the footer/header ("Suppressed: counts 1–4 ...") or ""

A :class:`Section` is ``key, title, rag, blocks, sections``:

    def walk(section, level=2):
        heading(section.title, level)          # Word "Heading {level-1}", <h{level}>, a bold row in XLSX
        if section.rag: rag_tag(section.rag)   # e.g. the theme's overview RAG
        for block in section.blocks:           # in order; exactly one of these types:
            Paragraph -> paragraph(block.text, block.style)   # style: "body" | "lead" | "note" | "empty"
            Table     -> table(block)                          # see below
            Chart     -> chart(block.svg, block.alt) then table(block.table)  # numbers beside the chart
        for child in section.sections:
            walk(child, level + 1)

A :class:`Table` has ``caption``, ``columns`` (each a :class:`Column` with ``label``, ``group``
— a spanning header such as "Six month trend" for adjacent columns with the same group,
``width`` in relative units, ``numeric``), ``rows`` (tuples of :class:`Cell`, one per column) and
``empty_text`` to print when there are no rows. ``Table.key_value`` tables are two-column
label/value lists (no header row). Header rows repeat on each page.

A :class:`Cell` is ``text`` (what to print — already formatted: "15.8%", "2019/20", "↓", "" for
missing), ``rag`` ("red" | "amber" | "green" | "" — colour the cell), ``value`` (the raw number
for XLSX when the cell is numeric, else None; never print it in HTML/DOCX/PDF, use ``text``),
``suppressed`` (True when small-number suppression replaced the figure; ``text`` is then "[c]"),
``number_format`` (an Excel number format for ``value``, e.g. "0.0%" — percentages are stored
as fractions in ``value`` when number_format ends with "%", else as shown).

A renderer never queries the database, never computes a number and never re-formats one.

The typed fields on each report (``HighlightReport.header``, ``.risks`` …) are the same figures in
structured form, for tests, the JSON twin and the "changed since" comparison; ``sections`` is
what is printed. ``to_json(report)`` turns any report into plain JSON data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "": ""}
SUPPRESSED_TEXT = "[c]"


# --------------------------------------------------------------------------- shared small types
@dataclass(frozen=True)
class Cell:
    """One printed cell: the words to show, plus a RAG colour and the raw number for spreadsheets."""

    text: str = ""
    rag: str = ""
    value: float | None = None
    suppressed: bool = False
    number_format: str = ""
    # Counts that small-number suppression looks at ("count" cells) and cells derived from them.
    kind: str = "text"  # "text" | "count" | "rate" | "money" | "score"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str = ""
    width: float = 1.0
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...] = ()
    empty_text: str = "Nothing recorded."
    key_value: bool = False
    # Index of a row that is a total of the others (secondary suppression keeps it consistent).
    total_row: int | None = None

    @property
    def header_groups(self) -> list[tuple[str, int]]:
        """Spanning header cells: (group label, number of columns) left to right ("" for none)."""
        out: list[tuple[str, int]] = []
        for c in self.columns:
            if out and out[-1][0] == c.group and c.group:
                out[-1] = (c.group, out[-1][1] + 1)
            else:
                out.append((c.group, 1))
        return out

    @property
    def column_percents(self) -> tuple[int, ...]:
        """Each column's share of the table width in whole per cent (from ``Column.width``), for fixed layouts."""
        total = sum(max(c.width, 0.1) for c in self.columns) or 1.0
        return tuple(max(1, min(100, round(100 * max(c.width, 0.1) / total))) for c in self.columns)

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # "body" | "lead" | "note" | "empty"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str
    alt: str
    table: Table


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    rag: str = ""


@dataclass(frozen=True)
class MetaItem:
    label: str
    value: str
    rag: str = ""


@dataclass(frozen=True)
class Report:
    """What every renderer walks (see the module docstring)."""

    name: str
    title: str
    subtitle: str
    programme: str
    programme_slug: str
    as_at: dt.date
    period_label: str
    meta: tuple[MetaItem, ...]
    sections: tuple[Section, ...]
    landscape: bool = True
    for_publication: bool = False
    notice: str = ""


# --------------------------------------------------------------------------- highlight report (seed 001)
@dataclass(frozen=True)
class HighlightHeader:
    sro: str
    programme_manager: str
    date_of_report: str  # "27/01/20" as the seed writes it
    overall_status: str  # rag value
    overall_status_label: str
    status_from: str  # "" or "Status as reported for December 2019" when carried forward


@dataclass(frozen=True)
class BudgetRow:
    name: str
    budget: Cell
    actual: Cell
    forecast: Cell
    variance: Cell
    comments: str


@dataclass(frozen=True)
class LogItem:
    """A key area of concern or a medium-term development."""

    ref: str
    description: str
    owner: str
    by_when: str
    status: str = "open"


@dataclass(frozen=True)
class RiskRow:
    ref: str
    kind: str  # "Risk" | "Issue"
    description: str
    mitigation: str
    raised: str
    owner: str
    probability: int
    impact: int
    score: int
    band: str  # red | amber | green
    status: str = "open"
    target_score: int | None = None


@dataclass(frozen=True)
class KpiRow:
    ref: str
    indicator: str
    name: str
    period_type: str  # "Snapshot" | "YTD" | …
    outturn: Cell  # last year's outturn ("2018/19" column)
    current: Cell
    months: tuple[Cell, ...]  # six months, oldest first, text AND raw value
    target_min: Cell
    target_upper: Cell
    dot: str  # arrow "↑" "↓" "→" or ""
    dot_judgement: str  # "improving" | "worsening" | "no change" | ""
    national: Cell
    regional: Cell  # regional or statistical neighbours
    rag: str


@dataclass(frozen=True)
class KpiGroup:
    title: str
    month_labels: tuple[str, ...]  # ("Aug 19", …, "Jan 20")
    outturn_label: str  # "2018/19"
    rows: tuple[KpiRow, ...]


@dataclass(frozen=True)
class KeyAction:
    ref: str
    title: str
    status: str
    rags: tuple[str, ...]  # per quarter, same order as ``quarter_labels``


@dataclass(frozen=True)
class ObjectiveRow:
    objective: str
    actions: tuple[KeyAction, ...]
    narrative: str


@dataclass(frozen=True)
class ThemeSection:
    number: int
    title: str
    overview: str
    overview_rag: str
    overview_from: str
    kpi_groups: tuple[KpiGroup, ...]
    quarter_labels: tuple[str, ...]  # ("Q4", "Q1", "Q2", "Q3")
    objectives: tuple[ObjectiveRow, ...]


@dataclass(frozen=True)
class ChangeItem:
    kind: str  # "action" | "risk" | "measure" | "recommendation"
    ref: str
    text: str


@dataclass(frozen=True)
class HighlightReport(Report):
    header: HighlightHeader | None = None
    narrative: str = ""
    budget: tuple[BudgetRow, ...] = ()
    concerns: tuple[LogItem, ...] = ()
    developments: tuple[LogItem, ...] = ()
    risks: tuple[RiskRow, ...] = ()
    rag_guidance: tuple[tuple[str, str, str], ...] = ()
    themes: tuple[ThemeSection, ...] = ()
    changes: tuple[ChangeItem, ...] = ()
    changes_since: str = ""  # "Version 20" or ""


# --------------------------------------------------------------------------- report card (seed 003)
@dataclass(frozen=True)
class CardRow:
    ref: str  # "T1"
    indicator: str
    description: str
    interface: str
    sn_average: Cell
    national_average: Cell
    outturn: Cell
    months: tuple[Cell, ...]
    numerator: Cell
    denominator: Cell
    dot: str
    targets: str  # "Mar 2020: 80.0% – 85.0%"
    rag: str
    commentary: str


@dataclass(frozen=True)
class CardGroup:
    question: str  # "How much did we do?" …
    rows: tuple[CardRow, ...]


@dataclass(frozen=True)
class ReportCard(Report):
    month_labels: tuple[str, ...] = ()
    groups: tuple[CardGroup, ...] = ()


# --------------------------------------------------------------------------- action tracker (seed 000)
@dataclass(frozen=True)
class TrackerRow:
    number: str
    theme: str
    recommendation: str
    what: str
    who: str
    how: str
    when: str
    success_measure: str
    status: str
    status_label: str
    outcome: str  # dated notes, newest last ("27/01/2020: …")
    rags: tuple[str, ...]
    overdue: bool
    completed: bool
    # What the on-screen tracker shows besides the printed columns (links, filters, tags).
    action_id: int = 0
    theme_id: int = 0
    recommendation_id: int = 0
    recommendation_ref: str = ""
    recommendation_text: str = ""
    source: str = ""  # the inspection or review the recommendation cites
    owners: tuple[str, ...] = ()
    owner_ids: tuple[int, ...] = ()
    steps: tuple[str, ...] = ()
    when_text: str = ""  # the officer's words
    due: dt.date | None = None  # the date read from them
    no_date_read: bool = False
    rag: str = ""  # the latest RAG given for a quarter up to the period's
    rag_quarter: str = ""  # "2019/20 Q4": the quarter that RAG was given for
    notes: tuple[NoteLine, ...] = ()  # the dated notes up to the as-at, oldest first
    completed_on: dt.date | None = None

    @property
    def rag_text(self) -> str:
        return RAG_LABELS.get(self.rag, "")


@dataclass(frozen=True)
class NoteLine:
    date: dt.date
    text: str

    @property
    def date_text(self) -> str:
        return f"{self.date:%d/%m/%Y}"


@dataclass(frozen=True)
class TrackerReport(Report):
    quarter_labels: tuple[str, ...] = ()
    outstanding: tuple[TrackerRow, ...] = ()
    completed: tuple[TrackerRow, ...] = ()


# --------------------------------------------------------------------------- committee report (seed 004)
@dataclass(frozen=True)
class CommitteeReport(Report):
    meeting: str = ""
    meeting_date: str = ""
    wards_affected: str = ""
    report_title: str = ""
    key_decision: str = ""
    implemented_when: str = ""
    executive_lead: str = ""
    supporting_officer: str = ""
    proposal: str = ""
    reason: str = ""
    recommendations: str = ""
    appendices: tuple[str, ...] = ()
    equality_impact: str = ""
    background_documents: str = ""


# --------------------------------------------------------------------------- risk register
@dataclass(frozen=True)
class RiskRegisterReport(Report):
    risks: tuple[RiskRow, ...] = ()
    closed: tuple[RiskRow, ...] = ()
    heatmap: tuple[tuple[int, ...], ...] = ()  # [impact 5..1][probability 1..5] counts
    red_from: int = 15
    amber_from: int = 8


REPORT_TYPES: dict[str, type[Report]] = {
    "highlight": HighlightReport,
    "report-card": ReportCard,
    "tracker": TrackerReport,
    "committee": CommitteeReport,
    "risks": RiskRegisterReport,
}


# --------------------------------------------------------------------------- JSON
def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, (Paragraph, Table, Chart)):
            out = {"type": type(obj).__name__.lower(), **out}
        return out
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


def to_json(report: Report) -> dict[str, Any]:
    """Plain JSON data for any report (the ``.json`` twin and the issued snapshot)."""
    return {"type": type(report).__name__, **_plain(report)}


def iter_tables(report: Report):
    """Every table of a report in reading order (charts' tables included)."""

    def walk(section: Section):
        for b in section.blocks:
            if isinstance(b, Table):
                yield b
            elif isinstance(b, Chart):
                yield b.table
        for s in section.sections:
            yield from walk(s)

    for s in report.sections:
        yield from walk(s)


# --------------------------------------------------------------------------- formatting (once, for every output)
def short_date(day: dt.date | None) -> str:
    """As seed 001 writes the date of report: 27/01/20."""
    return f"{day:%d/%m/%y}" if day else ""


def long_date(day: dt.date | None) -> str:
    """31 January 2020."""
    return f"{day.day} {day:%B %Y}" if day else ""


def uk_date(day: dt.date | None) -> str:
    """31/01/2020, as the tracker dates its notes."""
    return f"{day:%d/%m/%Y}" if day else ""


def money(value: Any) -> Cell:
    """£1,250,000 (pence only when there are any); blank when not entered; negatives with a minus."""
    if value is None:
        return Cell("", kind="money")
    q = Decimal(value)
    text = f"£{abs(q):,.2f}" if q != q.to_integral_value() else f"£{abs(q):,.0f}"
    return Cell(("−" if q < 0 else "") + text, value=float(q), number_format='"£"#,##0.00', kind="money")


def rag_label(rag: str) -> str:
    return RAG_LABELS.get(rag or "", "")


def rag_cell(rag: str, blank: str = "") -> Cell:
    """A RAG as a coloured cell with its word (colour is never the only signal)."""
    rag = rag if rag in ("red", "amber", "green") else ""
    return Cell(rag_label(rag) or blank, rag=rag)


def financial_year_label(start_year: int) -> str:
    """2019 → "2019/20", as people write it (not 201920)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def month_label(month: str) -> str:
    """"2019-08" → "Aug 19", as seed 001 heads its trend columns."""
    d = dt.date.fromisoformat(f"{month}-01")
    return f"{d:%b %y}"


__all__ = [
    "Block", "BudgetRow", "CardGroup", "CardRow", "Cell", "ChangeItem", "Chart", "Column", "CommitteeReport",
    "HighlightHeader", "HighlightReport", "KeyAction", "KpiGroup", "KpiRow", "LogItem", "MetaItem", "NoteLine",
    "ObjectiveRow", "Paragraph", "REPORT_TYPES", "Report", "ReportCard", "RiskRegisterReport", "RiskRow",
    "Section", "Table", "ThemeSection", "TrackerReport", "TrackerRow", "iter_tables", "to_json",
    "RAG_LABELS", "SUPPRESSED_TEXT", "financial_year_label", "long_date", "money", "month_label", "rag_cell",
    "rag_label", "short_date", "uk_date",
]
