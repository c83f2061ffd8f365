"""Data-quality problems counted per allocated team and rule, without a Python loop per row.

A workbook can carry tens of thousands of warnings (a children-in-need list that misses most
children on a plan); counting them by looking each problem's row up in a dictionary of every
row costs more than validating the whole file. An Arrow join of the problems to each list's
``_row`` → team column and one grouping do the same in milliseconds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

NO_TEAM = "(no team recorded)"


def _teams(table: pa.Table | str | Path) -> pa.Table | None:
    """``_row`` and ``allocated_team`` of one list (read from Parquet when given a path)."""
    if isinstance(table, (str, Path)):
        if "allocated_team" not in pq.ParquetFile(table).schema_arrow.names:
            return None
        return pq.read_table(table, columns=["_row", "allocated_team"])
    if "allocated_team" not in table.column_names:
        return None
    return table.select(["_row", "allocated_team"])


def team_rule_counts(tables: Mapping[str, pa.Table | str | Path], problems: pa.Table,
                     no_team: str = NO_TEAM) -> dict[str, dict[str, int]]:
    """{team: {rule: count}} for the problems on rows of lists that have an allocated team.

    A blank team (or a row not found) counts under ``no_team``; problems with no row (a missing
    list or column) and lists without a team column are left out. Counts only: no child data.
    """
    out: dict[str, Counter] = defaultdict(Counter)
    located = problems.filter(pc.is_valid(problems["row"])).select(["table", "row", "rule"])
    for name, table in tables.items():
        mine = located.filter(pc.equal(located["table"], name))
        if not mine.num_rows:
            continue
        teams = _teams(table)
        if teams is None:
            continue
        joined = mine.join(teams, keys="row", right_keys="_row", join_type="left outer", use_threads=False)
        team = joined["allocated_team"]
        named = pc.fill_null(pc.not_equal(team, ""), False)
        team = pc.if_else(named, team, pa.scalar(no_team, pa.string()))
        counts = pa.table({"team": team, "rule": joined["rule"]}).group_by(["team", "rule"], use_threads=False)
        for r in counts.aggregate([("rule", "count")]).to_pylist():
            out[r["team"]][r["rule"]] += r["rule_count"]
    return {team: dict(sorted(c.items())) for team, c in sorted(out.items())}
