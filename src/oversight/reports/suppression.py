"""Small-number suppression for figures that leave the building.

Why: a report marked for publication (scrutiny papers, the council's website) must not let a
reader identify a child. Official statistics (ONS, DfE) replace small counts with ``[c]``
("confidential") and explain it in a footnote; we do the same, with the same two rules:

* **Primary suppression.** A count from 1 up to the threshold (``OVERSIGHT_SUPPRESS_BELOW``,
  default 5, so counts 1–4) is replaced by ``[c]``, and so is any percentage, rate or average
  built on such a count (its numerator or its denominator). Zero is shown: "none" identifies
  nobody.
* **Secondary suppression.** Where a table publishes totals, one hidden cell in a row or column
  could be worked back as *total minus the others*. So every line of the table (a row with its
  total, a column with its total) must hide either nothing or at least two figures; where a
  line hides exactly one, the smallest other figure in it is hidden too, and that repeats until
  no line gives anything away.

Everything here is pure (no Django models, no I/O) so the builders can call it and the tests can
work examples by hand; :func:`configured_threshold` is the only function that reads settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias

if TYPE_CHECKING:
    from oversight.reports.data import Table as ReportTable

MARKER: Final = "[c]"
DEFAULT_BELOW: Final = 5

Number: TypeAlias = int | float
#: What a suppressed figure becomes: the number as it was, nothing (``None``) or the marker.
Shown: TypeAlias = int | float | str | None


def configured_threshold() -> int:
    """``settings.OVERSIGHT_SUPPRESS_BELOW`` (counts below it are hidden), 5 when unset or outside Django."""
    try:
        from django.conf import settings

        value = getattr(settings, "OVERSIGHT_SUPPRESS_BELOW", DEFAULT_BELOW)
    except Exception:  # settings not configured: a plain script or an engine test
        value = DEFAULT_BELOW
    return max(1, int(value))


def footnote(below: int | None = None) -> str:
    """The sentence that goes under any table or report showing :data:`MARKER`."""
    below = configured_threshold() if below is None else below
    small = "1" if below == 2 else f"1 to {below - 1}"
    return (f"{MARKER} Suppressed to protect confidentiality: a count of {small}, a percentage, rate or "
            "average based on such a count, or a figure from which one could be worked out.")


def _below(below: int | None) -> int:
    return configured_threshold() if below is None else below


def is_small(count: Number | None, below: int | None = None) -> bool:
    """True for a count that must not be published: more than zero and under the threshold."""
    if count is None:
        return False
    return 0 < count < _below(below)


def count(value: Number | None, below: int | None = None) -> Shown:
    """A published count: the number, or :data:`MARKER` when it is 1 to threshold − 1."""
    return MARKER if is_small(value, below) else value


def rate(value: Number | None, numerator: Number | None, denominator: Number | None,
         below: int | None = None) -> Shown:
    """A percentage or rate built on a count: hidden when its numerator or denominator is small.

    ``67%`` of 3 children tells a reader 2 children did something; so does ``2 of 3``.
    """
    b = _below(below)
    if is_small(numerator, b) or is_small(denominator, b):
        return MARKER
    return value


def average(value: Number | None, cases: Number | None, below: int | None = None) -> Shown:
    """An average (days, placements per child) over ``cases``: hidden when the cases are few."""
    return MARKER if is_small(cases, below) else value


def figure(value: Number | None, unit: str, numerator: Number | None = None, denominator: Number | None = None,
           below: int | None = None) -> Shown:
    """One scorecard figure by its unit: a count is a count; a percentage or average rests on its parts.

    ``unit`` is the indicator's unit (``count``/``number``, ``percent``, ``days``). An average
    in days rests on its denominator (the number of cases averaged); a percentage on both.
    """
    if unit in ("count", "number"):
        return count(value, below)
    if unit == "percent":
        return rate(value, numerator, denominator, below)
    return average(value, denominator, below)


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts after suppression; totals are ``None`` where the table has none."""

    cells: list[list[Shown]]
    row_totals: list[Shown] | None
    column_totals: list[Shown] | None
    grand_total: Shown
    primary: int
    secondary: int

    @property
    def any_suppressed(self) -> bool:
        return self.primary + self.secondary > 0


