"""`oversight indicators`, `oversight targets-import` and `oversight benchmarks-import`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oversight.performance.models import Benchmark, IndicatorRun, Target


def _run(*args) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_indicators_on_a_dataset_folder_prints_the_contract_json(dataset, tmp_path):
    ds = dataset
    data = json.loads(_run("--annex-a", ds.path, "--format", "json"))
    assert data["as_at"] == "2020-01-31"  # from the manifest
    got = {i["id"]: i for i in data["indicators"]}
    assert len(got) == 35
    assert got["assessments_45wd_pct"]["series"][-1] == {"month": "2020-01", "numerator": 2, "denominator": 3,
                                                         "value": 66.7}
    assert "Assessment Team 1" in got["assessments_45wd_pct"]["by_team"]
    assert "by_worker" not in got["assessments_45wd_pct"]
    assert got["assessments_45wd_pct"]["data_quality"] == {"rows_excluded": 1}


def test_indicators_by_dataset_id_with_by_worker_and_store(dataset):
    data = json.loads(_run("--annex-a", "2020-01-31-test", "--by-worker", "--store"))
    ind = {i["id"]: i for i in data["indicators"]}["assessments_45wd_pct"]
    assert ind["by_worker"]["Ann Worker"][-1]["value"] == 50.0
    run = IndicatorRun.objects.get()
    assert run.dataset.dataset_id == "2020-01-31-test"
    assert run.values.filter(breakdown="worker").exists()


def test_indicators_as_csv_has_one_row_per_indicator_breakdown_and_month_with_workers(dataset, tmp_path):
    ds = dataset
    rows = list(csv.DictReader(io.StringIO(_run("--annex-a", ds.path, "--format", "csv"))))
    ann = [r for r in rows if r["indicator"] == "assessments_45wd_pct" and r["breakdown_value"] == "Ann Worker"]
    assert ann[-1] == {"indicator": "assessments_45wd_pct", "name": "Assessments completed within 45 working days (%)",
                       "unit": "percent", "polarity": "high", "period_type": "flow", "breakdown": "worker",
                       "breakdown_value": "Ann Worker", "month": "2020-01", "numerator": "1", "denominator": "2",
                       "value": "50.0"}


def test_a_calendar_file_changes_working_days(dataset, tmp_path):
    ds = dataset
    cal = tmp_path / "cal.yaml"
    cal.write_text("bank_holidays: false\n")
    data = json.loads(_run("--annex-a", ds.path, "--calendar", str(cal)))
    ind = {i["id"]: i for i in data["indicators"]}["assessments_45wd_pct"]
    assert ind["series"][-1]["value"] == 33.3  # 26 Nov -> 31 Jan is 48 weekdays: now late
    assert "no bank holidays" in data["calendar"]


def test_an_unknown_dataset_is_a_one_line_error_with_exit_status_2(db, tmp_path):
    with pytest.raises(CommandError, match="no such file, folder or stored dataset") as e:
        _run("--annex-a", str(tmp_path / "nope.xlsx"), "--as-at", "2020-01-31")
    assert e.value.returncode == 2


def test_a_workbook_needs_an_as_at_date(db, tmp_path):
    f = tmp_path / "a.xlsx"
    f.write_bytes(b"x")
    with pytest.raises(CommandError, match="--as-at is needed"):
        _run("--annex-a", str(f))


def test_targets_import_reads_minimum_upper_and_dated_targets(db, tmp_path):
    f = tmp_path / "targets.csv"
    f.write_text("indicator,minimum,upper,due,note\n"
                 "assessments_45wd_pct,60%,80%,,standing\n"
                 "icpc_15wd_pct,70,80,By Dec 2012,first milestone\n"
                 "icpc_15wd_pct,80,90,2013-07-31,\n")
    out = io.StringIO()
    call_command("targets_import", str(f), stdout=out)
    assert "3 added" in out.getvalue()
    dec = Target.objects.get(indicator="icpc_15wd_pct", label="By Dec 2012")
    assert (dec.minimum, dec.upper, str(dec.due)) == (70, 80, "2012-12-31")
    assert Target.objects.get(indicator="assessments_45wd_pct").upper == 80


def test_a_bad_target_row_imports_nothing_and_names_row_and_column(db, tmp_path):
    f = tmp_path / "targets.csv"
    f.write_text("indicator,minimum,upper\nassessments_45wd_pct,60,80\ncla_open_pct,1,2\n")
    with pytest.raises(CommandError, match=r"targets.csv, row 3, column indicator: unknown indicator 'cla_open_pct'"):
        call_command("targets_import", str(f))
    assert not Target.objects.exists()


def test_benchmarks_import_reads_dfe_columns_and_skips_suppressed_values(db, tmp_path):
    f = tmp_path / "c2.csv"
    f.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "new_la_code,la_name,indicator,value,quartile,rank\n"
        "201819,Reporting year,National,E92000001,England,,,,,assessments_45wd_pct,83.1,,\n"
        "201819,Reporting year,Regional,E92000001,England,E12000009,South West,,,assessments_45wd_pct,81.2,,\n"
        "201819,Reporting year,Local authority,E92000001,England,E12000009,South West,E06000027,Torbay,"
        "assessments_45wd_pct,70.4,D,140\n"
        "201819,Reporting year,Statistical neighbours,,,,,,Torbay neighbours,assessments_45wd_pct,80.0,,\n"
        "201819,Reporting year,Local authority,,,,,E06000001,Hartlepool,assessments_45wd_pct,c,,\n")
    out = io.StringIO()
    call_command("benchmarks_import", str(f), stdout=out)
    assert "4 added, 0 updated, 1 skipped" in out.getvalue()
    la = Benchmark.objects.get(level="la")
    assert (la.area_name, la.area_code, la.value, la.quartile, la.rank, la.year) == (
        "Torbay", "E06000027", 70.4, "D", 140, 2019)
    call_command("benchmarks_import", str(f), stdout=out)  # re-import updates, never duplicates
    assert Benchmark.objects.count() == 4


def test_benchmarks_from_a_dfe_file_without_an_indicator_column(db, tmp_path):
    f = tmp_path / "c1.csv"
    f.write_text("time_period,geographic_level,country_name,rereferral_percent\n202223,National,England,22.4\n")
    call_command("benchmarks_import", str(f), "--indicator", "rereferrals_12m_pct",
                 "--value-column", "rereferral_percent", stdout=io.StringIO())
    b = Benchmark.objects.get()
    assert (b.indicator, b.value, b.year, b.level) == ("rereferrals_12m_pct", 22.4, 2023, "national")


def test_a_benchmark_with_an_unknown_level_is_refused_with_the_row(db, tmp_path):
    f = tmp_path / "b.csv"
    f.write_text("time_period,geographic_level,indicator,value\n2023,Ward,cpp_open,4\n")
    with pytest.raises(CommandError, match="b.csv, row 2, column geographic_level: 'Ward'"):
        call_command("benchmarks_import", str(f))
