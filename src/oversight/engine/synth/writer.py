"""Write Annex A rows to an XLSX workbook the way councils send it: eleven sheets, real date cells.

Headers and picklist texts come from the schema module (``engine.annex_a.schema``), never from
here: a row holds canonical keys and codes, and this writer looks up ``Column.header`` and
``Code.text``. A code the schema does not publish is a bug in the generator and stops it.

xlsxwriter in constant-memory mode streams each row to disk as soon as the next one starts, so
a scale-50 workbook (half a million contacts) is written in roughly constant memory. Workbook
properties carry a fixed timestamp and xlsxwriter stamps the zip entries with a fixed date, so
the same arguments give a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from oversight.engine.annex_a.schema import ListSpec, SchemaVersion
from oversight.engine.synth.dates import excel_serial

MAX_ROWS = 1_048_576  # Excel's limit, header included


class SynthError(ValueError):
    """A synthetic workbook that cannot be made as asked, with the reason in one line."""


def sheet_name(spec: ListSpec) -> str:
    return f"List {spec.number}"


def value_for(spec_key: str, row: dict) -> object:
    """The row's value for a column; the 2026 schema's ``sex`` is the same field as ``gender``."""
    if spec_key == "sex" and "sex" not in row:
        return row.get("gender")
    return row.get(spec_key)


class _ListPlan:
    """What the writer needs per list: keys, types and code → published text maps."""

    def __init__(self, spec: ListSpec) -> None:
        self.spec = spec
        self.keys = [c.key for c in spec.columns]
        self.texts = [{code.code: code.text for code in c.codes} if c.type == "code" else None
                      for c in spec.columns]

    def render(self, row: dict) -> list[object]:
        """Clean cell values: dates as ``date``, codes as published text, numbers as numbers."""
        cells: list[object] = []
        for key, texts in zip(self.keys, self.texts, strict=True):
            v = value_for(key, row)
            if v is None or v == "":
                cells.append(None)
            elif texts is not None:
                try:
                    cells.append(texts[str(v)])
                except KeyError:
                    raise SynthError(f"List {self.spec.number} {key}: {v!r} is not a published code") from None
            else:
                cells.append(v)
        return cells


class WorkbookWriter:
    """Streams rows into the eleven sheets; ``close`` returns rows written per table."""

    def __init__(self, path: Path, schema: SchemaVersion, as_at: dt.date, messiness=None) -> None:
        self.path = Path(path)
        self.messiness = messiness
        self.wb = xlsxwriter.Workbook(str(self.path), {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        })
        # Fixed properties: the file's bytes depend only on the arguments, not on the clock.
        stamp = dt.datetime(as_at.year, as_at.month, as_at.day)
        self.wb.set_properties({"title": "Annex A (synthetic)", "author": "Oversight synthetic generator",
                                "comments": "Invented data: no real child, worker or place.",
                                "created": stamp})
        self.date_fmt = self.wb.add_format({"num_format": "dd/mm/yyyy"})
        header_fmt = self.wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.plans: dict[int, _ListPlan] = {}
        self.sheets = {}
        self.next_row: dict[int, int] = {}
        for spec in schema.lists:
            ws = self.wb.add_worksheet(sheet_name(spec))
            plan = _ListPlan(spec)
            headers = messiness.headers(spec) if messiness else [c.header for c in spec.columns]
            for i, col in enumerate(spec.columns):
                width = 13 if col.type in ("date", "int") else 22
                ws.set_column(i, i, width)
            ws.freeze_panes(1, 0)
            for i, h in enumerate(headers):
                ws.write_string(0, i, h, header_fmt)
            self.plans[spec.number] = plan
            self.sheets[spec.number] = ws
            self.next_row[spec.number] = 1

    def add(self, list_no: int, row: dict) -> None:
        plan = self.plans[list_no]
        cells = plan.render(row)
        if self.messiness is None:
            self._write(list_no, cells)
            return
        for out in self.messiness.transform(plan.spec, row, cells, self.next_row[list_no] + 1):
            self._write(list_no, out)

    def _write(self, list_no: int, cells: list[object]) -> None:
        r = self.next_row[list_no]
        if r >= MAX_ROWS:
            raise SynthError(f"List {list_no} would pass Excel's limit of {MAX_ROWS:,} rows; use a smaller --scale")
        ws = self.sheets[list_no]
        for c, v in enumerate(cells):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, c, v)
            elif isinstance(v, dt.date):
                ws.write_number(r, c, excel_serial(v), self.date_fmt)
            else:
                ws.write_number(r, c, v)  # type: ignore[arg-type]
        self.next_row[list_no] = r + 1

    def close(self) -> dict[str, int]:
        try:
            self.wb.close()
        except OSError as e:
            raise SynthError(f"{self.path}: cannot write the workbook ({e.strerror or e})") from None
        return {plan.spec.table: self.next_row[n] - 1 for n, plan in sorted(self.plans.items())}
