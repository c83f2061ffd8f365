"""The synthetic Annex A generator: what the demo, the tests and the benchmarks rely on.

Workbooks are generated once per module at small scales (0.05–0.2) and read back with
python-calamine, the reader the loader uses, so every assertion is about the file a user gets.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from oversight.engine.annex_a import read_annex_a
from oversight.engine.annex_a.schema import get_schema, header_keys, normalise_header
from oversight.engine.calendar import WorkingDayCalendar
from oversight.engine.indicators.testing import run
from oversight.engine.synth import Planted, SynthError, generate_annex_a, generate_rows
from oversight.engine.synth.dates import add_months, excel_serial

R = dt.date(2020, 1, 31)
W0 = add_months(R, -6)  # 31/07/2019: the six-month window of Lists 1–8 starts here
SCHEMA = get_schema()
SPECS = {s.number: s for s in SCHEMA.lists}
MONTHS = ["2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01"]
EXCEL_EPOCH = dt.date(1899, 12, 30)


def read(path: Path) -> dict[int, list[dict]]:
    """Sheet 'List n' → rows as dicts keyed by canonical column (columns in published order)."""
    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for n, spec in SPECS.items():
        rows = wb.get_sheet_by_name(f"List {n}").to_python()
        out[n] = [dict(zip(spec.keys, r, strict=False)) for r in rows[1:]]
    return out


def headers(path: Path) -> dict[int, list[str]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(f"List {n}").to_python()[0] for n in SPECS}


def _make(tmp_path_factory, name: str, **kw) -> tuple[Path, dict[str, int], list[Planted]]:
    path = tmp_path_factory.mktemp("synth") / f"{name}.xlsx"
    planted: list[Planted] = []
    args = {"as_at": R, "seed": 1, "scale": 0.2, **kw}
    counts = generate_annex_a(path, args.pop("as_at"), args.pop("seed"), args.pop("scale"), planted=planted, **args)
    return path, counts, planted


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return _make(tmp_path_factory, "clean")


@pytest.fixture(scope="module")
def clean_rows(clean):
    return read(clean[0])


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    return _make(tmp_path_factory, "messy", messy=True)


@pytest.fixture(scope="module")
def messy_rows(messy):
    return read(messy[0])


def _is_date_cell(v) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


# ------------------------------------------------------------------------------ determinism
def test_the_same_seed_and_arguments_give_the_same_file_byte_for_byte(clean, tmp_path):
    again = tmp_path / "again.xlsx"
    generate_annex_a(again, R, 1, 0.2)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(clean[0].read_bytes()).digest()


def test_a_different_seed_gives_different_children(clean_rows, tmp_path):
    other = tmp_path / "other.xlsx"
    generate_annex_a(other, R, 2, 0.2)
    rows = read(other)
    assert {r["child_id"] for r in rows[1]} != {r["child_id"] for r in clean_rows[1]}
    assert [r["contact_date"] for r in rows[1][:50]] != [r["contact_date"] for r in clean_rows[1][:50]]


# ------------------------------------------------------------------------------ the workbook
def test_every_list_is_a_sheet_named_list_n_with_the_published_headers_in_order(clean):
    wb = CalamineWorkbook.from_path(str(clean[0]))
    assert wb.sheet_names == [f"List {n}" for n in range(1, 12)]
    for n, got in headers(clean[0]).items():
        assert got == [c.header for c in SPECS[n].columns], f"List {n}"


def test_the_row_counts_returned_are_the_rows_in_each_sheet(clean, clean_rows):
    assert clean[1] == {SPECS[n].table: len(rows) for n, rows in clean_rows.items()}
    assert all(clean[1][t] > 0 for t in clean[1])


def test_picklist_cells_hold_the_published_text_and_dates_are_real_date_cells(clean_rows):
    for n, rows in clean_rows.items():
        for col in SPECS[n].columns:
            values = [r[col.key] for r in rows if r[col.key] != ""]
            if col.type == "code":
                published = {c.text for c in col.codes}
                assert set(values) <= published, f"List {n} {col.key}: {set(values) - published}"
            elif col.type == "date":
                assert all(_is_date_cell(v) for v in values), f"List {n} {col.key}"
            elif col.type == "int":
                assert all(isinstance(v, float) and v == int(v) and v >= 0 for v in values), f"List {n} {col.key}"


def test_workers_and_teams_are_invented_and_about_six_teams_share_the_work(clean_rows):
    teams = {r["allocated_team"] for n in (3, 4, 5, 6, 7, 8, 9) for r in clean_rows[n]}
    assert {"MASH", "Assessment Team 1", "Assessment Team 2", "Children in Care Team", "Leaving Care Team"} <= teams
    assert 6 <= len(teams) <= 8
    workers = {r["allocated_worker"] for n in (3, 4, 5, 6, 7, 8) for r in clean_rows[n]}
    assert all(len(w.split()) == 2 for w in workers)


# ------------------------------------------------------------------------------ windows and links
def test_contacts_and_referrals_fall_in_the_six_months_and_no_date_is_after_the_as_at_date(clean_rows):
    assert all(W0 <= r["contact_date"] <= R for r in clean_rows[1])
    assert all(W0 <= r["referral_date"] <= R for r in clean_rows[3])
    for n, rows in clean_rows.items():
        for col in SPECS[n].columns:
            if col.type == "date":
                assert all(r[col.key] == "" or r[col.key] <= R for r in rows), f"List {n} {col.key}"


def test_episodes_in_lists_4_to_8_were_open_at_some_time_in_the_window(clean_rows):
    assert all(r["assessment_authorised"] == "" or r["assessment_authorised"] >= W0 for r in clean_rows[4])
    assert all(r["s47_start"] >= W0 or (r["icpc_date"] != "" and r["icpc_date"] >= W0) for r in clean_rows[5])
    assert all(r["cin_closure"] == "" or r["cin_closure"] >= W0 for r in clean_rows[6])
    assert all(r["cpp_end"] == "" or r["cpp_end"] >= W0 for r in clean_rows[7])
    assert all(r["cla_end"] == "" or r["cla_end"] >= W0 for r in clean_rows[8])


def test_every_referral_has_a_contact_for_the_same_child_on_or_before_it(clean_rows):
    contacts = collections.defaultdict(list)
    for r in clean_rows[1]:
        contacts[r["child_id"]].append(r["contact_date"])
    for r in clean_rows[3]:
        assert any(d <= r["referral_date"] for d in contacts[r["child_id"]]), r


def test_every_cp_plan_started_in_the_window_has_an_s47_whose_icpc_is_on_or_before_the_start(clean_rows):
    s47 = collections.defaultdict(list)
    for r in clean_rows[5]:
        s47[r["child_id"]].append(r)
    started = [r for r in clean_rows[7] if r["cpp_start"] >= W0]
    assert started
    for plan in started:
        assert any(s["s47_start"] <= plan["cpp_start"] and s["icpc_date"] != "" and s["icpc_date"] <= plan["cpp_start"]
                   and s["icpc_cp_plan"] == "a) Yes" for s in s47[plan["child_id"]]), plan


def test_an_icpc_that_led_to_a_plan_has_that_plan_in_list_7(clean_rows):
    plans = {r["child_id"]: r["cpp_start"] for r in clean_rows[7]}
    for r in clean_rows[5]:
        if r["icpc_cp_plan"] == "a) Yes":
            assert plans.get(r["child_id"]) == r["icpc_date"]


def test_open_care_rows_have_no_end_or_reason_and_ended_rows_have_both(clean_rows):
    rows = clean_rows[8]
    assert any(r["cla_end"] == "" for r in rows) and any(r["cla_end"] != "" for r in rows)
    for r in rows:
        assert (r["cla_end"] == "") == (r["reason_ceased"] == ""), r
        assert r["cla_start"] <= r["placement_start"] and r["legal_status_start"] >= r["cla_start"]


def test_open_plans_and_children_in_care_appear_in_the_children_in_need_list_with_that_status(clean_rows):
    status = collections.defaultdict(set)
    for r in clean_rows[6]:
        status[r["child_id"]].add(r["case_status"])
    for r in clean_rows[7]:
        if r["cpp_end"] == "":
            assert status[r["child_id"]] & {"b) Child Protection plan", "a) Looked after child"}, r
    for r in clean_rows[8]:
        if r["cla_end"] == "":
            assert "a) Looked after child" in status[r["child_id"]], r


def test_a_closed_children_in_need_episode_has_a_reason_and_the_closed_status(clean_rows):
    for r in clean_rows[6]:
        assert (r["cin_closure"] != "") == (r["case_status"] == "e) Closed episode") == (r["closure_reason"] != "")


def test_referrals_in_the_last_12_months_count_the_referral_itself(clean_rows):
    by_child = collections.defaultdict(list)
    for r in clean_rows[3]:
        by_child[r["child_id"]].append(r)
    for rows in by_child.values():
        for r in rows:
            in_list = sum(1 for o in rows if o["referral_date"] <= r["referral_date"])
            assert r["referrals_last_12m"] >= in_list >= 1
    share = sum(r["referrals_last_12m"] >= 2 for r in clean_rows[3]) / len(clean_rows[3])
    assert 0.12 <= share <= 0.35  # England: about 22% of referrals are re-referrals


def test_adopters_share_the_family_identifier_of_the_children_matched_with_them(clean_rows):
    child_families = {r["family_id"] for r in clean_rows[10] if r["matched"] != ""}
    adopter_families = {r["family_id"] for r in clean_rows[11] if r["matched"] != ""}
    assert child_families and child_families == adopter_families
    for a in clean_rows[11]:
        if a["matched"] != "":
            kids = [c for c in clean_rows[10] if c["family_id"] == a["family_id"]]
            assert all(k["matched"] == a["matched"] for k in kids)


def test_adoption_dates_run_in_order_so_a1_and_a2_can_be_measured(clean_rows):
    adopted = [r for r in clean_rows[10] if r["adoption_order"] != ""]
    assert adopted
    for r in adopted:
        assert r["entered_care"] <= r["adm_decision"] <= r["placed_for_adoption"] <= r["adoption_order"]
        assert r["placement_order"] != "" and r["matched"] <= r["placed_for_adoption"]
    mean_a1 = sum((r["placed_for_adoption"] - r["entered_care"]).days for r in adopted) / len(adopted)
    assert 250 <= mean_a1 <= 800


def test_care_leavers_who_have_left_care_are_not_still_looked_after(clean_rows):
    in_care = {r["child_id"] for r in clean_rows[8] if r["cla_end"] == ""}
    for r in clean_rows[9]:
        if r["eligibility"] in ("a) Relevant child", "b) Former relevant child"):
            assert r["child_id"] not in in_care


# ------------------------------------------------------------------------------ volumes and realism
def test_volumes_grow_roughly_linearly_with_scale(clean, tmp_path):
    small = generate_annex_a(tmp_path / "small.xlsx", R, 1, 0.05)
    for table in ("contacts", "referrals", "assessments", "cin", "early_help"):
        assert 3.0 <= clean[1][table] / small[table] <= 5.5, table


def test_a_scale_0_2_council_has_realistic_monthly_volumes(clean_rows):
    # Scale 1 ≈ 35,000 children: ~1,700 contacts and ~160 referrals a month, ~150 CP plans, ~245 CLA.
    per_month = collections.Counter(r["contact_date"].strftime("%Y-%m") for r in clean_rows[1])
    assert all(250 <= per_month[m] <= 450 for m in MONTHS)
    referrals = collections.Counter(r["referral_date"].strftime("%Y-%m") for r in clean_rows[3])
    assert all(15 <= referrals[m] <= 50 for m in MONTHS)
    assert 18 <= sum(r["cpp_end"] == "" for r in clean_rows[7]) <= 50
    assert 30 <= sum(r["cla_end"] == "" for r in clean_rows[8]) <= 80
    assert 15 <= len(clean_rows[9]) <= 60


def test_some_work_is_late_as_in_any_real_council(clean_rows):
    cal = WorkingDayCalendar.default()
    done = [r for r in clean_rows[4] if r["assessment_authorised"] != ""]
    within = sum(cal.working_days_between(r["assessment_start"], r["assessment_authorised"]) <= 45 for r in done)
    assert 0.65 <= within / len(done) <= 0.95
    open_cla = [r for r in clean_rows[8] if r["cla_end"] == ""]
    assert any(r["last_visit"] == "" or (R - r["last_visit"]).days > 42 for r in open_cla)
    assert any(r["date_of_birth"] == "" or r["latest_review"] == "" for n in (7, 8) for r in clean_rows[n])


def test_every_indicator_has_data_in_every_reported_month(tmp_path):
    """Flow and snapshot indicators need a denominator in all six months; extract ones at R;
    no percentage may be 0% or 100% over the whole period (the data must exercise it)."""
    tables = collections.defaultdict(list)
    for n, row in generate_rows(R, 1, 0.2):
        tables[SPECS[n].table].append(row)
    result = run(tmp_path, tables, R)
    assert len(result) == 35
    for iid, ind in result.items():
        series = ind["series"]
        assert [p["month"] for p in series] in (MONTHS, MONTHS[-1:]), iid
        if ind["unit"] == "count":
            assert all(p["value"] > 0 for p in series), (iid, series)
        else:
            assert all(p["denominator"] > 0 for p in series), (iid, series)
            n, d = sum(p["numerator"] for p in series), sum(p["denominator"] for p in series)
            assert ind["unit"] == "days" or 0 < n < d, (iid, series)


# ------------------------------------------------------------------------------ --messy
def test_messy_dates_come_as_date_cells_day_month_year_text_iso_text_and_serial_numbers(messy_rows):
    seen = set()
    for n, rows in messy_rows.items():
        for col in SPECS[n].columns:
            if col.type != "date":
                continue
            for r in rows:
                v = r[col.key]
                if _is_date_cell(v):
                    seen.add("date")
                elif isinstance(v, float):
                    seen.add("serial")
                    assert 20_000 < v < excel_serial(R) + 1
                elif isinstance(v, str) and len(v) == 10 and v[2] == "/" and v[5] == "/":
                    seen.add("dd/mm/yyyy")
                elif isinstance(v, str) and len(v) == 10 and v[4] == "-":
                    seen.add("iso")
    assert seen == {"date", "serial", "dd/mm/yyyy", "iso"}


def test_messy_codes_come_with_and_without_their_letter_prefix(messy_rows):
    gender = {r["gender"] for n in range(1, 11) for r in messy_rows[n]}
    assert "a) Male" in gender and "Male" in gender
    types = {r["placement_type"] for r in messy_rows[8]} | {r["ethnicity"] for r in messy_rows[1]}
    assert any(len(t) <= 4 and ")" not in t for t in types)  # a bare code such as U6 or WBRI


def test_messy_headers_vary_yet_each_still_names_its_published_column(messy):
    got = headers(messy[0])
    changed = 0
    for n, spec in SPECS.items():
        for col, h in zip(spec.columns, got[n], strict=True):
            assert normalise_header(h) in header_keys(col), (n, h)
            changed += h != col.header
    assert changed >= 2 * len(SPECS)
    assert "Date of Referral" in got[3] and any(h.endswith("(Y/N))") for h in got[8])
    assert any("\u00a0" in h for hs in got.values() for h in hs)


def test_messy_has_fractional_ages_numeric_ids_and_non_breaking_spaces_in_names(messy_rows):
    ages = [r["age"] for n in range(1, 11) for r in messy_rows[n] if isinstance(r["age"], float)]
    assert any(a != int(a) for a in ages)
    assert any(isinstance(r["child_id"], float) for n in range(1, 11) for r in messy_rows[n])
    assert any("\u00a0" in str(r.get("allocated_worker", "")) for n in range(3, 10) for r in messy_rows[n])


def test_messy_plants_each_kind_of_problem_a_handful_of_times_per_list(messy, messy_rows):
    planted = messy[2]
    kinds = collections.Counter(p.kind for p in planted)
    assert set(kinds) == {"bad_date", "bad_code", "na", "future_date", "end_before_start", "duplicate"}
    per_list = collections.Counter(p.sheet for p in planted)
    assert set(per_list) == {f"List {n}" for n in SPECS} and max(per_list.values()) <= 6
    for p in planted:
        n = int(p.sheet.split()[1])
        row = messy_rows[n][p.row - 2]
        if p.kind == "duplicate":
            assert row == messy_rows[n][p.row - 3]
        elif p.kind in ("future_date", "end_before_start"):
            v = row[p.key]
            day = v if _is_date_cell(v) else EXCEL_EPOCH + dt.timedelta(days=int(v)) if isinstance(v, float) \
                else dt.date.fromisoformat(v) if "-" in v else dt.datetime.strptime(v, "%d/%m/%Y").date()
            assert str(day) == p.value
            assert day > R if p.kind == "future_date" else True
        else:
            assert str(row[p.key]) == p.value


def test_messy_describes_the_same_children_as_the_clean_workbook(clean, clean_rows, messy, messy_rows):
    duplicates = collections.Counter(p.sheet for p in messy[2] if p.kind == "duplicate")
    for n in SPECS:
        assert len(messy_rows[n]) == len(clean_rows[n]) + duplicates[f"List {n}"]
    ids = lambda rows: {str(int(r["child_id"])) if isinstance(r["child_id"], float) else r["child_id"]  # noqa: E731
                        for r in rows}
    assert ids(messy_rows[8]) == ids(clean_rows[8])


# ------------------------------------------------------------------------------ with the loader
def test_the_loader_finds_nothing_wrong_with_a_clean_workbook(clean):
    result = read_annex_a(clean[0], R)
    assert [p.as_dict() for p in result.problems] == []
    assert {t: tbl.num_rows for t, tbl in result.tables.items()} == clean[1]


def test_the_loader_reports_every_planted_problem_and_nothing_else(messy):
    result = read_annex_a(messy[0], R)
    found = {(p.sheet, p.row, p.key) for p in result.problems}
    for p in messy[2]:
        if p.kind == "duplicate":
            assert any(q.rule == "duplicate-row" and q.sheet == p.sheet and q.row in (p.row, p.row - 1)
                       for q in result.problems), p
        else:
            assert (p.sheet, p.row, p.key) in found, p
    places = {(p.sheet, p.row) for p in messy[2]} | {(p.sheet, p.row - 1) for p in messy[2]}
    assert all((q.sheet, q.row) in places for q in result.problems)
    assert result.errors


# ------------------------------------------------------------------------------ options and errors
def test_the_2026_schema_writes_sex_where_2024_has_gender(tmp_path):
    path = tmp_path / "2026.xlsx"
    generate_annex_a(path, R, 1, 0.05, schema_version="2026")
    got = headers(path)
    assert got[1][1] == "Sex" and "Gender" not in got[1]


@pytest.mark.parametrize("scale", [0, -1, 101])
def test_a_scale_out_of_range_is_refused_with_a_clear_message(tmp_path, scale):
    with pytest.raises(SynthError, match="scale must be more than 0"):
        generate_annex_a(tmp_path / "x.xlsx", R, 1, scale)


def test_the_command_writes_the_workbook_and_prints_the_row_counts(tmp_path, capsys):
    from oversight.cli import main

    out, planted = tmp_path / "cmd.xlsx", tmp_path / "planted.json"
    code = main(["synth", "annex-a", "--out", str(out), "--as-at", "2020-01-31", "--seed", "4", "--scale", "0.05",
                 "--messy", "--planted", str(planted)])
    text = capsys.readouterr().out
    assert code == 0 and out.exists()
    assert "List 1 " in text and "Contacts" in text and "List 11" in text and "Planted problems" in text
    assert json.loads(planted.read_text())[0].keys() >= {"sheet", "row", "column", "kind", "value"}


@pytest.mark.parametrize("args, message", [
    (["--out", "x.xlsx", "--as-at", "2020-13-01"], "is not a date"),
    (["--out", "x.xlsx", "--as-at", "2020-01-31", "--scale", "0"], "out of range"),
    (["--as-at", "2020-01-31"], "required: --out"),
    (["--out", "/no/such/folder/x.xlsx", "--as-at", "2020-01-31"], "no such folder"),
])
def test_bad_arguments_give_one_line_and_exit_status_2(capsys, args, message):
    from oversight.cli import main

    code = main(["synth", "annex-a", *args])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err
