"""Limits every imported file must meet before any parser touches it (no Django).

Why: the readers we use (calamine in Rust, openpyxl, python-docx on lxml, the json module) trust
what a file says about itself. One cell at ``XFD1048576`` makes calamine allocate a dense grid of
17 billion cells and abort the process; a ``gridSpan`` of two billion makes a table reader build
two billion cells; a zip of a few MB can hold gigabytes of XML. So each file is first read here,
cheaply and in bounded memory — the zip's central directory, then the XML streamed in chunks and
scanned with C-level byte searches — and refused with one line that names the file and the limit
(``plan.xlsx: sheet 'Tracker' uses row 1,048,576; the limit is 1,000,000 rows
(OVERSIGHT_MAX_ROWS)``). Whatever slips past these checks still runs in a worker process with a
memory and time limit (:mod:`oversight.engine.isolation`).

Every limit is configurable (environment variable, or a Django setting of the same name through
``oversight.config.uploads``). Public API: :class:`Limits`, :class:`FileRefused`,
:func:`check_file` (dispatches on the suffix), and the per-format checks.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import threading
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

CHUNK = 1 << 20  # bytes of XML per scan step: small enough that a scan stays at a few MB of memory
_OVERLAP = 64  # bytes kept between chunks so a tag split across two chunks is still seen whole
_SMALL_PART = 16 << 20  # workbook.xml, relationships: parsed whole, so they must be small
_BYTES_PER_CHAR = 6  # worst case of one character in XML bytes (``&quot;``), so no real cell is refused
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


class FileRefused(ValueError):
    """A file over a limit. ``str()`` is one line naming the file and the limit."""


@dataclass(frozen=True)
class Limits:
    """What a file may hold. Defaults suit a large council's Annex A and any real plan."""

    max_upload_mb: int = 100  # any one file (an Annex A workbook at 5 × a large council is ~45 MB)
    max_unzipped_mb: int = 2048  # total of a zip's members once decompressed
    max_zip_ratio: int = 100  # decompressed ÷ compressed size of any member over 1 MB
    max_zip_members: int = 1000
    max_rows: int = 1_000_000  # per sheet or CSV file (Excel's own maximum is 1,048,576)
    max_columns: int = 1000  # per sheet, table row or CSV line (Excel's is 16,384)
    max_cells: int = 50_000_000  # per sheet: rows × columns of the area a reader lays out
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_line_chars: int = 1_000_000  # one CSV line
    max_json_mb: int = 20
    max_json_depth: int = 64
    max_number_chars: int = 100  # one JSON number (Python refuses ints of over 4,300 digits)
    plan_max_rows: int = 20_000  # plans are hundreds of rows; their readers hold every cell
    plan_max_cells: int = 2_000_000
    plan_max_unzipped_mb: int = 200
    worker_memory_mb: int = 4096  # address space of the process that parses a file (0: no limit)
    worker_timeout_s: int = 600  # wall-clock time of that process
    isolate: bool = True  # parse in a separate process (off only for debugging)
    # Which environment variable (or Django setting) sets each field; ``for_plans`` swaps them.
    names: Mapping[str, str] = dataclasses.field(default_factory=lambda: dict(ENV), compare=False, repr=False)

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Limits:
        """Limits from ``{"OVERSIGHT_MAX_ROWS": "500000", …}`` (environment or settings); others default."""
        kwargs: dict[str, object] = {}
        for name, var in ENV.items():
            raw = values.get(var)
            if raw is None or raw == "":
                continue
            if name == "isolate":
                kwargs[name] = str(raw).strip().lower() not in {"0", "false", "no", "off"}
                continue
            try:
                kwargs[name] = int(str(raw).strip().replace("_", "").replace(",", ""))
            except ValueError:
                raise ValueError(f"{var} must be a whole number, not {raw!r}") from None
        return cls(**kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        return cls.from_mapping(os.environ if environ is None else environ)

    def for_plans(self) -> Limits:
        """The tighter limits for plan files, whose readers (openpyxl, python-docx) hold every cell."""
        names = dict(self.names)
        names.update(max_rows=ENV["plan_max_rows"], max_cells=ENV["plan_max_cells"],
                     max_unzipped_mb=ENV["plan_max_unzipped_mb"])
        return dataclasses.replace(self, max_rows=min(self.max_rows, self.plan_max_rows),
                                   max_cells=min(self.max_cells, self.plan_max_cells),
                                   max_unzipped_mb=min(self.max_unzipped_mb, self.plan_max_unzipped_mb), names=names)

    def refuse(self, name: str, what: str, field: str, unit: str = "") -> FileRefused:
        value = getattr(self, field)
        shown = f"{value:,}{unit}"
        return FileRefused(f"{name}: {what}; the limit is {shown} ({self.names.get(field, ENV[field])})")


ENV: dict[str, str] = {
    "max_upload_mb": "OVERSIGHT_MAX_UPLOAD_MB",
    "max_unzipped_mb": "OVERSIGHT_MAX_UNZIPPED_MB",
    "max_zip_ratio": "OVERSIGHT_MAX_ZIP_RATIO",
    "max_zip_members": "OVERSIGHT_MAX_ZIP_MEMBERS",
    "max_rows": "OVERSIGHT_MAX_ROWS",
    "max_columns": "OVERSIGHT_MAX_COLUMNS",
    "max_cells": "OVERSIGHT_MAX_CELLS",
    "max_cell_chars": "OVERSIGHT_MAX_CELL_CHARS",
    "max_line_chars": "OVERSIGHT_MAX_LINE_CHARS",
    "max_json_mb": "OVERSIGHT_MAX_JSON_MB",
    "max_json_depth": "OVERSIGHT_MAX_JSON_DEPTH",
    "max_number_chars": "OVERSIGHT_MAX_NUMBER_CHARS",
    "plan_max_rows": "OVERSIGHT_MAX_PLAN_ROWS",
    "plan_max_cells": "OVERSIGHT_MAX_PLAN_CELLS",
    "plan_max_unzipped_mb": "OVERSIGHT_MAX_PLAN_UNZIPPED_MB",
    "worker_memory_mb": "OVERSIGHT_WORKER_MEMORY_MB",
    "worker_timeout_s": "OVERSIGHT_WORKER_TIMEOUT",
    "isolate": "OVERSIGHT_ISOLATE",
}

MB = 1 << 20


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16,384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _greater_than(limit: str, alphabet: str) -> str:
    """A regex for strings of ``len(limit)`` symbols of ``alphabet`` that sort after ``limit``.

    For digits this is "a number greater than the limit with as many digits"; for column letters
    "a column after it with as many letters". Used to find the few refs over a limit without a
    Python step per cell.
    """
    parts = []
    for i, ch in enumerate(limit):
        higher = alphabet[alphabet.index(ch) + 1:]
        if higher:
            rest = len(limit) - i - 1
            tail = f"[{alphabet[0]}-{alphabet[-1]}]{{{rest}}}" if rest else ""
            parts.append(re.escape(limit[:i]) + f"[{higher[0]}-{higher[-1]}]" + tail)
    return "|".join(parts) or "(?!)"


_HUGE = 1 << 40
_WHITESPACE = np.zeros(256, dtype=bool)
_WHITESPACE[[0x20, 0x09, 0x0A, 0x0D]] = True
_P10 = 10 ** np.arange(10, dtype=np.int64)


def _refs(arr: np.ndarray) -> tuple[int, int, int, int]:
    """Largest row and column of the ``r="…"`` attributes (cells and rows) in a buffer.

    Vectorised with numpy: every ``r="`` is found by comparing shifted views of the buffer, its
    closing quote by a binary search among the quotes, and its letters and digits are read by
    a few gathers, so a megabyte of sheet XML costs about 10 ms however many cells it holds
    (a regex over the same bytes costs several times that). A ref of over 3 letters or 9
    digits counts as huge. Returns (max row, max column, position of the ref holding the larger
    of the two or -1, number of refs). Refs cut off by the end of the buffer are seen whole in the next one.
    """
    n = arr.size
    if n < 4:
        return 0, 0, -1, 0
    hits = np.flatnonzero((arr[:-3] == 0x72) & (arr[1:-2] == 0x3D) & (arr[2:-1] == 0x22))
    hits = hits[hits > 0]
    hits = hits[_WHITESPACE[arr[hits - 1]]]
    if hits.size == 0:
        return 0, 0, -1, 0
    start = hits + 3
    quotes = np.flatnonzero(arr == 0x22)
    k = np.searchsorted(quotes, start)
    closed = k < quotes.size
    hits, start = hits[closed], start[closed]
    if hits.size == 0:
        return 0, 0, -1, 0
    end = quotes[k[closed]]
    length = end - start
    last = n - 1
    letters = np.zeros(hits.size, np.int64)
    run = np.ones(hits.size, bool)
    col = np.zeros(hits.size, np.int64)
    for i in range(4):
        c = arr[np.minimum(start + i, last)].astype(np.int64)
        run &= (c >= 65) & (c <= 90) & (i < length)
        letters += run
        if i < 3:
            col = np.where(run, col * 26 + c - 64, col)
    digits = length - letters
    row = np.zeros(hits.size, np.int64)
    for i in range(9):
        c = arr[np.maximum(end - 1 - i, 0)].astype(np.int64)
        row += np.where(i < digits, (c - 48) * _P10[i], 0)
    col = np.where(letters > 3, _HUGE, col)
    row = np.where((digits > 9) & (letters <= 3), _HUGE, row)
    i_row, i_col = int(row.argmax()), int(col.argmax())
    at = int(hits[i_row if row[i_row] >= col[i_col] else i_col])
    return int(row[i_row]), int(col[i_col]), at, int(hits.size)


_REF_AT = re.compile(rb'r="([A-Z]{0,12})([0-9]+)"')
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]{1,3})?([0-9]{1,9})?(?::([A-Z]{1,3})([0-9]{1,9}))?"')
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})([0-9]{1,9}):([A-Z]{1,3})([0-9]{1,9})"')


