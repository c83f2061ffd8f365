"""Transpile the indicator SQL to other engines with SQLGlot.

The catalogue is written for DuckDB over one council's Parquet files. A regional or national
pool of councils' data would live on an existing distributed engine (Spark, Trino) or in
PostgreSQL; transpiling the same SQL is the path there, rather than a second catalogue.
"""

from __future__ import annotations

import sqlglot
from sqlglot.errors import ErrorLevel


def to_dialect(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB) rewritten for ``dialect`` (``spark``, ``postgres``, ``trino``…).

    Raises ``sqlglot.errors.ParseError`` / ``UnsupportedError`` rather than emitting SQL that
    silently means something else.
    """
    out = sqlglot.transpile(sql, read="duckdb", write=dialect, unsupported_level=ErrorLevel.RAISE)
    return ";\n".join(out)
