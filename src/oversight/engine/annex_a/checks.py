"""Row, duplicate and cross-list checks, as DuckDB SQL over the built tables.

Why SQL: these checks join lists on the child's ID (a CP plan with no S47, a looked-after child
missing from the children-in-need list…). DuckDB does the joins over the Arrow tables without a
Python loop per row, and each rule stays a short readable query.

Every check here is a **warning**: the values are kept, since either side of a mismatch may be
the wrong one. Each query returns ``tbl, _row, key, value, expected``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from oversight.engine.annex_a.model import ProblemLog

if TYPE_CHECKING:
    from oversight.engine.annex_a.validate import ListState

WINDOW_MONTHS = 6


def months_before(d: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's end: 31 Aug → 29 Feb)."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover


@dataclass(frozen=True)
class TableCheck:
    rule: str
    needs: tuple[str, ...]
    description: str
    sql: str


def _d(col: str) -> str:
    return f"strftime({col}, '%d/%m/%Y')"


# Placeholders: {WS} window start (as-at minus 6 months), {ASAT}, {G} gender/sex key.
CHECKS: tuple[TableCheck, ...] = (
    # ---- reporting window -------------------------------------------------------------------
    TableCheck("outside-window", ("contacts",), "List 1 contact dated before the 6-month window", f"""
        SELECT 'contacts', _row, 'contact_date', {_d('contact_date')},
               'a contact on or after ' || {_d('{WS}')} || ' (6 months before the as-at date)'
        FROM contacts WHERE contact_date < {{WS}}"""),
    TableCheck("outside-window", ("referrals",), "List 3 referral dated before the 6-month window", f"""
        SELECT 'referrals', _row, 'referral_date', {_d('referral_date')},
               'a referral on or after ' || {_d('{WS}')} || ' (6 months before the as-at date)'
        FROM referrals WHERE referral_date < {{WS}}"""),
    TableCheck("outside-window", ("assessments",), "List 4 assessment started and authorised before the window",
               f"""
        SELECT 'assessments', _row, 'assessment_authorised', {_d('assessment_authorised')},
               'an assessment open or authorised on or after ' || {_d('{WS}')}
        FROM assessments WHERE assessment_start < {{WS}} AND assessment_authorised < {{WS}}"""),
    TableCheck("outside-window", ("s47",), "List 5 S47 (and any ICPC) before the window", f"""
        SELECT 's47', _row, 's47_start', {_d('s47_start')},
               'an S47 enquiry or ICPC on or after ' || {_d('{WS}')}
        FROM s47 WHERE s47_start < {{WS}} AND coalesce(icpc_date, s47_start) < {{WS}}"""),
    TableCheck("outside-window", ("cin",), "List 6 episode closed before the window", f"""
        SELECT 'cin', _row, 'cin_closure', {_d('cin_closure')},
               'open, or closed on or after ' || {_d('{WS}')}
        FROM cin WHERE cin_closure < {{WS}}"""),
    TableCheck("outside-window", ("cp",), "List 7 plan ended before the window", f"""
        SELECT 'cp', _row, 'cpp_end', {_d('cpp_end')}, 'open, or ended on or after ' || {_d('{WS}')}
        FROM cp WHERE cpp_end < {{WS}}"""),
    TableCheck("outside-window", ("cla",), "List 8 care ceased before the window", f"""
        SELECT 'cla', _row, 'cla_end', {_d('cla_end')}, 'looked after, or ceased on or after ' || {_d('{WS}')}
        FROM cla WHERE cla_end < {{WS}}"""),
    # ---- consistency within a list ----------------------------------------------------------
    TableCheck("icpc-not-required-but-held", ("s47",), "ICPC deemed unnecessary but an ICPC date is given", f"""
        SELECT 's47', _row, 'icpc_date', {_d('icpc_date')},
               'no ICPC date, since the ICPC was deemed unnecessary'
        FROM s47 WHERE icpc_not_required = 'Yes' AND icpc_date IS NOT NULL"""),
    TableCheck("icpc-outcome-without-date", ("s47",), "ICPC outcome given but no ICPC date", """
        SELECT 's47', _row, 'icpc_cp_plan', icpc_cp_plan, 'an ICPC date, since an ICPC outcome is given'
        FROM s47 WHERE icpc_cp_plan IS NOT NULL AND icpc_date IS NULL
          AND NOT list_contains(_invalid, 'icpc_date')"""),
    TableCheck("icpc-date-without-outcome", ("s47",), "ICPC date given but no outcome", f"""
        SELECT 's47', _row, 'icpc_cp_plan', '(blank)',
               'Yes or No: an ICPC was held on ' || {_d('icpc_date')}
        FROM s47 WHERE icpc_date IS NOT NULL AND icpc_cp_plan IS NULL
          AND NOT list_contains(_invalid, 'icpc_cp_plan')"""),
    TableCheck("closed-without-reason", ("cin",), "CIN closure date without a reason", f"""
        SELECT 'cin', _row, 'closure_reason', '(blank)', 'a reason, since the case closed on ' || {_d('cin_closure')}
        FROM cin WHERE cin_closure IS NOT NULL AND closure_reason IS NULL
          AND NOT list_contains(_invalid, 'closure_reason')"""),
    TableCheck("closed-without-reason", ("cla",), "Ceased to be looked after without a reason", f"""
        SELECT 'cla', _row, 'reason_ceased', '(blank)', 'a reason, since care ceased on ' || {_d('cla_end')}
        FROM cla WHERE cla_end IS NOT NULL AND reason_ceased IS NULL
          AND NOT list_contains(_invalid, 'reason_ceased')"""),
    TableCheck("closed-without-reason", ("adoption",), "Decision no longer to place without a reason", f"""
        SELECT 'adoption', _row, 'no_longer_placed_reason', '(blank)',
               'a reason, since the decision was made on ' || {_d('no_longer_placed_decision')}
        FROM adoption WHERE no_longer_placed_decision IS NOT NULL AND no_longer_placed_reason IS NULL
          AND NOT list_contains(_invalid, 'no_longer_placed_reason')"""),
    TableCheck("closed-without-reason", ("adopters",), "Left the adoption process without a reason", f"""
        SELECT 'adopters', _row, 'leaving_reason', '(blank)',
               'a reason, since the adopter left the process on ' || {_d('left_process')}
        FROM adopters WHERE left_process IS NOT NULL AND leaving_reason IS NULL
          AND NOT list_contains(_invalid, 'leaving_reason')"""),
    TableCheck("reason-without-end", ("cin",), "Closure reason without a closure date", """
        SELECT 'cin', _row, 'cin_closure', '(blank)', 'a closure date, since a reason for closure is given'
        FROM cin WHERE closure_reason IS NOT NULL AND cin_closure IS NULL
          AND NOT list_contains(_invalid, 'cin_closure')"""),
    TableCheck("reason-without-end", ("cla",), "Reason ceased without a date ceased", """
        SELECT 'cla', _row, 'cla_end', '(blank)', 'a date ceased, since a reason ceased is given'
        FROM cla WHERE reason_ceased IS NOT NULL AND cla_end IS NULL AND NOT list_contains(_invalid, 'cla_end')"""),
    TableCheck("case-status-mismatch", ("cin",), "Closed episode without closure date, or closed but other status",
               """
        SELECT 'cin', _row, 'case_status', case_status,
               CASE WHEN case_status = 'Closed episode' THEN 'a CIN closure date for a closed episode'
                    ELSE 'Closed episode, since a CIN closure date is given' END
        FROM cin WHERE (case_status = 'Closed episode' AND cin_closure IS NULL
                        AND NOT list_contains(_invalid, 'cin_closure'))
                    OR (case_status <> 'Closed episode' AND cin_closure IS NOT NULL)"""),
    TableCheck("return-interview-accepted-not-offered", ("cla",), "Return interview accepted but not offered", """
        SELECT 'cla', _row, 'rhi_accepted', rhi_accepted, 'not Yes, since no return interview was offered'
        FROM cla WHERE rhi_accepted = 'Yes' AND rhi_offered = 'No'"""),
    TableCheck("adopted-but-not-placed", ("adoption",), "Adoption order with no date placed for adoption", f"""
        SELECT 'adoption', _row, 'placed_for_adoption', '(blank)',
               'a date placed for adoption, since an adoption order was made on ' || {_d('adoption_order')}
        FROM adoption WHERE adoption_order IS NOT NULL AND placed_for_adoption IS NULL
          AND NOT list_contains(_invalid, 'placed_for_adoption')"""),
    TableCheck("urn-format", ("cla",), "Placement URN not SC + 6 digits, 6–7 digits or XXXXXXX", """
        SELECT 'cla', _row, 'placement_urn', placement_urn,
               'an Ofsted URN (SC123456 or 7 digits), or XXXXXXX when not Ofsted-registered'
        FROM cla WHERE placement_urn IS NOT NULL
          AND NOT regexp_full_match(upper(placement_urn), '(SC)?[0-9]{6,7}|X{7}')"""),
    # ---- across lists -----------------------------------------------------------------------
    TableCheck("cp-plan-without-s47", ("cp", "s47"), "CP plan started in the window with no S47 before it", f"""
        SELECT 'cp', cp._row, 'child_id', cp.child_id,
               'an S47 enquiry in List 5 on or before the plan start ' || {_d('cp.cpp_start')}
        FROM cp WHERE cp.cpp_start >= {{WS}} AND cp.child_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM s47 WHERE s47.child_id = cp.child_id
              AND (s47.s47_start IS NULL OR s47.s47_start <= cp.cpp_start))"""),
    TableCheck("icpc-plan-not-in-cp-list", ("s47", "cp"), "ICPC resulted in a plan but no plan in List 7", f"""
        SELECT 's47', _row, 'icpc_cp_plan', icpc_cp_plan,
               'a CP plan for this child in List 7 (ICPC on ' || coalesce({_d('icpc_date')}, '?') || ')'
        FROM s47 WHERE icpc_cp_plan = 'Yes' AND child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM cp WHERE child_id IS NOT NULL)"""),
    TableCheck("cp-open-not-in-cin-list", ("cp", "cin"), "Open CP plan, child not in List 6", """
        SELECT 'cp', _row, 'child_id', child_id, 'this child in List 6 (children in need), as the plan is open'
        FROM cp WHERE cpp_end IS NULL AND NOT list_contains(_invalid, 'cpp_end') AND child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM cin WHERE child_id IS NOT NULL)"""),
    TableCheck("cla-open-not-in-cin-list", ("cla", "cin"), "Looked-after child not in List 6", """
        SELECT 'cla', _row, 'child_id', child_id, 'this child in List 6 (children in need), as still looked after'
        FROM cla WHERE cla_end IS NULL AND NOT list_contains(_invalid, 'cla_end') AND child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM cin WHERE child_id IS NOT NULL)"""),
    TableCheck("cin-status-cp-not-in-cp-list", ("cin", "cp"), "Case status CP plan but no open plan in List 7", """
        SELECT 'cin', _row, 'case_status', case_status, 'an open CP plan for this child in List 7'
        FROM cin WHERE case_status = 'Child Protection plan' AND child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM cp WHERE cpp_end IS NULL AND child_id IS NOT NULL)"""),
    TableCheck("cin-status-cla-not-in-cla-list", ("cin", "cla"), "Case status looked after but not in List 8", """
        SELECT 'cin', _row, 'case_status', case_status, 'this child looked after in List 8'
        FROM cin WHERE case_status = 'Looked after child' AND child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM cla WHERE cla_end IS NULL AND child_id IS NOT NULL)"""),
    TableCheck("referral-without-contact", ("referrals", "contacts"), "Referral in the window, child not in List 1",
               f"""
        SELECT 'referrals', _row, 'child_id', child_id,
               'a contact for this child in List 1 (referral on ' || {_d('referral_date')} || ')'
        FROM referrals WHERE referral_date >= {{WS}} AND child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM contacts WHERE child_id IS NOT NULL)"""),
    TableCheck("assessment-without-referral", ("assessments", "referrals", "cin"),
               "Assessment started in the window, child in neither List 3 nor List 6", """
        SELECT 'assessments', _row, 'child_id', child_id,
               'this child in List 3 (referrals) or List 6 (children in need)'
        FROM assessments WHERE assessment_start >= {WS} AND child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM referrals WHERE child_id IS NOT NULL)
          AND child_id NOT IN (SELECT child_id FROM cin WHERE child_id IS NOT NULL)"""),
    TableCheck("s47-without-referral", ("s47", "referrals", "cin"), "S47 child in neither List 3 nor List 6", """
        SELECT 's47', _row, 'child_id', child_id, 'this child in List 3 (referrals) or List 6 (children in need)'
        FROM s47 WHERE child_id IS NOT NULL
          AND child_id NOT IN (SELECT child_id FROM referrals WHERE child_id IS NOT NULL)
          AND child_id NOT IN (SELECT child_id FROM cin WHERE child_id IS NOT NULL)"""),
    TableCheck("care-leaver-still-looked-after", ("care_leavers", "cla"),
               "Relevant/former relevant care leaver still looked after in List 8", """
        SELECT 'care_leavers', _row, 'eligibility', eligibility,
               'Eligible child, or this child not looked after in List 8'
        FROM care_leavers WHERE eligibility IN ('Relevant child', 'Former relevant child') AND child_id IS NOT NULL
          AND child_id IN (SELECT child_id FROM cla WHERE cla_end IS NULL AND NOT list_contains(_invalid, 'cla_end'))
        """),
    TableCheck("placed-for-adoption-not-looked-after", ("adoption", "cla"),
               "Placed for adoption, not yet adopted, not in List 8", f"""
        SELECT 'adoption', _row, 'child_id', child_id,
               'this child in List 8, as placed for adoption on ' || {_d('placed_for_adoption')}
               || ' with no adoption order yet'
        FROM adoption WHERE placed_for_adoption IS NOT NULL AND adoption_order IS NULL
          AND no_longer_placed_decision IS NULL AND child_id IS NOT NULL
          AND NOT list_contains(_invalid, 'adoption_order')
          AND child_id NOT IN (SELECT child_id FROM cla WHERE child_id IS NOT NULL)"""),
    TableCheck("adopter-family-not-in-adoption-list", ("adopters", "adoption"),
               "Matched adopter's family identifier not in List 10", """
        SELECT 'adopters', _row, 'family_id', family_id, 'a child with this family identifier in List 10'
        FROM adopters WHERE matched IS NOT NULL AND family_id IS NOT NULL
          AND family_id NOT IN (SELECT family_id FROM adoption WHERE family_id IS NOT NULL)"""),
    TableCheck("adoption-family-not-in-adopters-list", ("adoption", "adopters"),
               "Matched child's family identifier not in List 11", """
        SELECT 'adoption', _row, 'family_id', family_id, 'an adopter with this family identifier in List 11'
        FROM adoption WHERE matched IS NOT NULL AND family_id IS NOT NULL
          AND family_id NOT IN (SELECT family_id FROM adopters WHERE family_id IS NOT NULL)"""),
)

DUPLICATE_KEYS: dict[str, tuple[str, ...]] = {
    "referrals": ("child_id", "referral_date"),
    "assessments": ("child_id", "assessment_start"),
    "s47": ("child_id", "s47_start"),
    "cin": ("child_id", "cin_start"),
    "cp": ("child_id", "cpp_start"),
    "cla": ("child_id",),
    "care_leavers": ("child_id",),
    "adoption": ("child_id",),
    "adopters": ("adopter_id",),
}

DEMOGRAPHIC_TABLES = ("contacts", "early_help", "referrals", "assessments", "s47", "cin", "cp", "cla",
                      "care_leavers", "adoption")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _duplicate_sql(table: str, columns: list[str]) -> list[tuple[str, str]]:
    """(rule, sql) for exact duplicate rows and duplicate keys in one table.

    Rows are compared by a 64-bit hash of their values (one GROUP BY, no sort); only the rows of
    duplicated groups are joined back, so a clean table costs one pass.
    """
    cols = ", ".join(_quote(c) for c in columns)
    out = [("duplicate-row", f"""
        WITH h AS (SELECT _row, hash({cols}) AS h FROM {table}),
        d AS (SELECT h, min(_row) AS first_row FROM h GROUP BY h HAVING count(*) > 1)
        SELECT '{table}', _row, NULL, 'same as row ' || first_row, 'a row different from row ' || first_row
        FROM h JOIN d USING (h) WHERE _row <> first_row""")]
    key = DUPLICATE_KEYS.get(table)
    if key:
        kcols = ", ".join(key)
        not_null = " AND ".join(f"{k} IS NOT NULL" for k in key)
        shown = " || ' / ' || ".join(
            f"coalesce(strftime({k}, '%d/%m/%Y'), '')" if k.endswith(("_date", "_start")) else k for k in key)
        desc = " and ".join(key)
        out.append(("duplicate-key", f"""
            WITH h AS (SELECT _row, {kcols}, hash({kcols}) AS k, hash({cols}) AS h FROM {table} WHERE {not_null}),
            d AS (SELECT k, min(_row) AS first_row FROM h GROUP BY k HAVING count(*) > 1),
            firsts AS (SELECT min(_row) AS _row FROM h WHERE k IN (SELECT k FROM d) GROUP BY h)
            SELECT '{table}', _row, '{key[0]}', {shown}, 'one row per {desc}; this is also on row ' || first_row
            FROM h JOIN d USING (k) WHERE _row <> first_row AND _row IN (SELECT _row FROM firsts)"""))
    return out


def _demographic_candidates(tables: dict[str, pa.Table], present: list[str], columns: list[str]) -> pa.Table | None:
    """Rows of children recorded with more than one value of any of ``columns`` across lists.

    One Arrow hash aggregation over every list finds those children; the usual answer is none,
    and then no SQL runs at all.
    """
    parts = []
    for pos, name in enumerate(present):
        t = tables[name]
        n = t.num_rows
        parts.append(pa.table({"tbl": pa.repeat(pa.scalar(name), n), "pos": pa.repeat(pa.scalar(pos, pa.int64()), n),
                               "_row": t["_row"], "child_id": t["child_id"],
                               **{c: t[c].cast(pa.string()) for c in columns}}))
    allrows = pa.concat_tables(parts).filter(pc.is_valid(pc.field("child_id")))
    agg = allrows.group_by("child_id").aggregate([(c, "min_max") for c in columns])
    mixed = None
    for c in columns:
        mm = agg[f"{c}_min_max"]
        differs = pc.fill_null(pc.not_equal(pc.struct_field(mm, "min"), pc.struct_field(mm, "max")), False)
        mixed = differs if mixed is None else pc.or_(mixed, differs)
    children = agg["child_id"].filter(mixed)
    if not len(children):
        return None
    return allrows.filter(pc.is_in(allrows["child_id"], value_set=children.combine_chunks()))


def _demographic_sql(column: str, label: str, is_date: bool) -> str:
    """Rows (of the candidates table ``_demo``) whose value differs from the child's most common value."""
    show = f"strftime(CAST({column} AS DATE), '%d/%m/%Y')" if is_date else column
    return f"""
        WITH a AS (SELECT tbl, pos, _row, child_id, {column} AS v, {show} AS shown FROM _demo),
        m AS (SELECT child_id, v, count(*) AS n, min(pos) AS pos, any_value(shown) AS shown
              FROM a WHERE v IS NOT NULL GROUP BY child_id, v),
        best AS (SELECT child_id, v, shown FROM m
                 QUALIFY row_number() OVER (PARTITION BY child_id ORDER BY n DESC, pos, v) = 1)
        SELECT a.tbl, a._row, '{column}', a.shown,
               '{label} ' || best.shown || ', as for this child elsewhere in the lists'
        FROM a JOIN best USING (child_id) WHERE a.v IS NOT NULL AND a.v <> best.v"""


