"""A report as an Excel workbook: one sheet per table, a contents sheet for everything else.

Why this shape: people open a report's workbook to sort, filter and re-use the figures, so each
table gets a sheet of its own with one header (frozen, filterable, repeated when printed) and
numbers stored as numbers in the format the report prints them. The narrative, the report's
details (SRO, status …) and short label/value lists go on a first "Contents" sheet with a link to
each table's sheet, in reading order.

* Text cells pass through :func:`oversight.engine.safe_cells.safe_cell`: text typed into the
  product never reaches Excel as a formula.
* RAG cells are filled with the rating's colour and say it in words. A number that carries a RAG
  (a risk score of 20, red) stays a number; a column with the rating in words follows it.
* Suppressed figures are the text ``[c]``, never the number.

The renderer only prints :mod:`oversight.reports.data`: no query, no number computed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from oversight.engine.safe_cells import safe_cell
from oversight.reports.charts import RAG_COLOURS, RAG_WORDS
from oversight.reports.data import Cell, Chart, Column, Paragraph, Report, Section, Table

HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
LABEL_FILL = PatternFill("solid", fgColor="F3F2F1")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
THIN = Side(style="thin", color="B1B4B6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CHARS_PER_UNIT = 12  # a column of relative width 1.0 is 12 characters wide
_BAD_SHEET_CHARS = re.compile(r"\s*[\[\]:*?/\\]\s*")


def render(report: Report) -> bytes:
    """The report as XLSX bytes."""
    wb = Workbook()
    contents = wb.active
    contents.title = "Contents"
    book = _Book(wb)
    _contents_head(contents, report)
    for section in report.sections:
        _section(book, contents, section, [])
    _finish_contents(contents)
    wb.properties.title = report.title + (f": {report.subtitle}" if report.subtitle else "")
    wb.properties.subject = report.subtitle
    wb.properties.creator = report.programme
    wb.properties.language = "en-GB"
    wb.properties.keywords = f"{report.name}; {report.period_label}"
    if report.notice:
        wb.properties.description = report.notice
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- cells
def cell_text(cell: Cell) -> str:
    """What a text cell says: its text, with the RAG word when the text does not say it."""
    word = RAG_WORDS.get(cell.rag, "")
    if not word or word.lower() in cell.text.lower():
        return cell.text
    return f"{cell.text} ({word})" if cell.text else word


def _is_number(cell: Cell) -> bool:
    return cell.value is not None and not cell.suppressed


def _write(ws: Worksheet, row: int, col: int, cell: Cell, *, numeric_column: bool) -> None:
    target = ws.cell(row=row, column=col)
    if _is_number(cell):
        target.value = cell.value
        if cell.number_format:
            target.number_format = cell.number_format
    else:
        text = cell_text(cell)
        target.value = safe_cell(text) if text else None
    target.alignment = WRAP_RIGHT if numeric_column or _is_number(cell) else WRAP
    target.border = GRID
    _fill_rag(target, cell.rag)


def _fill_rag(target: Any, rag: str) -> None:
    if rag in RAG_COLOURS:
        fill, ink = RAG_COLOURS[rag]
        target.fill = PatternFill("solid", fgColor=fill)
        target.font = Font(bold=True, color=ink)


# --------------------------------------------------------------------------- the book of sheets
@dataclass
class _Book:
    wb: Workbook
    names: set[str] = field(default_factory=lambda: {"Contents"})

    def sheet_name(self, caption: str) -> str:
        base = " ".join(_BAD_SHEET_CHARS.sub(" - ", caption).split()).strip("'") or "Table"  # "Issues - risks"
        name = base[:31].rstrip()
        n = 2
        while name.lower() in {x.lower() for x in self.names}:
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)].rstrip() + suffix
            n += 1
        self.names.add(name)
        return name


def _contents_head(ws: Worksheet, report: Report) -> None:
    ws.append([safe_cell(report.title)])
    ws["A1"].font = Font(bold=True, size=16)
    if report.subtitle:
        ws.append([safe_cell(report.subtitle)])
        ws.cell(ws.max_row, 1).font = Font(size=12)
    ws.append([])
    for m in report.meta:
        ws.append([safe_cell(m.label), safe_cell(cell_text(Cell(m.value, rag=m.rag)) or None)])
        label, value = ws.cell(ws.max_row, 1), ws.cell(ws.max_row, 2)
        label.font = Font(bold=True)
        label.fill = LABEL_FILL
        _fill_rag(value, m.rag)
    if report.notice:
        ws.append([])
        ws.append([None, safe_cell(report.notice)])
        ws.cell(ws.max_row, 2).font = Font(italic=True)


def _heading(ws: Worksheet, title: str, level: int) -> None:
    ws.append([])
    ws.append([safe_cell(title)])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size={0: 14, 1: 12}.get(level, 11))


def _section(book: _Book, contents: Worksheet, section: Section, path: list[str]) -> None:
    _heading(contents, section.title, len(path))
    if section.rag:
        contents.append(["RAG rating", RAG_WORDS.get(section.rag, "")])
        contents.cell(contents.max_row, 1).font = Font(bold=True)
        _fill_rag(contents.cell(contents.max_row, 2), section.rag)
    here = [*path, section.title]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            if block.text:
                contents.append([None, safe_cell(block.text)])
                c = contents.cell(contents.max_row, 2)
                c.alignment = WRAP
                if block.style in ("note", "empty"):
                    c.font = Font(italic=True)
        elif isinstance(block, Table):
            _table_or_list(book, contents, block, here)
        elif isinstance(block, Chart):
            contents.append([None, safe_cell(f"{block.title}: {block.alt}")])
            contents.cell(contents.max_row, 2).alignment = WRAP
            _table_or_list(book, contents, block.table, here)
    for child in section.sections:
        _section(book, contents, child, here)


def _table_or_list(book: _Book, contents: Worksheet, table: Table, path: list[str]) -> None:
    """Label/value lists stay on the contents sheet; a table gets a sheet, linked from the contents."""
    if table.key_value:
        for cells in table.rows:
            label = cells[0] if cells else Cell("")
            value = cells[1] if len(cells) > 1 else Cell("")
            contents.append([safe_cell(label.text) or None])
            r = contents.max_row
            contents.cell(r, 1).font = Font(bold=True)
            _write(contents, r, 2, value, numeric_column=False)
            contents.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        return
    if not table.rows:
        contents.append([None, safe_cell(f"{table.caption}: {table.empty_text}")])
        contents.cell(contents.max_row, 2).font = Font(italic=True)
        return
    name = book.sheet_name(table.caption or path[-1])
    _table_sheet(book.wb.create_sheet(name), table, " — ".join([*path, table.caption]
                                                               if table.caption and table.caption != path[-1]
                                                               else path))
    rows = f"{len(table.rows)} row{'' if len(table.rows) == 1 else 's'}"
    contents.append([None, safe_cell(f"{table.caption or path[-1]} (sheet “{name}”, {rows})")])
    link = contents.cell(contents.max_row, 2)
    link.hyperlink = f"#'{name}'!A1"
    link.font = Font(color="1D70B8", underline="single")


def _rag_number_columns(table: Table) -> set[int]:
    """Columns whose numbers carry a RAG: they get a words column beside them."""
    out = set()
    for cells in table.rows:
        for i, cell in enumerate(cells):
            if cell.rag in RAG_WORDS and _is_number(cell):
                out.add(i)
    return out


def _table_sheet(ws: Worksheet, table: Table, title: str) -> None:
    extra = _rag_number_columns(table)
    columns: list[tuple[Column, int, bool]] = []  # (column, source index, is the words column)
    for i, col in enumerate(table.columns):
        columns.append((col, i, False))
        if i in extra:
            columns.append((Column(f"{col.key}-rag", f"{col.label} RAG", col.group, 0.7), i, True))  # words
    ws.append([safe_cell(title)])
    ws["A1"].font = Font(bold=True, size=13)
    first_header = 2
    if table.has_groups:
        for j, (col, _i, _w) in enumerate(columns, start=1):
            c = ws.cell(first_header, j, safe_cell(col.group) if col.group else None)
            c.fill, c.font, c.alignment, c.border = HEADER_FILL, HEADER_FONT, Alignment(horizontal="center",
                                                                                        wrap_text=True), GRID
        groups = [col.group for col, _i, _w in columns]
        j = 0
        while j < len(groups):
            k = j
            while k + 1 < len(groups) and groups[k + 1] == groups[j]:
                k += 1
            if groups[j] and k > j:  # "Six month trend" over its months
                ws.merge_cells(start_row=first_header, start_column=j + 1, end_row=first_header, end_column=k + 1)
            j = k + 1
    header = first_header + (1 if table.has_groups else 0)
    for j, (col, _i, _w) in enumerate(columns, start=1):
        c = ws.cell(header, j, safe_cell(col.label) or None)
        c.fill, c.font, c.border = HEADER_FILL, HEADER_FONT, GRID
        c.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if col.numeric else "left")
    ws.row_dimensions[header].height = 30
    for r, cells in enumerate(table.rows, start=header + 1):
        for j, (col, src, words) in enumerate(columns, start=1):
            cell = cells[src] if src < len(cells) else Cell("")
            if words:
                _write(ws, r, j, Cell(RAG_WORDS.get(cell.rag, ""), rag=cell.rag), numeric_column=False)
            else:
                _write(ws, r, j, cell, numeric_column=col.numeric)
    for j, (col, _i, _w) in enumerate(columns, start=1):
        longest = max([len(col.label)] + [len(cells[_i].text) if _i < len(cells) else 0
                                          for cells in table.rows[:200]])
        width = max(6.0, min(60.0, col.width * CHARS_PER_UNIT, longest + 2))
        ws.column_dimensions[get_column_letter(j)].width = max(width, min(len(col.label) + 2, 14))
    last = header + len(table.rows)
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{last}"
    ws.print_title_rows = f"{first_header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _finish_contents(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if c.alignment is None or not c.alignment.wrap_text:
                c.alignment = Alignment(wrap_text=True, vertical="top", horizontal=c.alignment.horizontal
                                        if c.alignment else None)
