"""Tables as CSV or XLSX downloads, safe to open in Excel.

Team and worker names are free text from the case system; a cell beginning with ``=`` or
``+`` would run as a formula when opened, so every cell goes through the product's one
neutraliser, :func:`oversight.engine.safe_cells.safe_cell`.

The scorecard's XLSX (:func:`scorecard_xlsx`) is written for people, not for a database: names
rather than code names, periods as officers write them ("2018/19", "Jan 20"), RAG cells coloured
and labelled, a frozen header and columns wide enough to read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from oversight.engine.safe_cells import safe_cell, safe_row

__all__ = ["period_label", "safe_cell", "scorecard_xlsx", "scorecard_xlsx_response", "table_response"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(fmt: str, filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
                   ) -> HttpResponse:
    """``sheets`` = [(title, header, rows)]; CSV takes the first sheet only."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        _title, header, rows = sheets[0]
        writer.writerow(safe_row(header))
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
            ws.append(safe_row(header))
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for r in rows:
                ws.append([safe_cell(v) for v in r])
            ws.freeze_panes = "A2"
        data = io.BytesIO()
        wb.save(data)
        resp = HttpResponse(data.getvalue(), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


# ------------------------------------------------------------------------------ the scorecard for people
RAG_STYLE = {  # GOV.UK tag colours: dark text on a light fill, readable when printed in grey
    "red": ("Red", "F4CDC6", "2A0B06"),
    "amber": ("Amber", "FFE3BE", "3D2300"),
    "green": ("Green", "CCE2D8", "005A30"),
    "none": ("Not rated", "E8F1F8", "0B0C0C"),
}
UNIT_LABELS = {"percent": "%", "count": "Count", "days": "Days", "number": "Number"}
PERIOD_TYPE_LABELS = {"flow": "In month", "snapshot": "Snapshot", "extract": "At extract", "ytd": "YTD",
                      "rolling_12m": "Rolling 12 months", "month": "Month"}
POLARITY_LABELS = {"high": "Higher", "low": "Lower", "higher": "Higher", "lower": "Lower"}
LEVELS = (("national", "National"), ("regional", "Regional"), ("stat_neighbours", "Statistical neighbours"))


def period_label(period: str) -> str:
    """A period as officers write it: DfE's "201819" → "2018/19", "2019-08" → "Aug 19", "2023" stays."""
    p = str(period).strip()
    if re.fullmatch(r"\d{6}", p) and int(p[4:]) == (int(p[:4]) + 1) % 100:
        return f"{p[:4]}/{p[4:]}"
    if re.fullmatch(r"\d{4}-\d{2}", p):
        year, second = int(p[:4]), int(p[5:])
        if 1 <= second <= 12:
            return dt.date(year, second, 1).strftime("%b %y")
        if second == (year + 1) % 100:
            return f"{year}/{second:02d}"
    return p


def _number(value: float | None, unit: str) -> tuple[float | None, str]:
    """A figure as Excel should hold it: percentages as fractions shown "0.0%", days to one place."""
    if value is None:
        return None, "General"
    if unit == "percent":
        return value / 100, "0.0%"
    if unit in ("count", "number"):
        return value, "#,##0"
    return value, "0.0"


def scorecard_xlsx(groups: Sequence[Any], months: Sequence[str], *, as_at: dt.date | None = None,
                   title: str = "Performance scorecard") -> bytes:
    """The scorecard (``services.ThemeGroup`` list) as a workbook officers can hand round.

    One "Scorecard" sheet, one row per measure, with a frozen header row and the measure's name
    frozen beside it; numbers are numbers (percentages as percentages); the RAG column says the
    word and is coloured; an "About" sheet says what the columns mean.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    month_labels = [period_label(m) for m in months]
    columns: list[tuple[str, float]] = [
        ("Theme", 26), ("Ref", 7), ("Performance measure", 48), ("Unit", 8), ("Period", 11), ("Better when", 9),
        *[(m, 9) for m in month_labels],
        ("Current", 10), ("Numerator", 10), ("Denominator", 11), ("Target minimum", 10), ("Target upper", 10),
        ("Target due", 11), ("RAG", 10), ("Direction of travel", 18), ("SPC variation", 26), ("SPC assurance", 28),
        *[(label, 11) for _key, label in LEVELS], ("Benchmark year", 11), ("Rows left out", 9),
        ("Commentary", 50),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Scorecard"
    ws.append(safe_row([c for c, _w in columns]))
    header_fill = PatternFill("solid", fgColor="1D70B8")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 32
    thin = Side(style="thin", color="B1B4B6")
    rag_col = [c for c, _w in columns].index("RAG") + 1
    for g in groups:
        for r in g.rows:
            ind = r.indicator
            unit = ind.unit
            t = r.target
            current = r.current
            values: list[tuple[Any, str]] = [
                (g.name, "@"), (str(getattr(r, "ref", "") or ""), "@"), (ind.name, "@"),
                (UNIT_LABELS.get(unit, unit.capitalize()), "@"),
                (PERIOD_TYPE_LABELS.get(ind.period_type, ind.period_type.replace("_", " ").capitalize()), "@"),
                (POLARITY_LABELS.get(ind.polarity, ""), "@"),
                *[_number(v, unit) for v in r.values],
                _number(current.get("value"), unit),
                (current.get("numerator"), "#,##0"), (current.get("denominator"), "#,##0"),
                _number(t.minimum if t else None, unit), _number(t.upper if t else None, unit),
                (t.due if t and t.due else None, "DD/MM/YYYY"),
                (RAG_STYLE.get(r.rag, RAG_STYLE["none"])[0], "@"),
                (r.direction.text if r.direction.arrow else "", "@"),
                (r.spc.variation_label, "@"), (r.spc.assurance_label if r.spc.assurance else "No target", "@"),
            ]
            years = []
            for key, _label in LEVELS:
                b = r.benchmarks.get(key)
                values.append(_number(b.value if b else None, unit))
                if b is not None and period_label(b.time_period) not in years:
                    years.append(period_label(b.time_period))
            values.append(("; ".join(years), "@"))
            values.append((r.data_quality.get("rows_excluded"), "#,##0"))
            comment = getattr(r, "comment", None)
            values.append((comment.text if comment else "", "@"))
            ws.append(safe_row([v for v, _f in values]))
            row = ws[ws.max_row]
            for cell, (_v, fmt) in zip(row, values, strict=True):
                cell.number_format = fmt
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = Border(bottom=thin)
            word, fill, colour = RAG_STYLE.get(r.rag, RAG_STYLE["none"])
            rag_cell = row[rag_col - 1]
            rag_cell.fill = PatternFill("solid", fgColor=fill)
            rag_cell.font = Font(bold=True, color=colour)
    for i, (_c, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "D2"  # header row and the theme, ref and measure columns stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 1)}"
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"

    about = wb.create_sheet("About")
    about_rows: list[list[Any]] = [
        [title],
        ["As at", as_at],
        ["Months", f"{month_labels[0]} to {month_labels[-1]}" if month_labels else ""],
        ["RAG", "Against the target in force (minimum and upper tolerance), read through the measure's "
                "polarity: Green meets the upper figure, Amber is between, Red is below the minimum."],
        ["Direction of travel", "The latest month against the one before, and whether that is better or worse."],
        ["SPC", 'Statistical process control as in NHS England\'s "Making Data Count".'],
        ["Benchmarks", "The latest published national, regional and statistical-neighbour figures."],
    ]
    for values_row in about_rows:
        about.append(safe_row(values_row))
    about["A1"].font = Font(bold=True, size=14)
    about["B2"].number_format = "D MMMM YYYY"
    about["B2"].alignment = Alignment(horizontal="left")
    for row_cells in about.iter_rows(min_row=2):
        row_cells[0].font = Font(bold=True)
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    wb.properties.title = title
    wb.properties.language = "en-GB"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def scorecard_xlsx_response(groups: Sequence[Any], months: Sequence[str], filename: str, *,
                            as_at: dt.date | None = None) -> HttpResponse:
    title = f"Performance scorecard as at {as_at.day} {as_at:%B %Y}" if as_at else "Performance scorecard"
    resp = HttpResponse(scorecard_xlsx(groups, months, as_at=as_at, title=title), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return resp
