"""Tables as CSV or XLSX downloads, safe to open in Excel.

Team and worker names are free text from the case system; a cell beginning with ``=`` or
``+`` would run as a formula when opened, so such text is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_response(fmt: str, filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
                   ) -> HttpResponse:
    """``sheets`` = [(title, header, rows)]; CSV takes the first sheet only."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        _title, header, rows = sheets[0]
        writer.writerow(header)
        for r in rows:
            writer.writerow([safe_cell(v) for v in r])
        resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        wb.remove(wb.active)
        for title, header, rows in sheets:
            ws = wb.create_sheet(title=_sheet_title(title))
            ws.append(list(header))
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for r in rows:
                ws.append([safe_cell(v) for v in r])
            ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        resp = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"
