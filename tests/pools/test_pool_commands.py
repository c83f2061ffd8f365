"""`oversight pool load|indicators|benchmarks`, `oversight councils`, and a pool's benchmarks on a
council's scorecard (the national, regional and statistical-neighbour columns)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.engine.synth import generate_annex_a
from oversight.performance import services
from oversight.performance.models import Benchmark
from oversight.plans.periods import Period

R = dt.date(2020, 1, 31)
SECRET = "a-pool-secret-kept-elsewhere-0123"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("alliance")
    for name, seed in (("202_camden.xlsx", 21), ("203_greenwich.xlsx", 22), ("Hackney.xlsx", 23)):
        generate_annex_a(root / name, R, seed=seed, scale=0.03)
    return root


def _call(*args, **env) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def pool(db, folder, tmp_path, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_POOL_SECRET", SECRET)
    out = tmp_path / "london"
    _call("pool", "load", str(folder), "--as-at", "2020-01-31", "--name", "london", "--out", str(out))
    return out


def test_pool_load_reports_each_council_and_keeps_the_secret_out_of_the_pool(pool):
    manifest = json.loads((pool / "pool.json").read_text())
    assert manifest["name"] == "london" and manifest["pseudonymised"] is True
    assert [c["la_code"] for c in manifest["councils"]] == ["202", "203", "204"]
    assert not any(SECRET.encode() in f.read_bytes() for f in pool.rglob("*") if f.is_file())


def test_a_refused_council_is_listed_the_others_load_and_the_exit_code_is_1(db, folder, tmp_path, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_POOL_SECRET", SECRET)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "202_camden.xlsx").write_bytes((folder / "202_camden.xlsx").read_bytes())
    (mixed / "Narnia.xlsx").write_bytes(b"PK")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("pool", "load", str(mixed), "--as-at", "2020-01-31", "--out", str(tmp_path / "p"),
                     stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert "Refused Narnia.xlsx: the file name does not name a council" in err.getvalue()
    assert (tmp_path / "p" / "contacts" / "la_code=202").is_dir()


def test_usage_errors_exit_2_with_one_line(db, folder, tmp_path, monkeypatch):
    monkeypatch.delenv("OVERSIGHT_POOL_SECRET", raising=False)
    with pytest.raises(CommandError, match="no pool secret") as e:
        _call("pool", "load", str(folder), "--as-at", "2020-01-31", "--out", str(tmp_path / "p"))
    assert e.value.returncode == 2
    with pytest.raises(CommandError, match="no such folder") as e:
        _call("pool", "load", str(tmp_path / "nowhere"), "--as-at", "2020-01-31")
    assert e.value.returncode == 2
    with pytest.raises(CommandError, match="not a pool folder") as e:
        _call("pool", "indicators", str(tmp_path))
    assert e.value.returncode == 2


def test_pool_indicators_prints_the_pool_each_council_and_their_benchmarks(pool):
    doc = json.loads(_call("pool", "indicators", str(pool), "--format", "json")[0])
    assert doc["pool"] == "london" and doc["as_at"] == "2020-01-31"
    assert sorted(doc["councils"]) == ["202", "203", "204"]
    pooled = {i["id"]: i for i in doc["pooled"]["indicators"]}["referrals"]["series"][-1]["value"]
    per = [{i["id"]: i for i in doc["councils"][c]["indicators"]}["referrals"]["series"][-1]["value"]
           for c in ("202", "203", "204")]
    assert pooled == sum(per)
    b = doc["benchmarks"]["referrals_nfa_pct"]["202"]
    assert set(b) >= {"value", "pool", "region", "neighbours"} and b["pool"]["of"] <= 3


def test_a_pools_benchmarks_appear_on_the_councils_scorecard_with_their_source(pool):
    doc = json.loads(_call("pool", "indicators", str(pool), "--council", "202")[0])
    services.store_result(doc["councils"]["202"] | {"as_at": doc["as_at"], "calendar": "", "settings": {}},
                          source="202_camden.xlsx")  # Camden's own figures, as its scorecard has them
    _out, err = _call("pool", "benchmarks", str(pool), "--council", "Camden", "--store")
    assert "source: pool london as at 2020-01-31" in err
    row = services.rows_for(None, Period(R), ["rereferrals_12m_pct"])["rereferrals_12m_pct"]
    mine = doc["benchmarks"]["rereferrals_12m_pct"]["202"]
    assert row.benchmarks["national"].value == mine["pool"]["value"]
    assert row.benchmarks["regional"].value == mine["region"]["value"]
    assert row.benchmarks["regional"].quartile == (mine["region"]["band"] or "")
    assert row.benchmarks["national"].source == "pool london as at 2020-01-31"
    assert row.benchmark_cells[0].endswith("(2020-01-31)")
    # loading the same pool's benchmarks again replaces them
    _call("pool", "benchmarks", str(pool), "--council", "202", "--store")
    assert Benchmark.objects.filter(indicator="rereferrals_12m_pct", level="national").count() == 1


def test_councils_show_lists_a_councils_statistical_neighbours(db):
    out, _ = _call("councils", "show", "Camden")
    assert out.splitlines()[0] == "202 Camden (E09000007), London"
    assert "  203 Greenwich, London" in out.splitlines()
    out, _ = _call("councils", "show", "942")
    assert "load them with `oversight councils load-neighbours FILE`" in out


def test_councils_load_neighbours_lays_the_dfe_lists_over_the_shipped_ones(db, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    f = tmp_path / "sn.csv"
    f.write_text("LA number,LA name,SN1,SN2,SN3\n943,Westmorland and Furness,Cumberland,Northumberland,Durham\n")
    _call("councils", "load-neighbours", str(f))
    out, _ = _call("councils", "show", "943")
    assert "  942 Cumberland, North West" in out and "  929 Northumberland, North East" in out
    f.write_text("LA number,SN1\n943,Atlantis\n")
    with pytest.raises(CommandError, match="'Atlantis' is not a council") as e:
        _call("councils", "load-neighbours", str(f))
    assert e.value.returncode == 2
