"""One rule for every spreadsheet and CSV Oversight writes: text is data, never a formula.

A success measure typed as ``=cmd|' /C calc'!A0`` must reach Excel as text. Cells whose text
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading apostrophe
(OWASP's advice for CSV injection); numbers, dates and booleans pass through untouched, so a
negative *number* stays a number. Every CSV/XLSX writer calls :func:`safe_cell` (or
:func:`safe_row`) on what it writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as it may be written to a cell: text that could be a formula is quoted."""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