def _longest_run(chunk: bytes, byte: int, carried: int) -> tuple[int, int]:
    """Longest stretch without ``byte`` (with ``carried`` bytes of one from the chunk before).

    Returns (longest in this chunk, stretch still open at its end). numpy, so a 1 MB chunk costs
    a millisecond whatever it holds.
    """
    if not chunk:
        return carried, carried
    arr = np.frombuffer(chunk, dtype=np.uint8)
    idx = np.flatnonzero(arr == byte)
    if idx.size == 0:
        run = carried + len(chunk)
        return run, run
    longest = carried + int(idx[0])
    if idx.size > 1:
        longest = max(longest, int(np.diff(idx).max()) - 1)
    tail = len(chunk) - 1 - int(idx[-1])
    return max(longest, tail), tail


def _chunks(fh, size: int = CHUNK) -> Iterator[tuple[bytes, int, bool]]:
    """(buffer, where new data starts in it, last?) with ``_OVERLAP`` bytes carried between reads."""
    carry = b""
    chunk = fh.read(size)
    while chunk:
        nxt = fh.read(size)
        buf = carry + chunk
        yield buf, len(carry), not nxt
        carry = buf[-_OVERLAP:]
        chunk = nxt


def _count(buf: bytes, sub: bytes, new: int) -> int:
    """Occurrences of ``sub`` not counted in the chunk before (those ending in the new bytes)."""
    return buf.count(sub, max(0, new - len(sub) + 1))


