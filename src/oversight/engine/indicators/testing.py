"""Build small datasets by hand, for hand-worked indicator examples (tests, docs, demos).

A dataset folder here looks like the loader's (docs/annex-a-tables.md): one
``<table>.parquet`` per list with the contract's column types plus ``_row`` and
``_invalid``. Writing a handful of rows by hand is how each indicator's definition is pinned
down with an example a reviewer can check on paper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

# Column types from docs/annex-a-tables.md: dates, integers; everything else is text.
DATE_COLUMNS = {
    "date_of_birth", "contact_date", "eh_assessment_start", "eh_assessment_end", "referral_date",
    "assessment_start", "assessment_authorised", "s47_start", "icpc_date", "cin_start", "last_seen",
    "cin_closure", "cpp_start", "last_visit", "latest_review", "cpp_end", "cla_start", "legal_status_start",
    "last_iro_contact", "last_health_assessment", "last_dental_check", "cla_end", "placement_start",
    "pathway_review", "latest_contact", "entered_care", "adm_decision", "placement_order", "matched",
    "placed_for_adoption", "adoption_order", "no_longer_placed_decision", "ffa_placement", "enquiry_date",
    "stage1_start", "stage1_end", "stage2_start", "stage2_end", "application_submitted",
    "application_approved", "placed", "left_process",
}
INT_COLUMNS = {
    "age", "referrals_last_12m", "s47_last_12m", "icpcs_last_12m", "previous_cpps", "placements_last_12m",
    "missing_last_12m", "absent_last_12m", "children_placed",
}
# Team and worker are always present in the lists that have them.
TEAM_TABLES = {"referrals", "assessments", "s47", "cin", "cp", "cla", "care_leavers"}


def _type(col: str) -> pa.DataType:
    if col in DATE_COLUMNS:
        return pa.date32()
    if col in INT_COLUMNS:
        return pa.int64()
    return pa.string()


def d(text: str) -> dt.date:
    """``d("2020-01-31")``: short date literals keep hand-worked examples readable."""
    return dt.date.fromisoformat(text)


def table(name: str, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """An Arrow table in the stored shape; keys missing from a row are blank (null)."""
    rows = list(rows)
    cols: list[str] = ["child_id"] if name != "adopters" else ["adopter_id"]
    if name in TEAM_TABLES:
        cols += ["allocated_team", "allocated_worker"]
    for r in rows:
        cols += [k for k in r if k not in cols and k not in ("_row", "_invalid")]
    arrays = {c: pa.array([r.get(c) for r in rows], type=_type(c)) for c in cols}
    if "child_id" in arrays:  # short examples may leave the id out: one child per row
        arrays["child_id"] = pa.array([r.get("child_id", f"C{i + 1}") for i, r in enumerate(rows)], pa.string())
    arrays["_row"] = pa.array([r.get("_row", i + 2) for i, r in enumerate(rows)], type=pa.int64())
    arrays["_invalid"] = pa.array([list(r.get("_invalid", [])) for r in rows], type=pa.list_(pa.string()))
    return pa.table(arrays)


def write_tables(root: str | Path, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, Path]:
    """Write ``<root>/<table>.parquet`` for each table; return table name → path."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, rows in tables.items():
        path = root / f"{name}.parquet"
        pq.write_table(table(name, rows), path)
        out[name] = path
    return out


def run(root: str | Path, tables: Mapping[str, Iterable[Mapping[str, Any]]], as_at: str | dt.date,
        **kwargs: Any) -> dict[str, dict]:
    """Write the tables, compute every indicator at ``as_at``; return indicator id → result."""
    from .runner import compute

    when = as_at if isinstance(as_at, dt.date) else d(as_at)
    result = compute(write_tables(root, tables), when, **kwargs)
    return {i["id"]: i for i in result["indicators"]}


def point(indicator: Mapping[str, Any], month: str) -> tuple[Any, Any, Any]:
    """(numerator, denominator, value) of one month of an indicator's overall series."""
    for p in indicator["series"]:
        if p["month"] == month:
            return p["numerator"], p["denominator"], p["value"]
    raise KeyError(f"{indicator['id']} has no point for {month}")


def values(indicator: Mapping[str, Any]) -> list[Any]:
    """The overall series' values, oldest month first."""
    return [p["value"] for p in indicator["series"]]
