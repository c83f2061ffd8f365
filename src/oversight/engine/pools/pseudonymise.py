"""Degrade a council's Annex A tables before they leave it for a pool (on by default).

The degradations are those the London Innovation and Improvement Alliance (LIIA) applies:

- identifiers (``child_id``, ``adopter_id``, ``family_id``) become an HMAC-SHA256 of the
  council's LA code and the value, keyed with the **pool's secret**. The same child gets the
  same pseudonym in every list and every month (so counts of distinct children and joins
  still work), two councils' child "123" stay apart, and without the secret nobody can
  recompute a pseudonym from a known ID. The secret is passed in (from an environment
  variable or a file kept elsewhere) and is never written next to the data;
- dates of birth become the first of their month;
- postcodes become their district (the outward code: ``SW1A 1AA`` → ``SW1A``).

Ages, dates of events and picklist values are unchanged: the indicators need them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

ID_COLUMNS = ("child_id", "adopter_id", "family_id")
DOB_COLUMNS = ("date_of_birth",)
POSTCODE_COLUMNS = ("placement_postcode",)
MIN_SECRET_BYTES = 16
PSEUDONYM_PREFIX = "p_"
_OUTWARD = re.compile(r"^\s*([A-Za-z]{1,2}[0-9][0-9A-Za-z]?)\s*([0-9][A-Za-z]{2})?\s*$")


class PseudonymiseError(ValueError):
    """The pool's secret (or a table) cannot be used; the message says why."""


def _key(secret: bytes | str) -> bytes:
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if len(key) < MIN_SECRET_BYTES:
        raise PseudonymiseError(f"the pool secret must be at least {MIN_SECRET_BYTES} bytes "
                                "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)")
    return key


def pseudonym(value: str, la_code: str, secret: bytes | str) -> str:
    """The pooled identifier for ``value`` from council ``la_code``: stable, keyed, one-way."""
    mac = hmac.new(_key(secret), f"{la_code.strip().upper()}\x1f{value.strip()}".encode(), hashlib.sha256)
    return PSEUDONYM_PREFIX + mac.hexdigest()[:32]


def postcode_district(value: str | None) -> str | None:
    """The outward code of a UK postcode (``SW1A 1AA`` → ``SW1A``); anything else → None,
    because a value we cannot recognise may still identify someone."""
    if value is None:
        return None
    m = _OUTWARD.match(value)
    if not m or (m.group(2) is None and len(value.strip()) > 4):
        return None
    return m.group(1).upper()


def pseudonymise_table(table: pa.Table, la_code: str, secret: bytes | str) -> pa.Table:
    """``table`` with identifiers keyed-hashed, dates of birth to the month, postcodes to district."""
    key = _key(secret)
    for name in table.column_names:
        col = table.column(name)
        if name in ID_COLUMNS:
            # once per distinct ID (a child is on many rows), then mapped back column-wise
            text = col if pa.types.is_string(col.type) else pc.cast(col, pa.string())
            distinct = pc.unique(text)
            keyed = pa.array([None if v is None or not v.strip() else pseudonym(v, la_code, key)
                              for v in distinct.to_pylist()], pa.string())
            new = pc.take(keyed, pc.index_in(text, value_set=distinct))
        elif name in DOB_COLUMNS:
            if not pa.types.is_date(col.type):
                raise PseudonymiseError(f"{name}: expected a date column, found {col.type}")
            new = pc.floor_temporal(col, unit="month").cast(col.type)
        elif name in POSTCODE_COLUMNS:
            new = pa.array([postcode_district(v) for v in col.to_pylist()], pa.string())
        else:
            continue
        table = table.set_column(table.column_names.index(name), name, new)
    return table


def pseudonymise_tables(tables: Mapping[str, pa.Table], la_code: str, secret: bytes | str) -> dict[str, pa.Table]:
    """Every table of one council's dataset, pseudonymised with the pool's secret."""
    return {name: pseudonymise_table(t, la_code, secret) for name, t in tables.items()}


def write_council(root, la_code: str, tables: Mapping[str, pa.Table], secret: bytes | str | None,
                  pseudonymise: bool = True) -> dict[str, str]:
    """Write one council's tables into a pool folder, one Parquet dataset per table partitioned
    by council (``<root>/<table>/la_code=<code>/part-0.parquet``); return table → folder.

    Pseudonymisation happens here, before anything is written, unless the pool explicitly
    turns it off (``pseudonymise=False``, e.g. a council pooling its own history).
    """
    from pathlib import Path

    import pyarrow.parquet as pq

    if pseudonymise:
        if secret is None:
            raise PseudonymiseError("pseudonymisation is on and no pool secret was given")
        tables = pseudonymise_tables(tables, la_code, secret)
    out = {}
    for name, table in tables.items():
        folder = Path(root) / name / f"la_code={la_code.strip().upper()}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-0.parquet")
        out[name] = str(Path(root) / name)
    return out
