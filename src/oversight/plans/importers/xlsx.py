"""Reading a plan from an Excel workbook (.xlsx).

openpyxl rather than calamine: the action-plan layout marks additional revenue in **bold**, so
fonts (including bold runs inside a cell) must be read. Plans are a few hundred rows, so speed
does not matter here. Every sheet whose rows contain a known header is read, in order; a sheet
called "Key" holds the initials | name | role table.

A workbook often keeps an older copy of its tracker ("Tracker (2)", a hidden "Tracker old").
Read as well, its actions would continue the same actions and every step and note would appear
twice. So a hidden sheet with a plan table, or two sheets whose tables share an action, is
refused with the sheets named; ``sheet=`` (``--sheet NAME``) chooses the sheet to read. Sheets
with different actions (a plan split by theme across sheets) are read together as before.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from oversight.plans.importers import text as tx
from oversight.plans.importers.draft import DraftProgramme, PlanImportError
from oversight.plans.importers.tables import Cell, PlanReader, RawRow, check_found

KEY_SHEETS = {"key", "keys", "key table", "initials", "people"}


def _cell(cell) -> Cell:
    value = cell.value
    bold = bool(cell.font is not None and cell.font.b)
    if value is None:
        return Cell("", False)
    try:
        from openpyxl.cell.rich_text import CellRichText, TextBlock
    except ImportError:  # pragma: no cover - openpyxl < 3.1
        CellRichText = TextBlock = ()  # type: ignore[assignment]  # noqa: N806
    if CellRichText and isinstance(value, CellRichText):
        for block in value:
            if isinstance(block, TextBlock) and block.font is not None and block.font.b and block.text.strip():
                bold = True
        return Cell(str(value), bold)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return Cell(f"{value:%d/%m/%Y}", bold)
    if isinstance(value, float):
        return Cell(str(int(value)) if value.is_integer() else repr(value), bold)
    return Cell(str(value), bold)


def _rows(ws) -> list[RawRow]:
    return [RawRow(cells=[_cell(c) for c in r], where=f"sheet {ws.title!r}, row {r[0].row}")
            for r in ws.iter_rows() if r]


def _is_key(ws) -> bool:
    return ws.title.strip().casefold() in KEY_SHEETS


def _action_keys(filename: str, rows: list[RawRow], today: dt.date) -> dict[tuple[str, str], None] | None:
    """The (number, title) of every action a sheet's plan table holds, in order; None when it has none."""
    probe = PlanReader(filename, today=today)
    probe.feed(rows)
    if not probe.found_table:
        return None
    return dict.fromkeys((a.ref, tx.norm_key(a.title)) for a in probe.draft.actions())


def _choose_sheets(filename: str, sheets: list[tuple[Any, list[RawRow]]], today: dt.date,
                   sheet: str | None) -> list[tuple[Any, list[RawRow]]]:
    """The plan sheets to read (Key sheets always come along); refuse a hidden or repeated tracker."""
    names = [ws.title for ws, _rows in sheets]
    if sheet is not None:
        chosen = [(ws, rows) for ws, rows in sheets if ws.title == sheet or _is_key(ws)]
        if not any(ws.title == sheet for ws, _rows in chosen):
            raise PlanImportError(f"{filename}: no sheet called {sheet!r}; the sheets are "
                                  f"{', '.join(repr(n) for n in names)}")
        return chosen
    plans: list[tuple[Any, dict[tuple[str, str], None]]] = []
    for ws, rows in sheets:
        if _is_key(ws):
            continue
        keys = _action_keys(filename, rows, today)
        if keys is not None:
            plans.append((ws, keys))
    hidden = [ws.title for ws, _keys in plans if ws.sheet_state != "visible"]
    if hidden:
        raise PlanImportError(
            f"{filename}: sheet {', '.join(repr(n) for n in hidden)} is hidden and holds a plan table; read one "
            f"sheet with --sheet NAME (plan sheets: {', '.join(repr(ws.title) for ws, _k in plans)})")
    for i, (ws_a, keys_a) in enumerate(plans):
        for ws_b, keys_b in plans[i + 1:]:
            shared = [k for k in keys_a if k in keys_b]
            if shared:
                ref = shared[0][0] or "(unnumbered)"
                raise PlanImportError(
                    f"{filename}: sheets {ws_a.title!r} and {ws_b.title!r} both hold action {ref} "
                    f"({len(shared)} action{'s' if len(shared) != 1 else ''} in common): two copies of the "
                    f"tracker would double its steps and notes; read one sheet with --sheet NAME")
    return sheets


def read_xlsx(path: Path, *, today: dt.date, default_source: str | None = None,
              sheet: str | None = None) -> DraftProgramme:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True, rich_text=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open means "not a workbook"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PlanImportError(f"{path.name}: not an Excel workbook (.xlsx) that can be opened ({reason})") from None
    reader = PlanReader(path.name, today=today, default_source=default_source)
    try:
        sheets = [(ws, _rows(ws)) for ws in wb.worksheets]
        for ws, rows in _choose_sheets(path.name, sheets, today, sheet):
            if _is_key(ws):
                reader.read_key_rows(rows)
            else:
                reader.feed(rows)
    finally:
        wb.close()
    check_found(reader, "sheet")
    return reader.finish()
