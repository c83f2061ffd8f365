"""A pool of three small synthetic London councils: loaded, pseudonymised, counted per council and
benchmarked against the pool, the region and each council's statistical neighbours.

The worked example (as at 31/01/2020, seeds 11, 12 and 13 of the synthetic generator):

    re-referrals within 12 months (lower is better), January 2020
      Camden     (202)  0 of  8 =  0.0 %
      Greenwich  (203)  4 of 14 = 28.6 %
      Hackney    (204)  2 of  5 = 40.0 %
    pool = (0 + 4 + 2) / (8 + 14 + 5) = 6 / 27 = 22.2 %

Ranks, best (lowest) first: Camden 1, Greenwich 2, Hackney 3. Quartiles of 0.0, 28.6, 40.0 (R's
type 7): 25 % = 0 + 0.5 × 28.6 = 14.3, median 28.6, 75 % = 28.6 + 0.5 × 11.4 = 34.3. Lower is
better, so Camden (≤ 14.3) is A, Greenwich (≤ the median) B and Hackney (> 34.3) D — of three
distinct values none is ever C. Camden's statistical neighbours include Greenwich but not
Hackney, so among its neighbours in the pool it is 1 of 2 and their value is Greenwich's 28.6 %;
Greenwich's ten neighbours include neither of the others: a group of one, ranked but not banded.
"""

from __future__ import annotations

import datetime as dt
import json

import pyarrow.parquet as pq
import pytest

from oversight.engine import annex_a
from oversight.engine.indicators import run_catalogue
from oversight.engine.pools.councils import load_councils, read_neighbours_file
from oversight.engine.pools.indicators import benchmark, run_pool
from oversight.engine.pools.load import PoolError, load_pool, pool_secret
from oversight.engine.synth import generate_annex_a

R = dt.date(2020, 1, 31)
SECRET = b"pool-secret-for-tests-0123456789"
FILES = (("202_camden.xlsx", 11, 0.05), ("203_greenwich.xlsx", 12, 0.08), ("Hackney.xlsx", 13, 0.04))


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("councils")
    for name, seed, scale in FILES:
        generate_annex_a(root / name, R, seed=seed, scale=scale)
    (root / "Atlantis.xlsx").write_bytes(b"not a workbook")  # names no council
    (root / "206_islington.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")  # a council, unreadable
    return root


@pytest.fixture(scope="module")
def pool(sources, tmp_path_factory):
    out = tmp_path_factory.mktemp("pool") / "london"
    return load_pool(sources, out, R, name="london", secret=SECRET)


@pytest.fixture(scope="module")
def result(pool):
    return run_pool(pool.path)


def test_each_council_is_named_by_its_file_and_a_refused_file_does_not_stop_the_others(pool):
    assert [(c.la_code, c.name, c.source) for c in pool.loaded] == [
        ("202", "Camden", "202_camden.xlsx"), ("203", "Greenwich", "203_greenwich.xlsx"),
        ("204", "Hackney", "Hackney.xlsx")]
    refused = {r.source: r.reason for r in pool.refused}
    assert set(refused) == {"Atlantis.xlsx", "206_islington.xlsx"}
    assert "does not name a council" in refused["Atlantis.xlsx"]
    assert refused["206_islington.xlsx"].startswith("206_islington.xlsx")
    manifest = json.loads((pool.path / "pool.json").read_text())
    assert manifest["as_at"] == "2020-01-31" and manifest["pseudonymised"] is True
    assert [c["la_code"] for c in manifest["councils"]] == ["202", "203", "204"]


def test_the_pool_is_one_parquet_dataset_per_list_partitioned_by_council(pool):
    assert sorted(p.name for p in (pool.path / "cla").iterdir()) == ["la_code=202", "la_code=203", "la_code=204"]


def test_no_raw_id_full_date_of_birth_or_full_postcode_reaches_the_pooled_parquet(sources, pool):
    raw_ids, raw_dobs, raw_postcodes = set(), set(), set()
    for name, _, _ in FILES:
        for t in annex_a.read_annex_a(sources / name, R).tables.values():
            for col in ("child_id", "adopter_id", "family_id"):
                if col in t.column_names:
                    raw_ids |= {str(v) for v in t.column(col).to_pylist() if v}
            if "date_of_birth" in t.column_names:
                raw_dobs |= {d for d in t.column("date_of_birth").to_pylist() if d and d.day != 1}
            if "placement_postcode" in t.column_names:
                raw_postcodes |= {v for v in t.column("placement_postcode").to_pylist() if v and " " in v}
    assert raw_ids and raw_dobs and raw_postcodes
    files = list(pool.path.rglob("*.parquet"))
    blob = b"".join(f.read_bytes() for f in files) + (pool.path / "pool.json").read_bytes()
    assert SECRET not in blob
    for f in files:
        t = pq.read_table(f)
        for col in ("child_id", "adopter_id", "family_id"):
            if col in t.column_names:
                assert not raw_ids & {str(v) for v in t.column(col).to_pylist()}, (f, col)
        if "date_of_birth" in t.column_names:
            assert not raw_dobs & set(t.column("date_of_birth").to_pylist()), f
            assert all(d is None or d.day == 1 for d in t.column("date_of_birth").to_pylist())
        if "placement_postcode" in t.column_names:
            assert all(v is None or " " not in v for v in t.column("placement_postcode").to_pylist())
    assert not any(p.encode() in blob for p in raw_postcodes)


