"""Write and open stored Annex A datasets: one immutable folder of Parquet files per upload.

Layout (docs/annex-a-tables.md)::

    <root>/<id>/manifest.json        as-at, SHA-256, source, schema version, row counts, DQ summary
    <root>/<id>/<table>.parquet      one per list present
    <root>/<id>/problems.parquet     the full data-quality report

The id is derived from the file's SHA-256 and the as-at date, so re-loading the same file for
the same date finds the existing dataset instead of duplicating it. The folder is written under
a temporary name and renamed into place, so a reader never sees half a dataset.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from oversight.engine.annex_a.model import LoadResult, Problem, problems_from_table
from oversight.engine.annex_a.schema import get_schema

MANIFEST = "manifest.json"
PROBLEMS = "problems.parquet"
FORMAT = "oversight-annex-a-dataset/1"


def dataset_id(sha256: str, as_at: Any) -> str:
    """``2024-01-31-1a2b3c4d5e6f7a8b``: readable, sortable by date, unique per file and date."""
    return f"{as_at.isoformat()}-{sha256[:16]}"


@dataclass
class DatasetInfo:
    """A stored dataset: its folder and manifest. ``already_existed`` is set by :func:`write_dataset`."""

    path: Path
    manifest: dict[str, Any]
    already_existed: bool = field(default=False)

    @property
    def id(self) -> str:
        return str(self.manifest["id"])

    @property
    def tables(self) -> dict[str, Path]:
        """Table name → Parquet file (register each as a DuckDB view named after the table)."""
        return {name: self.path / meta["file"] for name, meta in self.manifest["tables"].items()}

    @property
    def problems_path(self) -> Path:
        return self.path / self.manifest.get("problems_file", PROBLEMS)

    def problems(self) -> list[Problem]:
        return problems_from_table(pq.read_table(self.problems_path))


def write_dataset(result: LoadResult, root: Path) -> DatasetInfo:
    """Store ``result`` under ``root/<id>/``; return the existing dataset if it is already there."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    ident = dataset_id(result.sha256, result.as_at)
    final = root / ident
    if (final / MANIFEST).exists():
        info = open_dataset(final)
        info.already_existed = True
        return info
    tmp = root / f".tmp-{ident}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    schema = get_schema(result.schema_version)
    try:
        tables: dict[str, dict[str, Any]] = {}
        for name, table in result.tables.items():
            file = f"{name}.parquet"
            pq.write_table(table, tmp / file, compression="zstd")
            tables[name] = {"file": file, "rows": table.num_rows, "sheet": result.sheets.get(name),
                            "list_number": schema.list(name).number}
        pq.write_table(result.problem_table, tmp / PROBLEMS, compression="zstd")
        manifest = {
            "format": FORMAT,
            "id": ident,
            "as_at": result.as_at.isoformat(),
            "sha256": result.sha256,
            "source_name": result.source_name,
            "schema_version": result.schema_version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tables": tables,
            "row_counts": result.row_counts,
            "data_quality": result.summary(),
            "problems_file": PROBLEMS,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        for f in tmp.iterdir():
            f.chmod(0o444)
        try:
            os.rename(tmp, final)
        except OSError:
            if (final / MANIFEST).exists():  # another process stored the same file first
                shutil.rmtree(tmp, ignore_errors=True)
                info = open_dataset(final)
                info.already_existed = True
                return info
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return DatasetInfo(final, manifest, already_existed=False)


def open_dataset(path: Path) -> DatasetInfo:
    """Open a stored dataset folder (reads only its manifest)."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: not an Annex A dataset (no {MANIFEST})") from None
    return DatasetInfo(path, manifest)
