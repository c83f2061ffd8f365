"""Pseudonymisation before pooling: no raw ID, full date of birth or full postcode leaves a council."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from oversight.engine import annex_a
from oversight.engine.indicators import run_catalogue
from oversight.engine.pools.pseudonymise import (
    PseudonymiseError,
    postcode_district,
    pseudonym,
    pseudonymise_table,
    write_council,
)
from oversight.engine.synth import generate_annex_a

R = dt.date(2020, 1, 31)
SECRET = "pool-secret-for-tests-0123456789"


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    root = tmp_path_factory.mktemp("council")
    generate_annex_a(root / "annex-a.xlsx", R, seed=6, scale=0.05)
    info = annex_a.write_dataset(annex_a.read_annex_a(root / "annex-a.xlsx", R), root / "dataset")
    return {name: pq.read_table(path) for name, path in info.tables.items()}


def test_no_raw_id_full_date_of_birth_or_full_postcode_reaches_the_pooled_parquet(council, tmp_path):
    raw_ids = {str(v) for t in council.values() for c in ("child_id", "adopter_id", "family_id")
               if c in t.column_names for v in t.column(c).to_pylist() if v}
    raw_postcodes = {v for v in council["cla"].column("placement_postcode").to_pylist() if v}
    assert raw_ids and raw_postcodes
    folders = write_council(tmp_path / "pool", "E09000001", council, SECRET)

    for name, folder in folders.items():
        pooled = pq.read_table(folder)
        blob = b"".join(p.read_bytes() for p in (tmp_path / "pool" / name).rglob("*.parquet"))
        for col in ("child_id", "adopter_id", "family_id"):
            if col in pooled.column_names:
                assert not raw_ids & {str(v) for v in pooled.column(col).to_pylist()}, (name, col)
        assert not any(i.encode() in blob for i in raw_ids if len(i) >= 5), name
        if "date_of_birth" in pooled.column_names:
            assert all(d is None or d.day == 1 for d in pooled.column("date_of_birth").to_pylist()), name
        if "placement_postcode" in pooled.column_names:
            kept = [v for v in pooled.column("placement_postcode").to_pylist() if v]
            assert kept and all(" " not in v and len(v) <= 4 for v in kept)
            assert not any(p.encode() in blob for p in raw_postcodes)
        assert SECRET.encode() not in blob
    assert pq.read_table(folders["cla"]).column("la_code").to_pylist()[0] == "E09000001"


def test_the_same_child_gets_the_same_pseudonym_in_every_list_and_another_council_a_different_one():
    assert pseudonym("123", "E09000001", SECRET) == pseudonym(" 123", "e09000001", SECRET)
    assert pseudonym("123", "E09000001", SECRET) != pseudonym("123", "E09000002", SECRET)
    assert pseudonym("123", "E09000001", SECRET) != pseudonym("123", "E09000001", SECRET + "x")


def test_a_short_or_missing_secret_is_refused():
    with pytest.raises(PseudonymiseError, match="at least 16 bytes"):
        pseudonym("123", "E09000001", "short")
    with pytest.raises(PseudonymiseError, match="no pool secret"):
        write_council("unused", "E09000001", {}, None)


def test_postcodes_keep_only_their_district_and_unrecognised_text_is_dropped():
    assert [postcode_district(v) for v in ["SW1A 1AA", "m1 1ae", "B33 8TH", "EC1A", "not a postcode", None]] == \
        ["SW1A", "M1", "B33", "EC1A", None, None]


def test_the_indicators_count_the_same_children_after_pseudonymisation(council, tmp_path):
    pooled = {name: pseudonymise_table(t, "E09000001", SECRET) for name, t in council.items()}
    before = run_catalogue(council, R)
    after = run_catalogue(pooled, R)
    # (not the under-16 test of cla_long_term_stability_pct: a birthday moved to the 1st can cross R)
    for ind in ("cla_open", "cpp_open", "cla_started", "cla_placed_out_pct", "contacts"):
        assert after[ind].series == before[ind].series, ind


def test_dates_of_birth_go_to_the_first_of_their_month():
    t = pa.table({"date_of_birth": pa.array([dt.date(2010, 5, 17), None], pa.date32())})
    assert pseudonymise_table(t, "E09000001", SECRET).column("date_of_birth").to_pylist() == [dt.date(2010, 5, 1), None]
