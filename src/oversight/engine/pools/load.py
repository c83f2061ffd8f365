"""Load a pool: one Annex A workbook (or CSV folder) per council, validated, pseudonymised,
written as one Parquet dataset partitioned by council.

A pool folder holds ``<table>/la_code=<code>/part-0.parquet`` for every Annex A list and
``pool.json`` (its name, as-at date, the councils loaded and the ones refused, and whether it
is pseudonymised — never the secret). The council of each file comes from its **file name**:
a leading DfE code (``202_camden.xlsx``), an ONS code (``E09000007.xlsx``) or the council's
name (``Camden.xlsx``); Annex A has no column that names the council, and a file name is
what a council's analyst controls when sending a return to an alliance.

Each file goes through the same reading and validation as a single council's upload
(``annex_a.loader.read_annex_a_isolated``, in a worker process with its memory and time
limits). A file that is refused (not Annex A, unreadable, too large, an unknown council, a
second file for the same council) is reported with its reason and the others still load;
value problems do not refuse a council — rows with invalid values are left out of the
indicators that need them, as for one council.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .councils import Council, Councils, load_councils
from .pseudonymise import MIN_SECRET_BYTES, PseudonymiseError, write_council

MANIFEST = "pool.json"
FORMAT = "oversight-pool/1"
SECRET_ENV = "OVERSIGHT_POOL_SECRET"
_SUFFIXES = (".xlsx", ".xlsm")


class PoolError(ValueError):
    """The pool cannot be loaded at all (no such folder, no secret…); one line says why."""


@dataclass
class CouncilLoad:
    la_code: str
    name: str
    source: str  # the file's name (not its path)
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    tables: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"la_code": self.la_code, "name": self.name, "source": self.source, "rows": self.rows,
                "errors": self.errors, "warnings": self.warnings, "tables": dict(sorted(self.tables.items()))}


@dataclass
class Refusal:
    source: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


@dataclass
class PoolLoad:
    path: Path
    name: str
    as_at: dt.date
    pseudonymised: bool
    loaded: list[CouncilLoad]
    refused: list[Refusal]

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "name": self.name, "as_at": self.as_at.isoformat(),
                "pseudonymised": self.pseudonymised, "councils": [c.as_json() for c in self.loaded],
                "refused": [r.as_json() for r in self.refused]}


def pool_secret(secret_file: str | Path | None = None, pool_dir: Path | None = None) -> bytes:
    """The pool's secret: the file's contents, else ``OVERSIGHT_POOL_SECRET``. Refused if the
    file sits inside the pool folder: the secret must never travel with the data."""
    if secret_file:
        path = Path(secret_file)
        if pool_dir is not None and Path(os.path.abspath(path)).is_relative_to(os.path.abspath(pool_dir)):
            raise PoolError(f"{path.name}: the pool secret must not be kept inside the pool folder")
        try:
            value = path.read_bytes().strip()
        except OSError as e:
            raise PoolError(f"{path.name}: cannot read the pool secret ({e.strerror})") from None
    else:
        value = os.environ.get(SECRET_ENV, "").strip().encode()
        if not value:
            raise PoolError(f"no pool secret: set {SECRET_ENV} or give --secret-file FILE (at least "
                            f"{MIN_SECRET_BYTES} bytes; keep it away from the data), or --no-pseudonymise")
    if len(value) < MIN_SECRET_BYTES:
        raise PoolError(f"the pool secret must be at least {MIN_SECRET_BYTES} bytes")
    return value


def council_sources(folder: Path) -> list[Path]:
    """The pool folder's entries: workbooks and CSV folders (hidden files ignored), by name."""
    if not folder.is_dir():
        raise PoolError(f"{folder}: not a folder (give a folder with one workbook or CSV folder per council)")
    found = [p for p in sorted(folder.iterdir(), key=lambda p: p.name.lower())
             if not p.name.startswith((".", "~$")) and (p.is_dir() or p.suffix.lower() in _SUFFIXES)]
    if not found:
        raise PoolError(f"{folder}: no workbooks (.xlsx) or CSV folders in it")
    return found