def table(cells: Sequence[Sequence[Number | None]], *, row_totals: Sequence[Number | None] | None = None,
          column_totals: Sequence[Number | None] | None = None, grand_total: Number | None = None,
          below: int | None = None) -> SuppressedTable:
    """Suppress a table of counts with its published totals (primary, then secondary until safe).

    ``cells[r][c]``; ``row_totals[r]`` is the total of row ``r`` as published (if any),
    ``column_totals[c]`` of column ``c``, ``grand_total`` of them all. Totals are passed, not
    summed here, because a published total is not always the sum of its row (a child can be in
    two columns); but a table that publishes a total is treated as if it were, which is the
    safe assumption.
    """
    b = _below(below)
    n_rows = len(cells)
    n_cols = max((len(r) for r in cells), default=0)
    has_rt = row_totals is not None
    has_ct = column_totals is not None
    # The whole grid, totals included as an extra column / row, so that one rule covers all lines.
    rows_out = n_rows + (1 if has_ct else 0)
    cols_out = n_cols + (1 if has_rt else 0)
    grid: list[list[Number | None]] = [[None] * cols_out for _ in range(rows_out)]
    for r, row in enumerate(cells):
        for c, v in enumerate(row):
            grid[r][c] = v
    if has_rt:
        assert row_totals is not None
        for r, v in enumerate(row_totals[:n_rows]):
            grid[r][n_cols] = v
    if has_ct:
        assert column_totals is not None
        for c, v in enumerate(column_totals[:n_cols]):
            grid[n_rows][c] = v
        if has_rt:
            grid[n_rows][n_cols] = grand_total
    hidden = [[is_small(grid[r][c], b) for c in range(cols_out)] for r in range(rows_out)]
    primary = sum(h for row in hidden for h in row)

    def is_total(r: int, c: int) -> bool:
        return (has_rt and c == n_cols) or (has_ct and r == n_rows)

    # The lines a reader can add up: every row when rows have a total, every column when columns
    # do (the totals row and column included, as they add up to the grand total).
    lines: list[list[tuple[int, int]]] = []
    if has_rt:
        lines += [[(r, c) for c in range(cols_out)] for r in range(rows_out)]
    if has_ct:
        lines += [[(r, c) for r in range(rows_out)] for c in range(cols_out)]
    secondary = 0
    changed = True
    while changed:
        changed = False
        for line in lines:
            shown = [(r, c) for r, c in line if grid[r][c] is not None]
            if sum(hidden[r][c] for r, c in shown) != 1:
                continue
            candidates = [(r, c) for r, c in shown if not hidden[r][c]]
            if not candidates:
                continue
            # Hide the least informative figure: an inner cell before a total, non-zero before
            # zero (a zero is often known anyway, so hiding it protects little), smallest first.
            r, c = min(candidates, key=lambda rc: (is_total(*rc), grid[rc[0]][rc[1]] == 0,
                                                   grid[rc[0]][rc[1]] or 0, rc))
            hidden[r][c] = True
            secondary += 1
            changed = True

    def shown_at(r: int, c: int) -> Shown:
        return MARKER if hidden[r][c] else grid[r][c]

    out_cells = [[shown_at(r, c) for c in range(len(cells[r]))] for r in range(n_rows)]
    out_rt = [shown_at(r, n_cols) for r in range(n_rows)] if has_rt else None
    out_ct = [shown_at(n_rows, c) for c in range(n_cols)] if has_ct else None
    out_gt = shown_at(n_rows, n_cols) if has_rt and has_ct else grand_total
    return SuppressedTable(out_cells, out_rt, out_ct, out_gt, primary, secondary)


def series(values: Sequence[Number | None], unit: str, numerators: Sequence[Number | None] | None = None,
           denominators: Sequence[Number | None] | None = None, below: int | None = None) -> list[Shown]:
    """A measure's monthly values, each suppressed by :func:`figure` on its own parts."""
    nums = list(numerators) if numerators is not None else [None] * len(values)
    dens = list(denominators) if denominators is not None else [None] * len(values)
    return [figure(v, unit, n, d, below) for v, n, d in zip(values, nums, dens, strict=True)]


def apply_to_table(t: ReportTable, below: int | None = None) -> ReportTable:
    """A report table with its counts suppressed: primary, then secondary against its total row.

    Cells of kind ``"count"`` are the counts; ``Table.total_row`` (if set) is the row of column
    totals a reader could subtract from. Rates and averages are suppressed where the builder
    formats them (:func:`figure`), because only it knows their numerators and denominators.
    """
    import dataclasses

    from oversight.reports.data import Cell as ReportCell

    b = _below(below)
    width = max((len(r) for r in t.rows), default=0)
    count_cols = [c for c in range(width)
                  if any(c < len(r) and r[c].kind == "count" and r[c].value is not None for r in t.rows)]
    if not count_cols:
        return t
    body = [i for i in range(len(t.rows)) if i != t.total_row]

    def number(i: int, c: int) -> Number | None:
        row = t.rows[i]
        cell = row[c] if c < len(row) else None
        return None if cell is None or cell.suppressed or cell.kind != "count" else cell.value

    totals = [number(t.total_row, c) for c in count_cols] if t.total_row is not None else None
    done = table([[number(i, c) for c in count_cols] for i in body], column_totals=totals, below=b)
    hidden: set[tuple[int, int]] = set()
    for r, i in enumerate(body):
        for k, c in enumerate(count_cols):
            if done.cells[r][k] == MARKER:
                hidden.add((i, c))
    if done.column_totals is not None and t.total_row is not None:
        for k, c in enumerate(count_cols):
            if done.column_totals[k] == MARKER:
                hidden.add((t.total_row, c))
    if not hidden:
        return t
    rows = tuple(tuple(ReportCell(MARKER, suppressed=True, kind=cell.kind) if (i, c) in hidden else cell
                       for c, cell in enumerate(row)) for i, row in enumerate(t.rows))
    return dataclasses.replace(t, rows=rows)
