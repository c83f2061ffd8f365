"""Stored datasets: one immutable folder of Parquet files per upload, found again on re-upload."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pyarrow.parquet as pq

from oversight.engine.annex_a import open_dataset, read_annex_a, write_dataset
from oversight.engine.annex_a.testing import AS_AT, default_lists, row, write_workbook


def test_a_dataset_holds_one_parquet_file_per_list_a_manifest_and_the_problems(tmp_path):
    result = read_annex_a(write_workbook(tmp_path / "a.xlsx"), AS_AT)
    info = write_dataset(result, tmp_path / "datasets")
    assert info.already_existed is False
    assert info.path == tmp_path / "datasets" / f"2024-01-31-{result.sha256[:16]}"
    assert sorted(p.name for p in info.path.iterdir()) == sorted(
        [f"{t}.parquet" for t in result.tables] + ["manifest.json", "problems.parquet"])
    manifest = json.loads((info.path / "manifest.json").read_text())
    assert manifest["as_at"] == "2024-01-31"
    assert manifest["sha256"] == result.sha256
    assert manifest["source_name"] == "a.xlsx"
    assert manifest["schema_version"] == "2024"
    assert manifest["row_counts"]["cin"] == 2
    assert manifest["tables"]["cp"] == {"file": "cp.parquet", "rows": 1, "sheet": "List 7", "list_number": 7}
    assert manifest["data_quality"]["errors"] == 0


def test_the_parquet_files_can_be_queried_as_views_named_after_their_tables(tmp_path):
    lists = default_lists([1])
    lists[1].append(row(1, child_id="C2", contact_date="soon"))
    info = write_dataset(read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), AS_AT), tmp_path / "d")
    con = duckdb.connect()
    for name, path in info.tables.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    got = con.execute("SELECT child_id, contact_date, _row, _invalid FROM contacts ORDER BY _row").fetchall()
    assert got == [("C1", date(2023, 10, 2), 2, []), ("C2", None, 3, ["contact_date"])]


def test_storing_the_same_file_for_the_same_date_again_returns_the_existing_dataset(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    first = write_dataset(read_annex_a(path, AS_AT), tmp_path / "d")
    again = write_dataset(read_annex_a(path, AS_AT), tmp_path / "d")
    assert again.already_existed is True
    assert again.path == first.path
    assert len([p for p in (tmp_path / "d").iterdir()]) == 1


def test_the_same_file_for_another_as_at_date_is_another_dataset(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    a = write_dataset(read_annex_a(path, AS_AT), tmp_path / "d")
    b = write_dataset(read_annex_a(path, date(2024, 2, 29)), tmp_path / "d")
    assert a.id != b.id and not b.already_existed


def test_stored_files_are_read_only_and_no_temporary_folder_is_left(tmp_path):
    info = write_dataset(read_annex_a(write_workbook(tmp_path / "a.xlsx"), AS_AT), tmp_path / "d")
    assert all(not (p.stat().st_mode & 0o222) for p in info.path.iterdir())
    assert [p.name for p in (tmp_path / "d").iterdir()] == [info.id]


def test_opening_a_dataset_gives_its_manifest_tables_and_problems(tmp_path):
    lists = {8: [row(8, placement_postcode="nope")]}
    info = write_dataset(read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), AS_AT), tmp_path / "d")
    opened = open_dataset(info.path)
    assert opened.manifest == info.manifest
    assert set(opened.tables) == {"cla"}
    problems = opened.problems()
    assert [p.rule for p in problems if p.severity == "error"] == ["postcode-invalid"]
    assert pq.read_table(opened.tables["cla"]).column("placement_postcode").to_pylist() == [None]
