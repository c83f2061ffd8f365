"""Exporting a programme's plan: JSON (exact), and the tracker as Excel or Word.

* ``export_json`` is the complete, exact form: importing it into an empty database and
  exporting again gives the same document. Use it for backups and for moving a plan.
* ``write_xlsx`` / ``write_docx`` write seed 000's Improvement Action Tracker (NOS, What?,
  Who?, How?, When?, Success measures, Current Status, Outcome) for officers and boards, in a
  form the tracker importers read back to the same actions, steps and notes:

  - theme rows are numbered "Theme 1"; a recommendation whose number has a dot, or whose text is
    in capitals, is written "Rec 2.1" so it cannot be mistaken for an action or a theme;
  - an action's first row carries its owners, When?, success measure, status (with the
    completion date, "Completed 01/09/2017") and every progress note, one per line as
    "text (dd/mm/yyyy)" or "text (dd/mm/yyyy, author)";
  - steps are "•" lines; a step with its own status or When? gets a row of its own below;
  - a "Key" sheet (Word: a table after the tracker) lists every person with initials and role.

  What the tracker has no column for is not in these files: a programme's SRO, period and aim,
  a theme's overview, a recommendation's source (unless its text names it, "(Ofsted Dec 2016)"),
  resources and costs, RAG ratings, and line breaks inside a step or note.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oversight.engine.safe_cells import safe_cell, safe_row
from oversight.plans import exchange
from oversight.plans.importers import text as tx
from oversight.plans.models import Action, Programme, Step

HEADERS = ["NOS", "What?", "Who?", "How?", "When?", "Success measures", "Current Status",
           "Outcome – (report for Q1, Q2, Q3, Q4)"]
WIDTHS = [8, 34, 20, 46, 14, 30, 14, 50]  # Excel character widths, shared by the Word table's proportions


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def _owners(action: Action) -> list[str]:
    """Owners in the order they were added (the order the officer wrote them)."""
    through = Action.owners.through.objects.filter(action=action).select_related("person").order_by("id")
    return [t.person.name for t in through]


def export_json(programme: Programme) -> dict:
    """The whole plan as plain data (see module docstring); dates as ISO text, money as text."""
    people = sorted(programme.people.all(), key=lambda p: (p.name, p.pk))
    sources = sorted(programme.sources.all(), key=lambda s: (s.date is None, s.date or 0, s.label))
    themes = []
    for theme in programme.themes.order_by("order", "id"):
        recs = []
        for rec in theme.recommendations.order_by("order", "id").select_related("source"):
            actions = []
            for a in rec.actions.order_by("order", "id"):
                actions.append({
                    "ref": a.ref,
                    "title": a.title,
                    "owners": _owners(a),
                    "steps": [{"text": s.text, "when_text": s.when_text, "due": _iso(s.due), "status": s.status}
                              for s in a.steps.order_by("order", "id")],
                    "when_text": a.when_text,
                    "due": _iso(a.due),
                    "status": a.status,
                    "completed_on": _iso(a.completed_on),
                    "success_measure": a.success_measure,
                    "service_area": a.service_area,
                    "resources": a.resources,
                    "cost": str(a.cost) if a.cost is not None else None,
                    "funding_source": a.funding_source,
                    "additional_revenue": a.additional_revenue,
                    "rag": [{"period": g.period_label, "rag": g.rag}
                            for g in a.rag_ratings.order_by("year", "quarter")],
                    "indicators": [link.indicator for link in a.evidence_links.order_by("indicator")],
                    "notes": [{"date": _iso(n.date), "text": n.text, "author": n.written_by,
                               "status_from": n.status_from, "status_to": n.status_to, "rag": n.rag}
                              for n in a.notes.order_by("date", "created_at", "id").select_related("author")],
                })
            recs.append({"ref": rec.ref, "text": rec.text, "source": rec.source.label if rec.source else None,
                         "actions": actions})
        themes.append({"title": theme.title, "overview": theme.overview, "recommendations": recs})
    return {
        "programme": {
            "slug": programme.slug,
            "name": programme.name,
            "sro": programme.sro.name if programme.sro else None,
            "programme_manager": programme.programme_manager.name if programme.programme_manager else None,
            "period_start": _iso(programme.period_start),
            "period_end": _iso(programme.period_end),
            "aim": programme.aim,
            "reporting_cycle": programme.reporting_cycle,
            "current_as_at": _iso(programme.current_as_at),
        },
        "people": [{"name": p.name, "role": p.role, "initials": p.initials} for p in people],
        "sources": [{"label": s.label, "kind": s.kind, "date": _iso(s.date)} for s in sources],
        "themes": themes,
        **exchange.export_sections(programme),
    }


# ----------------------------------------------------------------------------------------------
# the tracker, shared by the Excel and Word writers
# ----------------------------------------------------------------------------------------------

@dataclass
class TrackerRow:
    kind: str  # "theme" | "recommendation" | "action" | "step"
    cells: list[str]


def _first_row_steps(action: Action, steps: list[Step]) -> list[Step]:
    """The steps the action's own row can carry so that the importer reads them back the same.

    Those are the leading steps without a status of their own, provided their When? texts are
    exactly what the importer would give them from the action's When? cell.
    """
    prefix: list[Step] = []
    for s in steps:
        if s.status:
            break
        prefix.append(s)
    whens = tx.lines(action.when_text)
    split = len(prefix) >= 2 and len(whens) == len(prefix)
    expected = whens if split else [""] * len(prefix)
    if [s.when_text for s in prefix] == expected:
        return prefix
    return []


def tracker_rows(programme: Programme) -> Iterator[TrackerRow]:
    blank = [""] * len(HEADERS)
    for ti, theme in enumerate(programme.themes.order_by("order", "id"), start=1):
        yield TrackerRow("theme", [f"Theme {ti}", theme.title, *blank[2:]])
        for rec in theme.recommendations.order_by("order", "id"):
            ref = rec.ref
            if ref and ("." in ref or tx.is_upper_title(rec.text)) or (not ref and tx.is_upper_title(rec.text)):
                ref = f"Rec {ref}".strip()
            yield TrackerRow("recommendation", [ref, rec.text, *blank[2:]])
            for a in rec.actions.order_by("order", "id"):
                steps = list(a.steps.order_by("order", "id"))
                first = _first_row_steps(a, steps)
                notes = [tx.note_line(n.text, n.date, n.written_by)
                         for n in a.notes.order_by("date", "created_at", "id").select_related("author")]
                yield TrackerRow("action", [
                    a.ref, a.title, "\n".join(_owners(a)), tx.bullet_lines([s.text for s in first]), a.when_text,
                    a.success_measure, tx.status_cell(a.status, a.completed_on), "\n".join(notes),
                ])
                for s in steps[len(first):]:
                    yield TrackerRow("step", ["", "", "", tx.bullet_lines([s.text]), s.when_text, "",
                                              tx.status_cell(s.status, None), ""])


def _key_rows(programme: Programme) -> list[list[str]]:
    return [[p.initials, p.name, p.role] for p in sorted(programme.people.all(), key=lambda p: (p.name, p.pk))]


def write_xlsx(programme: Programme, path: Path | str) -> Path:
    """The tracker as an Excel workbook: one "Tracker" sheet and a "Key" sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws.append([safe_cell(f"{programme.name}: Improvement Action Tracker")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADERS)
    header_fill = PatternFill("solid", fgColor="1D70B8")
    for c in ws[2]:
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = header_fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
    theme_fill = PatternFill("solid", fgColor="DEE0E2")
    for row in tracker_rows(programme):
        ws.append(safe_row(row.cells))  # "=cmd|..." typed into a success measure stays text
        cells = ws[ws.max_row]
        for c in cells:
            c.number_format = "@"  # refs like 1.10 stay text
            c.alignment = Alignment(wrap_text=True, vertical="top")
        if row.kind == "theme":
            for c in cells:
                c.font = Font(bold=True)
                c.fill = theme_fill
        elif row.kind == "recommendation":
            for c in cells:
                c.font = Font(bold=True)
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A3"
    key = wb.create_sheet("Key")
    key.append(["Initials", "Name", "Role"])
    for c in key[1]:
        c.font = Font(bold=True)
    for r in _key_rows(programme):
        key.append(safe_row(r))
    key.column_dimensions["B"].width = 30
    key.column_dimensions["C"].width = 50
    wb.save(path)
    return path


def write_docx(programme: Programme, path: Path | str) -> Path:
    """The tracker as a landscape Word table, with a key table of people after it."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    path = Path(path)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    doc.styles["Normal"].font.size = Pt(9)
    doc.add_heading(f"{programme.name}: Improvement Action Tracker", level=1)

    def fill(cell, text: str, bold: bool = False) -> None:
        parts = text.split("\n") if text else [""]
        cell.paragraphs[0].text = ""
        for i, part in enumerate(parts):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = p.add_run(part)
            run.bold = bold or None

    rows = list(tracker_rows(programme))
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, HEADERS, strict=True):
        fill(cell, h, bold=True)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)  # the header repeats on every page, as in the council's own tracker
    usable = 29.7 - 3.0
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row.cells, strict=True):
            fill(cell, text, bold=row.kind in ("theme", "recommendation"))
    for i, width in enumerate(WIDTHS):
        for cell in table.columns[i].cells:
            cell.width = Cm(usable * width / sum(WIDTHS))
    key_rows = _key_rows(programme)
    if key_rows:
        doc.add_paragraph()
        doc.add_paragraph("Key")
        key = doc.add_table(rows=1, cols=3)
        key.style = "Table Grid"
        for cell, h in zip(key.rows[0].cells, ["Initials", "Name", "Role"], strict=True):
            fill(cell, h, bold=True)
        for r in key_rows:
            for cell, text in zip(key.add_row().cells, r, strict=True):
                fill(cell, text)
    doc.save(str(path))
    return path