def _read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_pool(folder: str | Path, out: str | Path, as_at: dt.date, *, name: str | None = None,
              secret: bytes | None = None, pseudonymise: bool = True, councils: Councils | None = None,
              read: Callable[..., Any] | None = None,
              progress: Callable[[str], None] = lambda _m: None) -> PoolLoad:
    """Validate and pool every council's file of ``folder`` into ``out`` (see the module doc).

    ``read(path, as_at)`` returns an ``annex_a`` ``LoadResult`` (default: the isolated reader
    with the environment's limits). A council already in ``out`` is replaced by its new file;
    an existing pool must have the same as-at date and the same pseudonymisation setting.
    """
    from oversight.engine.annex_a import AnnexARefused
    from oversight.engine.limits import FileRefused

    folder, out = Path(folder), Path(out)
    councils = councils or load_councils()
    if pseudonymise and secret is None:
        raise PoolError("pseudonymisation is on and no pool secret was given")
    if read is None:
        from oversight.engine.annex_a.loader import read_annex_a_isolated

        def read(path: Path, day: dt.date) -> Any:
            return read_annex_a_isolated(path, day)

    sources = [s for s in council_sources(folder) if s.resolve() != out.resolve()]  # --out may sit inside
    previous = _read_manifest(out)
    if previous is not None:
        if previous.get("as_at") != as_at.isoformat():
            raise PoolError(f"{out}: this pool is as at {previous.get('as_at')}, not {as_at.isoformat()}; "
                            "a pool is a set of councils' data as at the same date (use another --out)")
        if bool(previous.get("pseudonymised")) != pseudonymise:
            raise PoolError(f"{out}: this pool was loaded {'with' if previous.get('pseudonymised') else 'without'} "
                            "pseudonymisation; load every council the same way")
    out.mkdir(parents=True, exist_ok=True)

    loaded: dict[str, CouncilLoad] = {}
    refused: list[Refusal] = []
    seen: dict[str, str] = {}
    for src in sources:
        council: Council | None = councils.from_filename(src.name)
        if council is None or council.status != "current":
            refused.append(Refusal(src.name, "the file name does not name a council (start it with the DfE "
                                             "LA code, e.g. '202_camden.xlsx', or use the council's name)"))
            continue
        if council.la_code in seen:
            refused.append(Refusal(src.name, f"a second file for {council.name} ({council.la_code}); "
                                             f"{seen[council.la_code]} was loaded"))
            continue
        progress(f"{src.name}: {council.la_code} {council.name}")
        try:
            result = read(src, as_at)
        except (AnnexARefused, FileRefused) as e:
            refused.append(Refusal(src.name, str(e)))
            continue
        for table_dir in out.iterdir():  # replace this council's earlier partitions
            part = table_dir / f"la_code={council.la_code}"
            if part.is_dir():
                shutil.rmtree(part)
        try:
            write_council(out, council.la_code, result.tables, secret, pseudonymise=pseudonymise)
        except PseudonymiseError as e:
            raise PoolError(str(e)) from None
        seen[council.la_code] = src.name
        loaded[council.la_code] = CouncilLoad(
            council.la_code, council.name, src.name, rows=sum(t.num_rows for t in result.tables.values()),
            errors=result.error_count, warnings=len(result.warnings),
            tables={k: t.num_rows for k, t in result.tables.items()})

    kept = {c["la_code"]: c for c in (previous or {}).get("councils", []) if c["la_code"] not in loaded}
    everyone = sorted([*(CouncilLoad(**{k: v for k, v in c.items()}) for c in kept.values()), *loaded.values()],
                      key=lambda c: c.la_code)
    pool = PoolLoad(out, name or (previous or {}).get("name") or folder.name, as_at, pseudonymise,
                    everyone, refused)
    doc = pool.as_json()
    doc["loaded_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (out / MANIFEST).write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return pool


def open_pool(path: str | Path) -> dict[str, Any]:
    """A pool's manifest (raises :class:`PoolError` when ``path`` is not a pool)."""
    doc = _read_manifest(Path(path))
    if doc is None or doc.get("format") != FORMAT:
        raise PoolError(f"{path}: not a pool folder (no {MANIFEST}; load one with `oversight pool load`)")
    return doc


def pool_tables(path: str | Path) -> dict[str, Path]:
    """Table name → its folder of council partitions (what the indicator engines read)."""
    root = Path(path)
    return {d.name: d for d in sorted(root.iterdir()) if d.is_dir() and any(d.glob("la_code=*/*.parquet"))}
