"""Problems counted per allocated team and rule (engine/annex_a/teams.py), by a join, not a loop."""

from __future__ import annotations

import pyarrow as pa

from oversight.engine.annex_a.model import PROBLEM_SCHEMA
from oversight.engine.annex_a.teams import NO_TEAM, team_rule_counts
from oversight.engine.indicators.testing import table, write_tables


def _problems(*rows: tuple[str, int | None, str]) -> pa.Table:
    cols = {name: [] for name in PROBLEM_SCHEMA.names}
    for tbl, row, rule in rows:
        for name in PROBLEM_SCHEMA.names:
            cols[name].append({"table": tbl, "row": row, "rule": rule, "severity": "warning"}.get(name))
    return pa.table(cols, schema=PROBLEM_SCHEMA)


CP = [{"allocated_team": "Team A", "_row": 2}, {"allocated_team": "Team A", "_row": 3},
      {"allocated_team": "", "_row": 4}, {"allocated_team": None, "_row": 5}, {"allocated_team": "Team B", "_row": 6}]


def test_each_problem_counts_under_the_team_written_on_its_row():
    problems = _problems(("cp", 2, "cp-open-not-in-cin-list"), ("cp", 3, "cp-open-not-in-cin-list"),
                         ("cp", 3, "duplicate-key"), ("cp", 6, "cp-open-not-in-cin-list"))
    assert team_rule_counts({"cp": table("cp", CP)}, problems) == {
        "Team A": {"cp-open-not-in-cin-list": 2, "duplicate-key": 1},
        "Team B": {"cp-open-not-in-cin-list": 1},
    }


def test_a_blank_team_or_a_row_not_found_counts_under_no_team_recorded():
    problems = _problems(("cp", 4, "r"), ("cp", 5, "r"), ("cp", 99, "r"))
    assert team_rule_counts({"cp": table("cp", CP)}, problems) == {NO_TEAM: {"r": 3}}


def test_problems_without_a_row_or_on_lists_without_a_team_are_left_out(tmp_path):
    paths = write_tables(tmp_path, {"cp": CP, "contacts": [{"contact_date": None}]})
    problems = _problems(("cp", None, "list-missing"), ("contacts", 2, "outside-window"), ("cp", 2, "r"))
    assert team_rule_counts(paths, problems) == {"Team A": {"r": 1}}