def test_the_pooled_figure_is_the_sum_of_the_councils_and_each_council_gets_its_own_teams(result):
    pooled = result.pooled["rereferrals_12m_pct"].point("2020-01")
    mine = [result.by_council[c]["rereferrals_12m_pct"].point("2020-01") for c in ("202", "203", "204")]
    assert [(p.numerator, p.denominator) for p in mine] == [(0, 8), (4, 14), (2, 5)]
    assert (pooled.numerator, pooled.denominator, pooled.value) == (6, 27, 22.2)
    assert result.by_council["202"]["referrals"].by_team  # teams per council
    assert result.pooled["referrals"].by_team is None  # the pool has no teams of its own


def test_a_council_in_a_pool_gets_the_same_figures_as_its_own_partition_run_alone(pool, result):
    alone = run_catalogue({d.name: d / "la_code=204" / "part-0.parquet" for d in pool.path.iterdir()
                           if (d / "la_code=204").is_dir()}, R)
    assert alone.as_json() == result.by_council["204"].as_json()


def test_ranks_and_quartile_bands_against_the_pool_region_and_neighbours_as_worked_by_hand(result):
    b = benchmark(result, load_councils())["rereferrals_12m_pct"]
    got = {c: (b[c].value, b[c].group("pool").rank, b[c].group("pool").band) for c in ("202", "203", "204")}
    assert got == {"202": (0.0, 1, "A"), "203": (28.6, 2, "B"), "204": (40.0, 3, "D")}
    assert b["202"].group("pool").value == 22.2
    assert b["202"].group("region").label == "London (3 in the pool)"
    assert b["202"].group("region").rank == 1 and b["202"].group("region").band == "A"
    nb = b["202"].group("neighbours")
    assert (nb.rank, nb.band, nb.of, nb.value) == (1, "A", 2, 28.6)
    lonely = b["203"].group("neighbours")
    assert (lonely.rank, lonely.band, lonely.of, lonely.value) == (1, None, 1, None)


def test_when_higher_is_better_the_bands_turn_round(result):
    # assessments within 45 working days: Camden 3/6 = 50.0, Greenwich 12/14 = 85.7, Hackney 3/5 = 60.0
    b = benchmark(result)["assessments_45wd_pct"]
    assert {c: (b[c].value, b[c].group("pool").rank, b[c].group("pool").band) for c in b} == {
        "202": (50.0, 3, "D"), "203": (85.7, 1, "A"), "204": (60.0, 2, "C")}


def test_a_count_is_ranked_for_reference_but_never_banded(result):
    b = benchmark(result)["referrals"]
    assert [(b[c].value, b[c].group("pool").rank, b[c].group("pool").band) for c in ("202", "203", "204")] == [
        (8, 2, None), (14, 1, None), (5, 3, None)]
    assert b["202"].group("pool").value == 9.0  # mean per council: (8 + 14 + 5) / 3


def test_a_pool_cannot_be_loaded_without_a_secret_nor_with_one_kept_inside_it(sources, tmp_path, monkeypatch):
    monkeypatch.delenv("OVERSIGHT_POOL_SECRET", raising=False)
    with pytest.raises(PoolError, match="no pool secret"):
        pool_secret(None)
    inside = tmp_path / "pool" / "secret.txt"
    inside.parent.mkdir()
    inside.write_text("x" * 32)
    with pytest.raises(PoolError, match="must not be kept inside the pool folder"):
        pool_secret(inside, tmp_path / "pool")
    with pytest.raises(PoolError, match="as at 2020-01-31, not 2020-02-29"):
        load_pool(sources, tmp_path / "again", R, secret=SECRET)  # a first load, then another date
        load_pool(sources, tmp_path / "again", dt.date(2020, 2, 29), secret=SECRET)


def test_the_shipped_table_has_153_councils_each_with_ten_neighbours_that_exist():
    table = load_councils()
    current = table.current()
    assert len(current) == 153
    assert table.find("Camden").la_code == "202" and table.find("E09000007").la_code == "202"
    assert table.from_filename("358 Trafford extract.xlsx").name == "Trafford"
    for c in current:
        assert all(n in table for n in c.neighbours) and c.la_code not in c.neighbours
        assert len(c.neighbours) in (0, 10)
    # Trafford's ten, as the DfE lists them (and an independent copy agrees)
    assert {table[n].name for n in table["358"].neighbours} == {
        "Bracknell Forest", "Bromley", "Buckinghamshire", "Central Bedfordshire", "Cheshire East", "Hampshire",
        "Hertfordshire", "Solihull", "Stockport", "York"}


def test_neighbour_lists_in_the_dfe_tools_layout_replace_the_shipped_ones(tmp_path):
    f = tmp_path / "sn.csv"
    f.write_text("Statistical neighbours\nLA number,LA name,SN1,SN2\n942,Cumberland,Barnsley,Rotherham\n")
    lists = read_neighbours_file(f)
    assert lists == {"942": ("370", "372")}
    assert load_councils().with_neighbours(lists)["942"].neighbours == ("370", "372")
