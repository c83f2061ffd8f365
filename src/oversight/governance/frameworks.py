"""Self-assessment frameworks from a workbook: changes (or lines of enquiry) × maturity levels 1–5.

The layout is the High Impact Change Model's grid (seed 000), one descriptor row per line::

    Code | Change | Description | Not yet established | Plans in place | Established | Mature | Exemplary
    1    | Early Discharge Planning | In elective care … | <level 1> | <level 2> | … | <level 5>
         |                          |                    | <next row of descriptors for change 1> …

A row with a blank Code continues the change above. The file's limits are checked before it
is parsed (a hostile workbook never reaches the parser); every error is collected with its row
and column, and nothing is written unless the whole file is good.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import Descriptor, Framework, FrameworkItem

HEAD = ["Code", "Change", "Description"]
LEVEL_COLUMNS = "DEFGH"


class FrameworkImportError(ValueError):
    """The workbook is refused; ``errors`` names each bad cell (row and column)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:20]))
        self.errors = errors


@dataclass
class ItemDraft:
    code: str
    title: str
    description: str
    row: int
    descriptors: list[list[str]] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_framework(path: Path | str) -> tuple[list[str], list[ItemDraft]]:
    """Level names and changes from the workbook, or :class:`FrameworkImportError` listing every problem."""
    path = Path(path)
    name = path.name
    try:
        from oversight.engine.limits import FileRefused, Limits, check_file
    except ImportError:  # pragma: no cover - the limits module is optional in old installs
        pass
    else:
        try:
            check_file(path, Limits.from_env().for_plans())
        except FileRefused as e:
            raise FrameworkImportError([str(e)]) from None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is reported the same way
        raise FrameworkImportError([f"{name}: not an Excel workbook (.xlsx) that can be read"]) from None
    try:
        ws = wb.worksheets[0]
        rows = [[_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    errors: list[str] = []
    if not rows:
        raise FrameworkImportError([f"{name}: the first sheet is empty"])
    head = (rows[0] + [""] * 8)[:8]
    for i, want in enumerate(HEAD):
        if head[i].lower() != want.lower():
            errors.append(f"{name}: row 1, column {'ABC'[i]}: expected the heading \"{want}\", found \"{head[i]}\"")
    levels = head[3:8]
    for col, level in zip(LEVEL_COLUMNS, levels, strict=True):
        if not level:
            errors.append(f"{name}: row 1, column {col}: the name of a level is missing (levels 1 to 5 in D to H)")
    items: list[ItemDraft] = []
    codes: set[str] = set()
    for n, raw in enumerate(rows[1:], start=2):
        row = (raw + [""] * 8)[:8]
        if not any(row):
            continue
        if len(raw) > 8 and any(raw[8:]):
            errors.append(f"{name}: row {n}, column I: text beyond the fifth level")
        code, title, description, cells = row[0], row[1], row[2], row[3:8]
        if code:
            if code in codes:
                errors.append(f"{name}: row {n}, column A (Code): \"{code}\" is used twice")
            codes.add(code)
            if not title:
                errors.append(f"{name}: row {n}, column B (Change): a change needs a title")
            items.append(ItemDraft(code, title, description, n))
        elif not items:
            errors.append(f"{name}: row {n}, column A (Code): the first change needs a code")
            continue
        elif title:
            errors.append(f"{name}: row {n}, column A (Code): a new change needs a code")
            continue
        if any(cells):
            items[-1].descriptors.append(cells)
    for it in items:
        if not it.descriptors:
            errors.append(f"{name}: row {it.row}: change \"{it.code}\" has no descriptors in columns D to H")
    if not items and not errors:
        errors.append(f"{name}: no changes found below the headings")
    if errors:
        raise FrameworkImportError(errors)
    return levels, items


@transaction.atomic
def import_framework(programme, path: Path | str, name: str) -> Framework:
    """Read the whole workbook first; write the framework only if every row is good (all or nothing)."""
    levels, items = read_framework(path)
    if Framework.objects.filter(programme=programme, name=name).exists():
        raise FrameworkImportError([f"A framework called \"{name}\" already exists in this programme"])
    fw = Framework.objects.create(programme=programme, name=name, levels=levels)
    save_items(fw, items)
    return fw


def save_items(fw: Framework, items: list[ItemDraft]) -> None:
    for order, it in enumerate(items, start=1):
        item = FrameworkItem.objects.create(framework=fw, order=order, code=it.code, title=it.title,
                                            description=it.description)
        Descriptor.objects.bulk_create([Descriptor(item=item, row=r, level=lv, text=text)
                                        for r, cells in enumerate(it.descriptors, start=1)
                                        for lv, text in enumerate(cells, start=1) if text])
