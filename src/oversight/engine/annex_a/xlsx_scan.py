"""Find formula cells and Excel error cells (``#N/A``) in an .xlsx file.

Why: python-calamine returns a formula's cached result and turns error cells into blanks, so
neither can be seen in the values it gives. Annex A must hold values, and a ``#N/A`` is not a
blank, so we read the sheet XML ourselves. The scan streams each sheet part and only parses
the few places where ``<f`` or ``t="e"`` occurs, so a clean workbook costs one decompression
(run in a thread beside calamine, which releases the GIL).
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

CHUNK = 8 << 20
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE_E = re.compile(rb'\bt="e"')
_MARKER = re.compile(rb'<f|t="e"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# (excel_row, zero_based_column) -> (rule, shown text)
CellFlags = dict[tuple[int, int], tuple[str, str]]


def column_index(letters: bytes | str) -> int:
    """``A`` → 0, ``Z`` → 25, ``AA`` → 26."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML part, from ``workbook.xml`` and its relationships."""
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[sheet.get("name", "")] = member
    return out


MAX_CELL = 1 << 20  # no real cell's XML is this long (Excel: 32,767 characters, formulas 8,192)


def _find_value(cell: bytes) -> str:
    start = cell.find(b"<v>")
    if start == -1:
        return ""
    end = cell.find(b"</v>", start)
    raw = cell[start + 3:end if end != -1 else len(cell)]
    return html.unescape(raw.decode("utf-8", "replace"))


def _find_formula(cell: bytes) -> str | None:
    """The formula text of a cell (``""`` for a shared one), or None. Plain finds, no backtracking."""
    pos = cell.find(b"<f")
    while pos != -1 and cell[pos + 2:pos + 3] not in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
        pos = cell.find(b"<f", pos + 2)
    if pos == -1:
        return None
    gt = cell.find(b">", pos)
    if gt == -1 or cell[gt - 1:gt] == b"/":
        return ""
    close = cell.find(b"</f>", gt)
    return html.unescape(cell[gt + 1:close if close != -1 else len(cell)].decode("utf-8", "replace"))


def _parse_cell(cell: bytes) -> tuple[int, int, str, str] | None:
    head_end = cell.find(b">")
    head = cell[:head_end] if head_end != -1 else cell
    ref = _REF.search(head)
    if not ref:
        return None
    row, col = int(ref.group(2)), column_index(ref.group(1))
    if head.endswith(b"/"):  # an empty self-closing cell such as <c r="A1" t="e"/>
        cell = head
    cached = _find_value(cell)
    if _TYPE_E.search(head):
        return row, col, "excel-error", cached or "#ERROR"
    text = _find_formula(cell)
    if text is not None:
        return row, col, "formula", f"={text}" if text else "=(shared formula)"
    return None


class _Next:
    """The next ``needle`` at or after a position, searched once per stretch of the bytes."""

    def __init__(self, data: bytes, needle: bytes) -> None:
        self.data, self.needle, self.at = data, needle, -2  # -2: not looked yet; -1: none left

    def after(self, pos: int) -> int:
        if self.at == -1 or self.at >= pos:
            return self.at
        self.at = self.data.find(self.needle, pos)
        return self.at


def _scan_part(data: bytes, flags: CellFlags) -> None:
    """Flag the cells around each ``<f`` or ``t="e"`` marker, in linear time whatever the bytes.

    Each search is bounded by the one before it (a cell start is looked for back to the previous
    marker only; the next ``</c>`` is found once and reused), and the markers inside a cell just
    parsed are skipped, so a part full of markers and no cell ends is not quadratic.
    """
    if b"<f" not in data and b't="e"' not in data:
        return
    floor, start, done_until = 0, -1, -1
    close, slash, gt = _Next(data, b"</c>"), _Next(data, b"/>"), _Next(data, b">")
    for m in _MARKER.finditer(data):
        pos = m.start()
        if pos < done_until:
            continue
        s = data.rfind(b"<c ", floor, pos)
        floor = pos
        if s != -1:
            start = s
        if start == -1:
            continue
        head_end = gt.after(start)
        end = close.after(pos)
        if head_end != -1 and data[head_end - 1:head_end] == b"/" and (end == -1 or head_end < end):
            end = head_end + 1  # a self-closing cell such as <c r="A1" t="e"/>
        elif end != -1:
            end += 4
        else:
            end = slash.after(pos)
            end = end + 2 if end != -1 else len(data)
        done_until = end
        parsed = _parse_cell(data[start:min(end, start + MAX_CELL)])
        if parsed:
            row, col, rule, text = parsed
            flags[(row, col)] = (rule, text)


def scan_sheet(zf: zipfile.ZipFile, member: str) -> CellFlags:
    """Formula and error cells of one sheet part, streamed in chunks cut at cell starts.

    The bytes carried to the next chunk are bounded: a stretch with no cell start in it (a
    sheet of whitespace, one giant cell) is scanned and dropped rather than carried and copied
    again with every chunk, which made a 1.3 MB sheet of whitespace run for ever.
    """
    flags: CellFlags = {}
    carry = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            buf = carry + chunk if carry else chunk
            cut = buf.rfind(b"<c ")
            if cut <= 0:
                if len(buf) <= 2 * CHUNK:
                    carry = buf
                    continue
                _scan_part(buf, flags)  # no cell start in 16 MB: scan it and keep only a tail
                carry = buf[-8:]
                continue
            _scan_part(buf[:cut], flags)
            carry = buf[cut:]
    if carry:
        _scan_part(carry, flags)
    return flags


def workbook_parts(path: Path) -> dict[str, str]:
    """Sheet name → XML part; empty when the file is not an OOXML workbook (.xls, .ods)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return sheet_parts(zf)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}


def scan_part(path: Path, member: str) -> CellFlags:
    """Formula/error cells of one sheet part (run on a worker thread beside calamine)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return scan_sheet(zf, member)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return {}


def scan_workbook(path: Path, sheet_names: list[str]) -> dict[str, CellFlags]:
    """Formula/error cells for the named sheets."""
    parts = workbook_parts(path)
    return {name: scan_part(path, parts[name]) for name in sheet_names if name in parts}
