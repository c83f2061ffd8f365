"""The work programme as a workbook in the seed's own layout (seed 000, appendix 3).

Title, version line, a blank row, then ``Task Description | Resource (lead) | Sep-17 | …`` with
"Project task", "Ongoing task" or "Milestone" in the month cells, then the notes (the key to
the leads). The words are in the cells, not only colours, so the sheet reads without colour.
Every cell passes through ``safe_cell``: a task typed as ``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import io

from oversight.engine.safe_cells import safe_row

from .queries import work_programme_data

FILLS = {"project": "B4C7E7", "ongoing": "C6E0B4", "milestone": "FFD966"}


def work_programme_xlsx(wp) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    data = work_programme_data(wp)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Work programme"
    ws.append(safe_row([data["title"]]))
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(safe_row([data["version"]]))
    ws.append([])
    ws.append(safe_row(["Task Description", "Resource (lead)", *[m["label"] for m in data["months"]]]))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for task in data["tasks"]:
        ws.append(safe_row([task["description"], task["lead"], *[c["label"] for c in task["cells"]]]))
        row = ws.max_row
        for i, c in enumerate(task["cells"], start=3):
            if c["kind"]:
                ws.cell(row=row, column=i).fill = PatternFill("solid", fgColor=FILLS[c["kind"]])
    if data["notes"]:
        ws.append([])
        ws.append(safe_row(["Notes"]))
        for line in data["notes"].splitlines():
            ws.append(safe_row([line]))
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 18
    for row in ws.iter_rows(min_row=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
