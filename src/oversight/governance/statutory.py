"""Statutory plans in their own layout: created from a template, shown, exported and imported.

The workbook has one sheet per section, named as the template names it, its first row the
section's column headings. An import checks the file's limits before parsing, reads every
sheet, reports every problem by sheet, row and column, and replaces the plan's rows only when
the whole file is good. Every cell written passes through ``safe_cell``.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.db import transaction

from oversight.engine.safe_cells import safe_row

from .frameworks import FrameworkImportError, _text
from .layouts import LAYOUTS, Layout
from .models import StatutoryPlan, StatutoryPlanRow


def layout_of(plan: StatutoryPlan) -> Layout:
    return LAYOUTS[plan.layout]


def plan_data(plan: StatutoryPlan) -> dict:
    layout = layout_of(plan)
    rows: dict[str, list] = {}
    for r in plan.rows.all():
        rows.setdefault(r.section, []).append(r.cells)
    return {"id": plan.pk, "title": plan.title, "layout": plan.layout, "layout_name": layout.name,
            "period": plan.period_text, "approved_on": plan.approved_on and plan.approved_on.isoformat(),
            "sections": [{"key": s.key, "title": s.title, "columns": list(s.columns), "rows": rows.get(s.key, [])}
                         for s in layout.sections]}


@transaction.atomic
def create_from_template(programme, layout_key: str, title: str, period_text: str = "",
                         rows: dict[str, list[list[str]]] | None = None) -> StatutoryPlan:
    layout = LAYOUTS[layout_key]
    plan = StatutoryPlan.objects.create(programme=programme, layout=layout_key, title=title, period_text=period_text)
    if rows:
        _write_rows(plan, layout, rows)
    return plan


def _write_rows(plan: StatutoryPlan, layout: Layout, rows: dict[str, list[list[str]]]) -> None:
    plan.rows.all().delete()
    StatutoryPlanRow.objects.bulk_create([
        StatutoryPlanRow(plan=plan, section=s.key, order=o, cells=[str(c) for c in (cells + [""] * len(s.columns))
                                                                   [:len(s.columns)]])
        for s in layout.sections for o, cells in enumerate(rows.get(s.key, []), start=1)])


def plan_xlsx(plan: StatutoryPlan) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    data = plan_data(plan)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for section, s in zip(data["sections"], layout_of(plan).sections, strict=True):
        ws = book.create_sheet(s.sheet)
        ws.append(safe_row(section["columns"]))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in section["rows"]:
            ws.append(safe_row(row))
        for col in ws.columns:
            ws.column_dimensions[col[0].column_letter].width = 40
            for cell in col:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_plan_xlsx(path: Path | str, layout: Layout) -> dict[str, list[list[str]]]:
    """Every section's rows, or :class:`FrameworkImportError` naming each problem (sheet, row, column)."""
    from oversight.engine.limits import FileRefused, Limits, check_file

    path = Path(path)
    name = path.name
    try:
        check_file(path, Limits.from_env().for_plans())
    except FileRefused as e:
        raise FrameworkImportError([str(e)]) from None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is reported the same way
        raise FrameworkImportError([f"{name}: not an Excel workbook (.xlsx) that can be read"]) from None
    errors: list[str] = []
    out: dict[str, list[list[str]]] = {}
    try:
        for s in layout.sections:
            if s.sheet not in wb.sheetnames:
                errors.append(f"{name}: no sheet \"{s.sheet}\" (the {layout.name} has: "
                              f"{', '.join(x.sheet for x in layout.sections)})")
                continue
            rows = [[_text(v) for v in r] for r in wb[s.sheet].iter_rows(values_only=True)]
            head = (rows[0] if rows else []) + [""] * len(s.columns)
            for i, want in enumerate(s.columns):
                if head[i].lower() != want.lower():
                    errors.append(f"{name}: sheet \"{s.sheet}\", row 1, column {chr(65 + i)}: expected the heading "
                                  f"\"{want}\", found \"{head[i]}\"")
            body = []
            for n, r in enumerate(rows[1:], start=2):
                if len(r) > len(s.columns) and any(r[len(s.columns):]):
                    errors.append(f"{name}: sheet \"{s.sheet}\", row {n}, column {chr(65 + len(s.columns))}: "
                                  f"text beyond the last column (\"{s.columns[-1]}\")")
                if any(r[:len(s.columns)]):
                    body.append((r + [""] * len(s.columns))[:len(s.columns)])
            out[s.key] = body
    finally:
        wb.close()
    if errors:
        raise FrameworkImportError(errors)
    return out


@transaction.atomic
def import_plan_xlsx(plan: StatutoryPlan, path: Path | str) -> int:
    """Replace the plan's rows with the workbook's (all or nothing); returns the number of rows."""
    layout = layout_of(plan)
    rows = read_plan_xlsx(path, layout)
    _write_rows(plan, layout, rows)
    return sum(len(v) for v in rows.values())
