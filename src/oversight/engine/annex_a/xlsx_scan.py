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
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
_VALUE = re.compile(rb"<v>(.*?)</v>", re.DOTALL)
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


def _parse_cell(cell: bytes) -> tuple[int, int, str, str] | None:
    head_end = cell.find(b">")
    head = cell[:head_end]
    ref = _REF.search(head)
    if not ref:
        return None
    row, col = int(ref.group(2)), column_index(ref.group(1))
    if head.endswith(b"/"):  # an empty self-closing cell such as <c r="A1" t="e"/>
        cell = head
    value = _VALUE.search(cell)
    cached = html.unescape(value.group(1).decode("utf-8", "replace")) if value else ""
    if _TYPE_E.search(head):
        return row, col, "excel-error", cached or "#ERROR"
    f = _FORMULA.search(cell)
    if f:
        text = html.unescape(f.group(1).decode("utf-8", "replace")) if f.group(1) else ""
        return row, col, "formula", f"={text}" if text else "=(shared formula)"
    return None


def _scan_part(data: bytes, flags: CellFlags) -> None:
    if b"<f" not in data and b't="e"' not in data:
        return
    seen: set[int] = set()
    for marker in (b"<f", b't="e"'):
        pos = data.find(marker)
        while pos != -1:
            start = data.rfind(b"<c ", 0, pos)
            if start != -1 and start not in seen:
                seen.add(start)
                end = data.find(b"</c>", pos)
                end = data.find(b"/>", pos) + 2 if end == -1 else end + 4
                parsed = _parse_cell(data[start:end])
                if parsed:
                    row, col, rule, text = parsed
                    flags[(row, col)] = (rule, text)
            pos = data.find(marker, pos + 1)


def scan_sheet(zf: zipfile.ZipFile, member: str) -> CellFlags:
    """Formula and error cells of one sheet part."""
    flags: CellFlags = {}
    carry = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            buf = carry + chunk
            cut = buf.rfind(b"<c ")
            if cut <= 0:
                carry = buf
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
