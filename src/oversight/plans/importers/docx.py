"""Reading a plan from a Word document (.docx).

A Word plan is one long table, or several (one per page or section), with the header row
repeated and page furniture between them. We read the body in order — paragraphs and tables —
so a heading such as "Actions Completed As At 1st September 2017" or a section title before a
table is seen where the officer put it.

Cells are read from the XML, not through python-docx's row.cells, because merged cells matter:
a horizontally merged cell (gridSpan) fills its columns once, and a vertically merged cell
(vMerge "continue") is empty in the rows below, so a long Who? cell does not repeat its owner on
every row it spans. List paragraphs (Word bullets) are given a "•" so they read as steps.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from oversight.plans.importers import text as tx
from oversight.plans.importers.draft import DraftProgramme, PlanImportError
from oversight.plans.importers.layouts import match_key_header
from oversight.plans.importers.tables import Cell, PlanReader, RawRow, check_found


def _list_style_ids(document) -> frozenset[str]:
    """Ids of the document's list styles ("List Bullet"…), looked up once: per paragraph is slow."""
    ids = set()
    for style in document.styles:
        try:
            if style.name and style.name.startswith("List") and style.style_id:
                ids.add(style.style_id)
        except (KeyError, ValueError, AttributeError):
            continue
    return frozenset(ids)


def _paragraph_text(p, list_styles: frozenset[str]) -> tuple[str, bool]:
    """Text of one paragraph, with a bullet when Word shows one; and whether any of it is bold."""
    text = p.text
    bold = any(r.bold and r.text.strip() for r in p.runs)
    ppr = p._p.pPr
    is_list = ppr is not None and (ppr.numPr is not None
                                   or (ppr.pStyle is not None and ppr.pStyle.val in list_styles))
    if is_list and text.strip() and not text.lstrip().startswith(tuple(tx.BULLET_CHARS)):
        text = "• " + text.strip()
    return text, bold


def _cell(tc, parent, list_styles: frozenset[str]) -> Cell:
    from docx.text.paragraph import Paragraph

    parts: list[str] = []
    bold = False
    for p in tc.p_lst:
        text, b = _paragraph_text(Paragraph(p, parent), list_styles)
        parts.append(text)
        bold = bold or b
    return Cell("\n".join(parts), bold)


def _table_rows(tbl, parent, index: int, list_styles: frozenset[str]) -> list[RawRow]:
    """Rows as grid-aligned cells: merged cells counted once, vertical continuations empty."""
    ncols = len(tbl.tblGrid.gridCol_lst) if tbl.tblGrid is not None else 0
    rows: list[RawRow] = []
    for ri, tr in enumerate(tbl.tr_lst, start=1):
        cells: list[Cell] = [Cell("") for _ in range(getattr(tr, "grid_before", 0) or 0)]
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span or 1)
            cells.append(Cell("") if tc.vMerge == "continue" else _cell(tc, parent, list_styles))
            cells.extend(Cell("") for _ in range(span - 1))
        width = max(ncols, len(cells))
        cells.extend(Cell("") for _ in range(width - len(cells)))
        rows.append(RawRow(cells=cells, where=f"table {index}, row {ri}", table=index))
    return rows


def _is_key_table(rows: list[RawRow]) -> bool:
    """A three-column initials | name | role table (seed 002's KEY)."""
    filled = [r for r in rows if any(c.text.strip() for c in r.cells)]
    if not filled or len(filled[0].cells) != 3:
        return False
    if match_key_header([tx.one_line(c.text) for c in filled[0].cells]):
        return True
    initials = sum(tx.looks_like_initials(tx.one_line(r.cells[0].text)) for r in filled)
    return initials >= max(2, 0.6 * len(filled))


def read_docx(path: Path, *, today: dt.date, default_source: str | None = None) -> DraftProgramme:
    import docx
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - any failure to open means "not a Word document"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PlanImportError(f"{path.name}: not a Word document (.docx) that can be opened ({reason})") from None
    reader = PlanReader(path.name, today=today, default_source=default_source)
    list_styles = _list_style_ids(document)
    body = document.element.body
    stream: list[RawRow] = []
    tables = paragraphs = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            text, bold = _paragraph_text(Paragraph(child, document), list_styles)
            if text.strip():
                stream.append(RawRow(cells=[Cell(text, bold)], where=f"paragraph {paragraphs}", paragraph=True))
        elif tag == "tbl":
            tables += 1
            rows = _table_rows(child, document, tables, list_styles)
            if _is_key_table(rows):
                reader.read_key_rows(rows)
            else:
                stream.extend(rows)
    reader.feed(stream)
    check_found(reader, "table")
    return reader.finish()
