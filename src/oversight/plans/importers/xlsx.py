"""Reading a plan from an Excel workbook (.xlsx).

openpyxl rather than calamine: the action-plan layout marks additional revenue in **bold**, so
fonts (including bold runs inside a cell) must be read. Plans are a few hundred rows, so speed
does not matter here. Every sheet whose rows contain a known header is read, in order; a sheet
called "Key" holds the initials | name | role table.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def read_xlsx(path: Path, *, today: dt.date, default_source: str | None = None) -> DraftProgramme:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True, rich_text=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open means "not a workbook"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PlanImportError(f"{path.name}: not an Excel workbook (.xlsx) that can be opened ({reason})") from None
    reader = PlanReader(path.name, today=today, default_source=default_source)
    try:
        for ws in wb.worksheets:
            rows = [RawRow(cells=[_cell(c) for c in r], where=f"sheet {ws.title!r}, row {r[0].row}")
                    for r in ws.iter_rows() if r]
            if ws.title.strip().casefold() in KEY_SHEETS:
                reader.read_key_rows(rows)
            else:
                reader.feed(rows)
    finally:
        wb.close()
    check_found(reader, "sheet")
    return reader.finish()