def _name(path: Path) -> str:
    return Path(path).name


# --------------------------------------------------------------------------------------------
# size and zip
# --------------------------------------------------------------------------------------------


def check_size(path: Path, limits: Limits, *, field: str = "max_upload_mb") -> int:
    """The file's size against ``max_upload_mb`` (or another MB limit); returns the size."""
    size = Path(path).stat().st_size
    if size > getattr(limits, field) * MB:
        raise limits.refuse(_name(path), f"the file is {size / MB:,.1f} MB", field, " MB")
    return size


def check_zip(path: Path, limits: Limits) -> zipfile.ZipFile | None:
    """Size, member count, total decompressed size and compression ratio, from the central directory.

    Returns the open archive (the caller closes it), or None when the file is not a complete zip
    archive: that is left to the reader, which says so in its own words in the worker process.
    Nothing is decompressed here; the declared sizes are what a reader will allocate for, and
    Python's zipfile stops at the declared size when a member lies about it.
    """
    check_size(path, limits)
    name = _name(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    try:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_members:
            raise limits.refuse(name, f"the archive holds {len(infos):,} files", "max_zip_members")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MB and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
                ratio = info.file_size / max(info.compress_size, 1)
                raise limits.refuse(
                    name, f"part {info.filename} expands {ratio:,.0f} times ({info.compress_size:,} bytes to "
                          f"{info.file_size:,}), as a zip bomb does", "max_zip_ratio", " times")
        if total > limits.max_unzipped_mb * MB:
            raise limits.refuse(name, f"it expands to {total / MB:,.0f} MB", "max_unzipped_mb", " MB")
    except BaseException:
        zf.close()
        raise
    return zf


def _small_xml(zf: zipfile.ZipFile, member: str, name: str, limits: Limits) -> ElementTree.Element | None:
    try:
        info = zf.getinfo(member)
    except KeyError:
        return None
    if info.file_size > _SMALL_PART:
        raise FileRefused(f"{name}: part {member} is {info.file_size / MB:,.0f} MB; such a part is a few KB "
                          f"in a real file (the limit is {_SMALL_PART // MB} MB)")
    try:
        return ElementTree.fromstring(zf.read(member))
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # the reader will say the file is broken


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def _sheet_parts(zf: zipfile.ZipFile, name: str, limits: Limits) -> list[tuple[str, str]]:
    """(sheet name, zip member) in workbook order, resolved as a reader resolves them."""
    wb = _small_xml(zf, "xl/workbook.xml", name, limits)
    rels = _small_xml(zf, "xl/_rels/workbook.xml.rels", name, limits)
    out: list[tuple[str, str]] = []
    if wb is not None and rels is not None:
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
        for sheet in wb.iter(f"{_NS_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_NS_REL}id"), "")
            if target:
                member = (target.lstrip("/") if target.startswith("/")
                          else posixpath.normpath(posixpath.join("xl", target)))
                out.append((sheet.get("name", ""), member))
    known = {m for _s, m in out}
    # Sheet parts the workbook does not list are checked too: a reader may still open them.
    for info in zf.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml") \
                and info.filename not in known:
            out.append((posixpath.basename(info.filename), info.filename))
    return out


