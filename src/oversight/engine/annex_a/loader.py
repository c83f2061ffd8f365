"""Read an Annex A workbook (or a folder of CSV files) into typed columns, one list at a time.

Structure problems refuse the whole file (:class:`AnnexARefused`); value problems never do: they
are handed to :mod:`validate` as failed cells. Reading is pipelined: a worker thread parses the
next sheet with python-calamine (which releases the GIL) and another scans the sheet XML for
formula and error cells, while this thread converts the current sheet to Arrow in chunks.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import itertools
import re
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import python_calamine

from oversight.engine.annex_a.convert import ColumnResult, concat_results, convert_column, make_parser
from oversight.engine.annex_a.model import AnnexARefused, LoadResult, Problem
from oversight.engine.annex_a.schema import ListSpec, SchemaVersion, get_schema, header_keys, normalise_header
from oversight.engine.annex_a.xlsx_scan import CellFlags, scan_part, workbook_parts
from oversight.engine.isolation import FileUnreadable, run_isolated
from oversight.engine.limits import FileRefused, Limits, check_file

CHUNK_ROWS = 65_536
LOOKAHEAD = 3
HEADER_SEARCH_ROWS = 10
_LIST_NAME = re.compile(r"^\s*list\s*[-_.:]?\s*0*(\d{1,2})(?!\d)", re.IGNORECASE)
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass
class RawList:
    """One list as read: typed columns (per :mod:`convert`) and where each cell came from."""

    spec: ListSpec
    sheet: str
    headers: dict[str, str]  # canonical key -> header text as in the file
    rows: np.ndarray  # Excel row number (header is row 1) or CSV line number, per data row
    results: dict[str, ColumnResult]  # only columns present in the file
    problems: list[Problem] = field(default_factory=list)  # structural warnings (unknown columns…)


@dataclass
class RawWorkbook:
    lists: list[RawList]
    problems: list[Problem]
    sha256: str
    source_name: str
    schema_version: str


def list_number(name: str) -> int | None:
    """``List 1``, ``LIST 10 - Adoption``, ``list_3`` → list number (1–11), else None."""
    m = _LIST_NAME.match(name)
    if not m:
        return None
    n = int(m.group(1))
    return n if 1 <= n <= 11 else None


def _match_names(names: list[str], source: str, schema: SchemaVersion, by_table: bool) -> dict[int, str]:
    """List number → sheet/file name; two candidates for one list refuse the file."""
    found: dict[int, str] = {}
    tables = {normalise_header(s.table): s.number for s in schema.lists}
    tables.update({normalise_header(s.title): s.number for s in schema.lists})
    for name in names:
        n = list_number(name)
        if n is None and by_table:
            n = tables.get(normalise_header(name))
        if n is None:
            continue
        if n in found:
            raise AnnexARefused(
                f"{source}: both '{found[n]}' and '{name}' look like List {n}; keep one and try again"
            )
        found[n] = name
    if not found:
        raise AnnexARefused(
            f"{source}: no sheet named 'List 1' … 'List 11' was found (sheets: {', '.join(names) or 'none'})"
        )
    return found


def detect_version(header_rows: list[list[Any]]) -> str:
    """``Sex`` instead of ``Gender`` means the 2026 template; otherwise the current default."""
    keys = {normalise_header(h) for row in header_rows for h in row if isinstance(h, str)}
    if "sex" in keys and "gender" not in keys:
        return "2026"
    return get_schema().version


def _find_header(rows: list[list[Any]], spec: ListSpec) -> int | None:
    """Index of the header row among the first rows (a title row above it is tolerated)."""
    known = {k for c in spec.columns for k in header_keys(c)}
    best, best_hits = None, 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for h in row if isinstance(h, str) and normalise_header(h) in known)
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _map_headers(
    header: list[Any], spec: ListSpec, source: str, sheet: str, header_row: int
) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Canonical key → column index, key → header text, and header warnings."""
    lookup: dict[str, str] = {}
    for c in spec.columns:
        for k in header_keys(c):
            lookup.setdefault(k, c.key)
    index: dict[str, int] = {}
    text: dict[str, str] = {}
    problems: list[Problem] = []
    unmatched: list[tuple[int, str]] = []
    for j, h in enumerate(header):
        if h in ("", None):
            continue
        h = str(h).replace("\u00a0", " ").strip()
        key = lookup.get(normalise_header(h))
        if key is None:
            unmatched.append((j, h))
        elif key in index:
            problems.append(_header_problem(spec, sheet, header_row, h, key, "column-duplicate",
                                            f"one column '{spec.column(key).header}'; the first is used"))
        else:
            index[key], text[key] = j, h
    for j, h in unmatched:
        remaining = {k: c for c in spec.columns if c.key not in index for k in header_keys(c)}
        close = difflib.get_close_matches(normalise_header(h), list(remaining), n=1, cutoff=0.85)
        if close:
            col = remaining[close[0]]
            index[col.key], text[col.key] = j, h
            problems.append(_header_problem(spec, sheet, header_row, h, col.key, "header-variant",
                                            f"'{col.header}' (read as that column)"))
        else:
            problems.append(_header_problem(spec, sheet, header_row, h, None, "column-unknown",
                                            f"a List {spec.number} column; this column is ignored"))
    missing = [c for c in spec.columns if c.key not in index]
    required = [c.header for c in missing if c.required]
    if required:
        names = "', '".join(required)
        raise AnnexARefused(
            f"{source}: sheet '{sheet}' (List {spec.number} {spec.title}) has no column '{names}'"
            f" (header row {header_row})"
        )
    for c in missing:
        problems.append(_header_problem(spec, sheet, header_row, c.header, c.key, "column-missing",
                                        "this optional column; its values are treated as blank"))
    return index, text, problems