def _arrow(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """Query result as an Arrow table (the method's name differs between DuckDB 1.x and 2.x)."""
    rel = con.sql(sql)
    fetch = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
    found = fetch()
    return found.read_all() if isinstance(found, pa.RecordBatchReader) else found


def state_log_add(log: ProblemLog, state: ListState, key: str | None, part: pa.Table, rule: str) -> None:
    log.add(list_number=state.spec.number, table=state.spec.table, sheet=state.raw.sheet, rows=part["row"],
            column=state.header(key) if key else None, key=key,
            values=pc.fill_null(part["value"].cast(pa.string()), ""), expected=part["expected"], rule=rule,
            severity="warning", position=state.position(key))


def run_table_checks(tables: dict[str, pa.Table], states: dict[str, ListState], as_at: date,
                     schema_version: str, log: ProblemLog) -> None:
    """All warnings from duplicate, within-list and cross-list checks."""
    gender = "sex" if schema_version >= "2026" else "gender"
    ws = months_before(as_at, WINDOW_MONTHS)
    subs = {"{WS}": f"DATE '{ws.isoformat()}'", "{ASAT}": f"DATE '{as_at.isoformat()}'", "{G}": gender}
    con = duckdb.connect()
    try:
        for name, table in tables.items():
            con.register(name, table)
        queries: list[tuple[str, str]] = []
        for name, table in tables.items():
            if table.num_rows > 1:
                queries.extend(_duplicate_sql(name, [c for c in table.column_names if not c.startswith("_")]))
        for check in CHECKS:
            if all(t in tables for t in check.needs):
                queries.append((check.rule, check.sql))
        present = [t for t in DEMOGRAPHIC_TABLES if t in tables]
        attributes = [("date_of_birth", "the date of birth", True), (gender, f"the {gender}", False),
                      ("ethnicity", "the ethnicity", False)]
        demo = _demographic_candidates(tables, present, [a[0] for a in attributes]) if present else None
        if demo is not None:
            con.register("_demo", demo)
            for column, label, is_date in attributes:
                queries.append((f"inconsistent-{column.replace('_', '-')}", _demographic_sql(column, label, is_date)))
        # One UNION ALL of every check: DuckDB plans and runs them together, not fifty small queries.
        wanted = queries
        if not wanted:
            return
        union = " UNION ALL ".join(
            f"SELECT '{rule}' AS rule, CAST(c0 AS VARCHAR) AS tbl, CAST(c1 AS BIGINT) AS row, "
            f"CAST(c2 AS VARCHAR) AS key, CAST(c3 AS VARCHAR) AS value, CAST(c4 AS VARCHAR) AS expected "
            f"FROM ({sql}) AS q{i}(c0, c1, c2, c3, c4)"
            for i, (rule, sql) in enumerate(wanted))
        for key_, value in subs.items():
            union = union.replace(key_, value)
        found = _arrow(con, union)
        if not found.num_rows:
            return
        groups = found.group_by(["rule", "tbl", "key"], use_threads=False).aggregate([]).to_pylist()
        for g in groups:
            mask = pc.and_(pc.equal(found["rule"], g["rule"]), pc.equal(found["tbl"], g["tbl"]))
            mask = pc.and_(mask, pc.is_null(found["key"]) if g["key"] is None else pc.equal(found["key"], g["key"]))
            part = found.filter(mask) if len(groups) > 1 else found
            state_log_add(log, states[g["tbl"]], g["key"], part, g["rule"])
    finally:
        con.close()