def _ref_text(buf: bytes, pos: int) -> str:
    m = _REF_AT.match(buf, pos)
    if not m:
        return "a far cell"
    col, row = m.group(1).decode(), int(m.group(2))
    return f"{col}{row:,}" if col else f"row {row:,}"


def _check_area(name: str, where: str, rows: int, cols: int, limits: Limits, verb: str) -> None:
    if rows > limits.max_rows:
        raise limits.refuse(name, f"{where} {verb} {rows:,} rows", "max_rows", " rows")
    if cols > limits.max_columns:
        raise limits.refuse(name, f"{where} {verb} {cols:,} columns ({column_letters(cols)})", "max_columns",
                            " columns")
    if rows * cols > limits.max_cells:
        raise limits.refuse(name, f"{where} {verb} {rows:,} rows × {cols:,} columns = {rows * cols:,} cells",
                            "max_cells", " cells")


def _scan_sheet(zf: zipfile.ZipFile, member: str, sheet: str, name: str, limits: Limits,
                stop: threading.Event | None = None) -> None:
    """Stream one sheet part: declared dimension, refs, rows, cells, merged areas, long text."""
    where = f"sheet '{sheet}'"
    max_text = limits.max_cell_chars * _BYTES_PER_CHAR
    cells = max_row = max_col = run = 0
    first = True
    with zf.open(member) as fh:
        for buf, new, _last in _chunks(fh):
            if stop is not None and stop.is_set():
                return
            if first:
                first = False
                dim = _DIMENSION.search(buf, 0, 64 << 10)
                if dim and dim.group(4):
                    r1, r2 = int(dim.group(2) or 1), int(dim.group(4))
                    c1, c2 = column_number((dim.group(1) or b"A").decode()), column_number(dim.group(3).decode())
                    _check_area(name, where, abs(r2 - r1) + 1, abs(c2 - c1) + 1, limits, "declares")
            arr = np.frombuffer(buf, dtype=np.uint8)
            top_row, top_col, at, n_refs = _refs(arr)
            if top_row > limits.max_rows or top_col > limits.max_columns:
                ref = _ref_text(buf, at)
                field = "max_columns" if top_col > limits.max_columns else "max_rows"
                what = f"{where} has a cell at {ref}" if not ref.startswith("row") else f"{where} uses {ref}"
                raise limits.refuse(name, what, field, " " + field[4:])
            max_row, max_col = max(max_row, top_row), max(max_col, top_col)
            cells += n_refs  # cells and rows with a ref (those without are left to the worker's limits)
            for mc in _MERGE.finditer(buf):
                r2 = max(int(mc.group(2)), int(mc.group(4)))
                c2 = max(column_number(mc.group(1).decode()), column_number(mc.group(3).decode()))
                ref = mc.group(1).decode() + mc.group(2).decode() + ":" + mc.group(3).decode() + mc.group(4).decode()
                _check_area(name, f"{where} merges {ref}, which", r2, c2, limits, "reaches")
            longest, run = _longest_run(buf[new:], 0x3C, run)  # '<'
            if longest > max_text:
                raise limits.refuse(name, f"{where} holds a cell or text run of over {longest // _BYTES_PER_CHAR:,}"
                                          " characters", "max_cell_chars", " characters")
            rows = max_row
            if cells > limits.max_cells:
                raise limits.refuse(name, f"{where} has {cells:,} cells", "max_cells", " cells")
            if rows * max(max_col, 1) > limits.max_cells:
                raise limits.refuse(name, f"{where} spans {rows:,} rows × {max_col:,} columns (to "
                                          f"{column_letters(max_col)}{rows}) = {rows * max_col:,} cells", "max_cells",
                                    " cells")