def _header_problem(spec: ListSpec, sheet: str, row: int, column: str, key: str | None, rule: str,
                    expected: str) -> Problem:
    return Problem(spec.number, spec.table, sheet, row, column, key, column, expected, rule, "warning")


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


class _SheetReader:
    """Parses sheets one ahead of use on a worker thread; the workbook never leaves that thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annex-a-calamine")
        self.wb: python_calamine.CalamineWorkbook | None = None

    def _open(self) -> list[str]:
        self.wb = python_calamine.CalamineWorkbook.from_path(str(self.path))
        return list(self.wb.sheet_names)

    def sheet_names(self) -> list[str]:
        return self.pool.submit(self._open).result()

    def load(self, name: str) -> Future:
        assert self.wb is not None
        return self.pool.submit(self.wb.get_sheet_by_name, name)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _refusal(source: str, exc: Exception) -> AnnexARefused:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return AnnexARefused(f"{source}: not a readable Excel workbook ({reason})")


def _convert_chunks(
    chunks: Iterator[list[list[Any]]],
    spec: ListSpec,
    index: dict[str, int],
    first_row: int,
    col_offset: int,
    flags: CellFlags,
) -> tuple[np.ndarray, dict[str, ColumnResult]]:
    """Convert data rows chunk by chunk (bounded memory); fully blank rows are skipped."""
    parsers = {k: make_parser(spec.column(k)) for k in index}
    parts: dict[str, list[ColumnResult]] = {k: [] for k in index}
    row_parts: list[np.ndarray] = []
    flags_by_col: dict[int, dict[int, tuple[str, str]]] = {}
    for (r, c), f in flags.items():
        flags_by_col.setdefault(c - col_offset, {})[r] = f
    next_row = first_row
    for chunk in chunks:
        if not chunk:
            continue
        lengths = set(map(len, chunk))
        width = max(lengths)
        rows = np.arange(next_row, next_row + len(chunk), dtype=np.int64)
        next_row += len(chunk)
        if len(lengths) > 1:
            chunk = [list(r) + [""] * (width - len(r)) for r in chunk]
        grid = np.empty((len(chunk), width), dtype=object)  # transposing via numpy is ~2× faster than zip
        grid[:] = chunk
        columns = [grid[:, j] for j in range(width)]
        row_index = {int(r): i for i, r in enumerate(rows)} if flags else {}
        for key, j in index.items():
            col_flags = None
            if j in flags_by_col:
                col_flags = {row_index[r]: f for r, f in flags_by_col[j].items() if r in row_index}
            parts[key].append(convert_column(columns[j], spec.column(key), col_flags, parsers[key]))
        row_parts.append(rows)
    all_rows = np.concatenate(row_parts) if row_parts else np.zeros(0, np.int64)
    results = {}
    for key in index:
        if parts[key]:
            results[key] = concat_results(parts[key])
        else:
            results[key] = convert_column([], spec.column(key), None, parsers[key])
    return drop_blank_rows(all_rows, results)


def drop_blank_rows(rows: np.ndarray, results: dict[str, ColumnResult]) -> tuple[np.ndarray, dict[str, ColumnResult]]:
    """Leave out rows where every cell is blank (spacer rows, formatted-but-empty rows at the end).

    Done on the converted blank masks, so it costs a few numpy operations, not a pass over cells.
    A row holding an error cell (``#N/A`` reads as blank) is kept so the error is reported.
    """
    if not results or not len(rows):
        return rows, results
    blank = np.logical_and.reduce([r.blank for r in results.values()])
    for r in results.values():
        if r.bad_idx:
            blank[r.bad_idx] = False
    if not blank.any():
        return rows, results
    keep = ~blank
    new_index = np.cumsum(keep) - 1
    out: dict[str, ColumnResult] = {}
    for key, r in results.items():
        bad = [(int(new_index[i]), rule, v) for i, rule, v in zip(r.bad_idx, r.bad_rule, r.bad_value, strict=True)]
        out[key] = ColumnResult(r.values.filter(pa.array(keep)), r.blank[keep], [b[0] for b in bad],
                                [b[1] for b in bad], [b[2] for b in bad])
    return rows[keep], out


def _read_xlsx(path: Path, schema_version: str | None) -> RawWorkbook:
    source = path.name
    reader = _SheetReader(path)
    scan_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annex-a-scan")
    try:
        try:
            names = reader.sheet_names()
        except Exception as exc:  # noqa: BLE001 - any reader failure is a refusal, with its reason
            raise _refusal(source, exc) from exc
        schema_guess = get_schema(schema_version)
        sheets = _match_names(names, source, schema_guess, by_table=False)
        order = sorted(sheets)
        parts = workbook_parts(path)
        scans = {n: scan_pool.submit(scan_part, path, parts[sheets[n]]) for n in order if sheets[n] in parts}
        sha_future = scan_pool.submit(_sha256, path)
        lists: list[RawList] = []
        problems: list[Problem] = []
        version = schema_version
        # Parse up to LOOKAHEAD sheets ahead on the worker while this thread converts: the first
        # list is the biggest, so the smaller ones are ready by the time it is converted.
        pending = {n: reader.load(sheets[n]) for n in order[:LOOKAHEAD]}
        for pos, number in enumerate(order):
            name = sheets[number]
            try:
                sheet = pending.pop(number).result()
            except Exception as exc:  # noqa: BLE001
                raise AnnexARefused(f"{source}: sheet '{name}' cannot be read ({exc})") from exc
            if pos + LOOKAHEAD < len(order):
                ahead = order[pos + LOOKAHEAD]
                pending[ahead] = reader.load(sheets[ahead])
            rows_iter = iter(sheet.iter_rows())
            head = list(itertools.islice(rows_iter, HEADER_SEARCH_ROWS))
            if version is None:
                version = detect_version(head)
            schema = get_schema(version)
            spec = schema.list(number)
            if not any(any(v not in ("", None) for v in r) for r in head):
                problems.append(Problem(number, spec.table, name, None, None, None, "(empty sheet)",
                                        f"the List {number} header row and its rows", "list-empty", "warning"))
                continue
            h = _find_header(head, spec)
            start = sheet.start or (0, 0)
            if h is None:
                raise AnnexARefused(
                    f"{source}: sheet '{name}' has no List {number} header row "
                    f"(expected '{spec.columns[0].header}', '{spec.columns[1].header}', …)"
                )
            header_row = start[0] + h + 1
            index, text, header_problems = _map_headers(list(head[h]), spec, source, name, header_row)
            flags = scans[number].result() if number in scans else {}
            chunks = _chunked(rows_iter, first=head[h + 1:])
            rows, results = _convert_chunks(chunks, spec, index, header_row + 1, start[1], flags)
            lists.append(RawList(spec, name, text, rows, results, header_problems))
            del sheet
        version = version or get_schema().version
        return RawWorkbook(lists, problems, sha_future.result(), source, version)
    finally:
        reader.close()
        scan_pool.shutdown(wait=True)


def _chunked(it: Iterator[list[Any]], first: list[list[Any]]) -> Iterator[list[list[Any]]]:
    """Rows in chunks of ``CHUNK_ROWS`` (the rows already read for header detection come first)."""
    chunk = first + list(itertools.islice(it, CHUNK_ROWS - len(first)))
    while chunk:
        yield chunk
        chunk = list(itertools.islice(it, CHUNK_ROWS))


# --------------------------------------------------------------------------------------------
# CSV folder
# --------------------------------------------------------------------------------------------


def _decode(data: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AnnexARefused(f"{source}: not readable text (neither UTF-8 nor Windows-1252)")


def _read_csv_folder(folder: Path, schema_version: str | None) -> RawWorkbook:
    source = folder.name
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    schema_guess = get_schema(schema_version)
    by_name = _match_names([p.stem for p in files], source, schema_guess, by_table=True)
    path_of = {p.stem: p for p in files}
    digest = hashlib.sha256()
    lists: list[RawList] = []
    problems: list[Problem] = []
    version = schema_version
    for number in sorted(by_name):
        path = path_of[by_name[number]]
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(data).digest())
        text = _decode(data, f"{source}/{path.name}")
        reader = csv.reader(io.StringIO(text, newline=""))
        records: list[tuple[int, list[str]]] = []
        try:
            for rec in reader:
                if any(v.strip() for v in rec):
                    records.append((reader.line_num, rec))
        except csv.Error as exc:
            raise AnnexARefused(f"{source}/{path.name}: line {reader.line_num}: not valid CSV ({exc})") from exc
        head = [r for _n, r in records[:HEADER_SEARCH_ROWS]]
        if version is None:
            version = detect_version(head)
        spec = get_schema(version).list(number)
        if not records:
            problems.append(Problem(number, spec.table, path.name, None, None, None, "(empty file)",
                                    f"the List {number} header row and its rows", "list-empty", "warning"))
            continue
        h = _find_header(head, spec)
        if h is None:
            raise AnnexARefused(
                f"{source}/{path.name}: no List {number} header row "
                f"(expected '{spec.columns[0].header}', '{spec.columns[1].header}', …)"
            )
        header_line = records[h][0]
        index, names, header_problems = _map_headers(records[h][1], spec, f"{source}/{path.name}", path.name,
                                                     header_line)
        body = records[h + 1:]
        width = max((len(r) for _n, r in body), default=0)
        width = max(width, max(index.values()) + 1 if index else 0)
        padded = [r if len(r) == width else (r + [""] * (width - len(r)))[:width] for _n, r in body]
        rows = np.array([n for n, _r in body], dtype=np.int64)
        columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(width)]
        results = {
            key: convert_column(pa.array(columns[j], pa.string()), spec.column(key)) for key, j in index.items()
        }
        lists.append(RawList(spec, path.name, names, rows, results, header_problems))
    return RawWorkbook(lists, problems, digest.hexdigest(), source, version or get_schema().version)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def read_raw(path: Path, schema_version: str | None = None, *, limits: Limits | None = None) -> RawWorkbook:
    """Read (not yet validate) an Annex A workbook or CSV folder; refuse structural problems.

    The file's limits (:mod:`oversight.engine.limits`: size, zip bombs, far cells…) are checked
    before any reader opens it.
    """
    path = Path(path)
    if schema_version is not None:
        get_schema(schema_version)  # unknown version: KeyError with the known ones
    if not path.exists():
        raise AnnexARefused(f"{path}: no such file or folder")
    try:
        check_file(path, limits or Limits.from_env())
    except FileRefused as exc:
        raise AnnexARefused(str(exc)) from None
    if path.is_dir():
        raw = _read_csv_folder(path, schema_version)
    else:
        if path.stat().st_size == 0:
            raise AnnexARefused(f"{path.name}: the file is empty")
        if path.suffix.lower() == ".csv":
            raise AnnexARefused(
                f"{path.name}: a single CSV file cannot hold all the lists; give the folder of CSV files "
                "(one per list, e.g. 'List 1.csv') or the workbook"
            )
        raw = _read_xlsx(path, schema_version)
    if not any(len(r.rows) for r in raw.lists):
        raise AnnexARefused(f"{raw.source_name}: no data rows in any list")
    return raw


def read_annex_a(path: Path, as_at: date, schema_version: str | None = None, *,
                 limits: Limits | None = None) -> LoadResult:
    """Read and validate an Annex A workbook (or folder of CSV files) as at ``as_at``."""
    from oversight.engine.annex_a.validate import validate

    return validate(read_raw(path, schema_version, limits=limits), as_at)


def read_raw_isolated(path: Path, schema_version: str | None = None, *, limits: Limits | None = None,
                      workdir: Path | None = None) -> RawWorkbook:
    """:func:`read_raw` in a worker process (see :func:`read_annex_a_isolated`): the native reader runs
    there, and only the typed columns come back."""
    limits = limits or Limits.from_env()
    if not limits.isolate:
        return read_raw(path, schema_version, limits=limits)
    try:
        return run_isolated(read_raw, Path(path), schema_version, limits=limits, filename=Path(path).name,
                            memory_mb=limits.worker_memory_mb, timeout_s=limits.worker_timeout_s, workdir=workdir)
    except FileUnreadable as exc:
        raise AnnexARefused(str(exc)) from None


def read_annex_a_isolated(path: Path, as_at: date, schema_version: str | None = None, *,
                          limits: Limits | None = None, workdir: Path | None = None) -> LoadResult:
    """:func:`read_annex_a` in a worker process with the memory and time limits of ``limits``.

    What the web upload and the commands use: a file that crashes the reader (a Rust panic, an
    allocation failure) or never finishes is refused with one line, and the caller lives on.
    """
    limits = limits or Limits.from_env()
    if not limits.isolate:
        return read_annex_a(path, as_at, schema_version, limits=limits)
    try:
        return run_isolated(read_annex_a, Path(path), as_at, schema_version, limits=limits,
                            filename=Path(path).name, memory_mb=limits.worker_memory_mb,
                            timeout_s=limits.worker_timeout_s, workdir=workdir)
    except FileUnreadable as exc:
        raise AnnexARefused(str(exc)) from None
