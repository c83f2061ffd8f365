"""Transpile the indicator SQL to other engines with a pinned SQLGlot, and say what is explicit.

The catalogue is written once, in DuckDB's dialect. Running the same definitions on Spark (a
regional or national pool) or PostgreSQL (a council whose data team lives there) goes through
SQLGlot rather than a second catalogue. SQLGlot is pinned to one exact version in
``pyproject.toml`` (``SQLGLOT_VERSION`` here): a new SQLGlot may print different SQL, and the
equality test across engines is what vouches for the pinned one.

Three things are *not* left to SQLGlot's general rules, because engines disagree on them in
ways a transpiler cannot see:

- **Regular expressions** (the picklist ``code(x)`` helper). DuckDB uses RE2, PostgreSQL its
  own ARE engine, Spark ``java.util.regex``; they differ on what ``.`` and ``$`` match around
  newlines. The runner emits ``ov_picklist_code(x)`` and each dialect gets an explicit
  expression with flags chosen to mean what RE2 means: PostgreSQL flag ``p`` (``.`` stops at a
  newline, ``$`` is the end of the string); Java ``(?d)`` (only ``\\n`` ends a line) and ``\\z``
  (the very end, where Java's ``$`` would also match before a final newline).
- **Date arithmetic**: ``date ± INTERVAL n YEAR|MONTH|DAY`` and ``date_diff('day', a, b)``.
  PostgreSQL turns ``date - interval`` into a timestamp and Spark turns ``date + INTERVAL n
  DAY`` into one; each is rewritten to a function returning a DATE (Spark ``add_months`` /
  ``date_add``, PostgreSQL a cast back to ``date``). Month arithmetic clamps to the month's
  last day in all three (31 August − 6 months = 28/29 February).
- **The working-day calendar** is a table (``wd_calendar(d, n)``) the runner registers in each
  engine from the same Python ``WorkingDayCalendar`` (``engines.py``); the SQL only joins it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

SQLGLOT_VERSION = "30.30.0"  # keep in step with pyproject.toml (a test checks both)
DIALECTS = ("duckdb", "spark", "postgres")
CODE_FUNCTION = "ov_picklist_code"

# code(x): drop a letter prefix ("a) "), keep what comes before ":" or " - ", upper-case; Y/N
# are Yes/No. Two patterns, written once; each engine gets its own flags (module docstring).
PREFIX_RE = r"^[A-Za-z]{1,2}\)\s*"
SUFFIX_RE = r"\s*(:|\s-\s).*$"


def _code_case(stripped: str) -> str:
    return f"CASE upper(trim({stripped})) WHEN 'Y' THEN 'YES' WHEN 'N' THEN 'NO' ELSE upper(trim({stripped})) END"


def _sql_str(text: str) -> str:
    """A standard SQL string literal (backslashes literal: DuckDB and PostgreSQL)."""
    return "'" + text.replace("'", "''") + "'"


def code_sql_duckdb(col: str) -> str:
    """The DuckDB (RE2) expression for ``code(col)``; ``col`` is already SQL."""
    inner = f"regexp_replace(regexp_replace(trim({col}), {_sql_str(PREFIX_RE)}, ''), {_sql_str(SUFFIX_RE)}, '')"
    return _code_case(inner)


def code_sql_postgres(col: str) -> str:
    """PostgreSQL ARE with flag ``p``: the same matches as RE2's defaults."""
    inner = (f"regexp_replace(regexp_replace(trim({col}), {_sql_str(PREFIX_RE)}, '', 'p'), "
             f"{_sql_str(SUFFIX_RE)}, '', 'p')")
    return _code_case(inner)


def code_sql_spark(col: str) -> str:
    """Java regex with ``(?d)`` and ``\\z``: the same matches as RE2's defaults.

    Spark string literals treat a backslash as an escape, so each one is doubled here.
    """
    prefix = "(?d)" + PREFIX_RE
    suffix = "(?d)" + SUFFIX_RE[:-1] + r"\z"

    def lit(text: str) -> str:
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    inner = f"regexp_replace(regexp_replace(trim({col}), {lit(prefix)}, ''), {lit(suffix)}, '')"
    return _code_case(inner)


_CODE_SQL: dict[str, Callable[[str], str]] = {
    "duckdb": code_sql_duckdb, "postgres": code_sql_postgres, "spark": code_sql_spark,
}


def _interval(node: exp.Interval) -> tuple[int, str]:
    unit = (node.unit.name if node.unit is not None else "").upper().rstrip("S")
    try:
        amount = int(node.this.name)
    except (TypeError, ValueError):
        raise sqlglot.errors.UnsupportedError(f"interval {node.sql('duckdb')} is not a whole number of units") \
            from None
    if unit not in ("YEAR", "MONTH", "DAY"):
        raise sqlglot.errors.UnsupportedError(f"interval unit {unit!r} is not one of YEAR, MONTH, DAY")
    return amount, unit


def _explicit(dialect: str) -> Callable[[Any], Any]:
    """An AST rewrite replacing the constructs above with ``dialect``'s explicit form."""

    def parse(sql: str) -> Any:
        return sqlglot.parse_one(sql, read=dialect)

    def rewrite(node: Any) -> Any:
        if isinstance(node, exp.Anonymous) and node.name.lower() == CODE_FUNCTION:
            arg = node.expressions[0].transform(rewrite).sql(dialect)
            return exp.Paren(this=parse(_CODE_SQL[dialect](arg)))
        if isinstance(node, exp.Add | exp.Sub) and isinstance(node.expression, exp.Interval):
            amount, unit = _interval(node.expression)
            amount = -amount if isinstance(node, exp.Sub) else amount
            base = node.this.transform(rewrite).sql(dialect)
            if dialect == "spark":
                if unit == "DAY":
                    return parse(f"date_add({base}, {amount})")
                return parse(f"add_months({base}, {amount * (12 if unit == 'YEAR' else 1)})")
            if dialect == "postgres":
                return parse(f"CAST(({base}) + INTERVAL '{amount} {unit}' AS DATE)")
            return node
        if isinstance(node, exp.DateDiff):
            unit = (node.unit.name if node.unit is not None else "DAY").upper()
            if unit != "DAY":
                raise sqlglot.errors.UnsupportedError(f"date_diff unit {unit!r}: only days are mapped")
            end = node.this.transform(rewrite).sql(dialect)
            start = node.expression.transform(rewrite).sql(dialect)
            if dialect == "spark":
                return parse(f"datediff({end}, {start})")
            if dialect == "postgres":
                return parse(f"(CAST({end} AS DATE) - CAST({start} AS DATE))")
        return node

    return rewrite


def to_dialect(sql: str, dialect: str) -> str:
    """``sql`` (DuckDB) rewritten for ``dialect`` (``spark``, ``postgres``, ``duckdb``).

    Raises ``sqlglot.errors.ParseError`` / ``UnsupportedError`` rather than emitting SQL that
    silently means something else.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}, not {dialect!r}")
    out = []
    for tree in sqlglot.parse(sql, read="duckdb"):
        if tree is None:
            continue
        tree = tree.transform(_explicit(dialect), copy=True)
        out.append(tree.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE))
    return ";\n".join(out)