def _scan_text_part(zf: zipfile.ZipFile, member: str, what: str, name: str, limits: Limits) -> None:
    """Shared strings: the count of strings and the length of each."""
    max_text = limits.max_cell_chars * _BYTES_PER_CHAR
    run = count = 0
    with zf.open(member) as fh:
        for buf, new, _last in _chunks(fh):
            count += _count(buf, b"<si>", new) + _count(buf, b"<si ", new)
            longest, run = _longest_run(buf[new:], 0x3C, run)
            if longest > max_text:
                raise limits.refuse(name, f"{what} holds a text of over {longest // _BYTES_PER_CHAR:,} characters",
                                    "max_cell_chars", " characters")
            if count > limits.max_cells:
                raise limits.refuse(name, f"{what} holds {count:,} texts", "max_cells", " cells")


def check_xlsx(path: Path, limits: Limits | None = None) -> None:
    """An Excel workbook (.xlsx/.xlsm): zip limits, then every sheet streamed (see module doc)."""
    limits = limits or Limits.from_env()
    name = _name(path)
    zf = check_zip(path, limits)
    if zf is None:
        return
    with zf:
        try:
            parts = [(sheet, member) for sheet, member in _sheet_parts(zf, name, limits) if member in zf.NameToInfo]
            # Two threads: inflating and numpy both release the GIL, and nothing else runs yet.
            stop = threading.Event()
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="limits-scan") as pool:
                futures = [pool.submit(_scan_sheet, zf, member, sheet, name, limits, stop)
                           for sheet, member in sorted(parts, key=lambda p: -zf.getinfo(p[1]).file_size)]
                try:
                    for f in futures:
                        f.result()
                except BaseException:
                    stop.set()
                    raise
            if "xl/sharedStrings.xml" in zf.NameToInfo:
                _scan_text_part(zf, "xl/sharedStrings.xml", "the shared strings part", name, limits)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
            return  # a broken member: the reader refuses the file in its own words


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------

_DOCX_TOKEN = re.compile(
    rb'<w:tbl>|<w:tbl |</w:tbl>|<w:tr>|<w:tr |<w:gridCol\b|<w:tc>|<w:tc '
    rb'|<w:grid(?:Span|Before|After)\s+w:val="([0-9]{1,20})"'
)


def _docx_main_part(zf: zipfile.ZipFile, name: str, limits: Limits) -> str:
    rels = _small_xml(zf, "_rels/.rels", name, limits)
    if rels is not None:
        for r in rels.iter(f"{_NS_PKG}Relationship"):
            if r.get("Type") == _OFFICE_DOCUMENT and r.get("Target"):
                return r.get("Target", "").lstrip("/")
    return "word/document.xml"


def check_docx(path: Path, limits: Limits | None = None) -> None:
    """A Word document: zip limits, then the body streamed for table sizes, spans and long text.

    A table reader lays every row out on the table's grid, so what counts is rows × the widest
    of the grid (``w:gridCol``) and the spans of a row (``w:gridSpan``, ``w:gridBefore``).
    """
    limits = limits or Limits.from_env()
    name = _name(path)
    zf = check_zip(path, limits)
    if zf is None:
        return
    with zf:
        member = _docx_main_part(zf, name, limits)
        if member not in zf.NameToInfo:
            return
        max_text = limits.max_cell_chars * _BYTES_PER_CHAR
        stack: list[list[int]] = []  # per open table: [grid columns, rows, widest row, this row's width]
        tables = rows = area = run = 0
        try:
            with zf.open(member) as fh:
                for buf, new, last in _chunks(fh):
                    # The carried bytes were not looked at before: tokens there start this round.
                    cut = len(buf) if last else len(buf) - _OVERLAP
                    for m in _DOCX_TOKEN.finditer(buf):
                        if m.start() >= cut:
                            break
                        tok = m.group(0)
                        if tok.startswith(b"<w:tbl"):
                            stack.append([0, 0, 0, 0])
                            tables += 1
                        elif tok == b"</w:tbl>":
                            if stack:
                                grid, nrows, widest, width = stack.pop()
                                area += nrows * max(grid, widest, width)
                        elif not stack:
                            continue
                        elif tok.startswith(b"<w:tr"):
                            t = stack[-1]
                            t[2] = max(t[2], t[3])
                            t[1] += 1
                            t[3] = 0
                            rows += 1
                            if rows > limits.max_rows:
                                raise limits.refuse(name, f"its tables have over {limits.max_rows:,} rows",
                                                    "max_rows", " rows")
                        elif tok.startswith(b"<w:gridCol"):
                            stack[-1][0] += 1
                            if stack[-1][0] > limits.max_columns:
                                raise limits.refuse(name, f"table {tables} has a grid of over "
                                                          f"{limits.max_columns:,} columns", "max_columns",
                                                    " columns")
                        elif tok.startswith(b"<w:tc"):
                            stack[-1][3] += 1
                        else:
                            span = int(m.group(1))
                            kind = tok[3:tok.index(b" ")].decode()
                            if span > limits.max_columns:
                                raise limits.refuse(name, f"table {tables} has a cell with {kind} {span:,}",
                                                    "max_columns", " columns")
                            stack[-1][3] += span - (1 if kind == "gridSpan" else 0)
                        if stack and stack[-1][3] > limits.max_columns:
                            raise limits.refuse(name, f"table {tables} has a row {stack[-1][3]:,} columns wide",
                                                "max_columns", " columns")
                        if area > limits.max_cells:
                            raise limits.refuse(name, f"its tables lay out over {area:,} cells", "max_cells",
                                                " cells")
                    longest, run = _longest_run(buf[new:], 0x3C, run)
                    if longest > max_text:
                        raise limits.refuse(name, f"it holds a text of over {longest // _BYTES_PER_CHAR:,} "
                                                  "characters", "max_cell_chars", " characters")
            for grid, nrows, widest, width in stack:  # tables never closed
                area += nrows * max(grid, widest, width)
            if area > limits.max_cells:
                raise limits.refuse(name, f"its tables lay out over {area:,} cells", "max_cells", " cells")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error):
            return


# --------------------------------------------------------------------------------------------
# JSON and CSV
# --------------------------------------------------------------------------------------------

_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NUMBER_BYTES = np.zeros(256, dtype=bool)
_NUMBER_BYTES[np.frombuffer(b"0123456789.eE+-", dtype=np.uint8)] = True


def check_json(path: Path, limits: Limits | None = None) -> None:
    """Size, nesting depth and number length, without parsing: strings are blanked with one
    regex substitution, then depth is a running sum of brackets and numbers are runs of digits
    (numpy). ``json.loads`` on what passes is bounded in time and recursion."""
    limits = limits or Limits.from_env()
    name = _name(path)
    check_size(path, limits)
    check_size(path, limits, field="max_json_mb")
    data = Path(path).read_bytes()
    bare = _JSON_STRING.sub(b'""', data)
    arr = np.frombuffer(bare, dtype=np.uint8)
    if arr.size:
        step = (np.isin(arr, (0x5B, 0x7B)).astype(np.int32) - np.isin(arr, (0x5D, 0x7D)).astype(np.int32))
        depth = int(np.cumsum(step, dtype=np.int64).max(initial=0))
        if depth > limits.max_json_depth:
            raise limits.refuse(name, f"it is nested too deeply ({depth:,} levels)", "max_json_depth", " levels")
        mask = _NUMBER_BYTES[arr]
        edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
        if edges.size:
            longest = int((edges[1::2] - edges[0::2]).max())
            if longest > limits.max_number_chars:
                raise limits.refuse(name, f"it holds a number {longest} digits long", "max_number_chars",
                                    " digits")


def check_csv(path: Path, limits: Limits | None = None) -> None:
    """Size, lines (rows), line length and the header's columns, streamed."""
    limits = limits or Limits.from_env()
    name = _name(path)
    check_size(path, limits)
    lines = run = 0
    first = True
    with Path(path).open("rb") as fh:
        while chunk := fh.read(CHUNK):
            if first:
                first = False
                end = chunk.find(b"\n")
                header = chunk if end == -1 else chunk[:end]
                cols = max(header.count(b","), header.count(b";"), header.count(b"\t")) + 1
                if cols > limits.max_columns:
                    raise limits.refuse(name, f"its first line has {cols:,} columns", "max_columns", " columns")
            lines += chunk.count(b"\n")
            longest, run = _longest_run(chunk, 0x0A, run)
            if longest > limits.max_line_chars:
                raise limits.refuse(name, f"it has a line of over {limits.max_line_chars:,} characters",
                                    "max_line_chars", " characters")
            if lines > limits.max_rows + 1:
                raise limits.refuse(name, f"it has over {limits.max_rows + 1:,} lines", "max_rows", " rows")


# --------------------------------------------------------------------------------------------
# dispatch
# --------------------------------------------------------------------------------------------

ZIP_SUFFIXES = {".xlsx", ".xlsm", ".docx", ".ods", ".xlsb"}


def check_file(path: Path | str, limits: Limits | None = None) -> None:
    """Every limit that applies to ``path``, by suffix; a folder is checked as CSV files.

    Raises :class:`FileRefused`. Files that do not exist or do not open are left to the
    importer, which reports them in its own words.
    """
    limits = limits or Limits.from_env()
    path = Path(path)
    if not path.exists():
        return
    if path.is_dir():
        total = 0
        for p in sorted(path.iterdir()):
            if p.is_file() and p.suffix.lower() == ".csv":
                check_csv(p, limits)
                total += p.stat().st_size
        if total > limits.max_upload_mb * MB:
            raise limits.refuse(path.name, f"its CSV files come to {total / MB:,.1f} MB", "max_upload_mb", " MB")
        return
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        check_xlsx(path, limits)
    elif suffix == ".docx":
        check_docx(path, limits)
    elif suffix == ".json":
        check_json(path, limits)
    elif suffix in {".csv", ".txt", ".tsv"}:
        check_csv(path, limits)
    elif suffix in ZIP_SUFFIXES:
        zf = check_zip(path, limits)
        if zf is not None:
            zf.close()
    else:
        check_size(path, limits)


__all__ = ["ENV", "FileRefused", "Limits", "check_csv", "check_docx", "check_file", "check_json", "check_size",
           "check_xlsx", "check_zip"]
