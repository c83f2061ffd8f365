"""``oversight annex-a check`` and ``oversight annex-a load``: output, exit codes, no tracebacks."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from oversight.cli import main
from oversight.datasets.models import Dataset, Upload
from oversight.engine.annex_a.testing import default_lists, row, write_workbook


@pytest.fixture(autouse=True)
def keep_test_connection_open(monkeypatch):
    """``run_from_argv`` closes every DB connection when a command ends; on PostgreSQL that would
    close the test's own transaction, so in-process runs keep it open."""
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["annex-a", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def messy(tmp_path):
    lists = default_lists()
    lists[6][0]["allocated_team"] = "#N/A"
    return write_workbook(tmp_path / "messy.xlsx", lists)


def test_check_of_a_clean_file_exits_0_and_says_no_problems(capsys, workbook):
    code, out, _ = run(capsys, "check", str(workbook), "--as-at", "2024-01-31")
    assert code == 0
    assert "No problems found." in out


def test_check_of_a_file_with_value_problems_exits_1_and_lists_them(capsys, messy):
    code, out, _ = run(capsys, "check", str(messy), "--as-at", "2024-01-31")
    assert code == 1
    assert "sheet 'List 6', row 2, column 'Allocated Team': found '#N/A'" in out


def test_check_without_as_at_infers_it_from_the_latest_event_date_and_says_so(capsys, workbook):
    code, out, err = run(capsys, "check", str(workbook))
    assert code == 0
    assert "As-at date not given: using 10/01/2024, the latest event date in the lists" in err
    assert "Give --as-at to set it." in err


def test_check_without_as_at_still_finds_dates_after_the_extract(capsys, tmp_path):
    """Today's date would hide them; the data's own date does not."""
    lists = default_lists()
    lists[7][0]["latest_review"] = lists[7][0]["last_visit"].replace(year=2030)  # one typo far in the future
    code, out, _ = run(capsys, "check", str(write_workbook(tmp_path / "typo.xlsx", lists)))
    assert code == 1 and "found '15/01/2030'" in out


def test_check_of_a_junk_file_exits_2_with_one_line_on_stderr_and_no_traceback(capsys, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(bytes(range(256)) * 8)
    code, out, err = run(capsys, "check", str(junk))
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "junk.xlsx: not a readable Excel workbook" in err
    assert "Traceback" not in err


def test_check_of_a_workbook_missing_a_required_column_exits_2_naming_it(capsys, tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", default_lists([3]), drop_columns={3: ["referral_date"]})
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert "sheet 'List 3'" in err and "'Date of referral'" in err


def test_strict_refuses_a_file_with_any_problem(capsys, messy):
    code, out, err = run(capsys, "check", str(messy), "--as-at", "2024-01-31", "--strict")
    assert code == 2
    assert "refused in strict mode" in err and "Allocated Team" in err


def test_check_can_print_json(capsys, messy):
    code, out, _ = run(capsys, "check", str(messy), "--as-at", "2024-01-31", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"]["errors"] == 1
    assert doc["problems"][0]["rule"] == "excel-error"


def test_check_can_write_the_report_as_excel(capsys, messy, tmp_path):
    out_file = tmp_path / "report.xlsx"
    code, out, _ = run(capsys, "check", str(messy), "--as-at", "2024-01-31", "--format", "xlsx", "-o", str(out_file))
    assert code == 1
    assert "Report written to" in out
    assert load_workbook(out_file).sheetnames == ["Summary", "Problems"]


def test_an_excel_report_needs_an_output_file(capsys, messy):
    code, _, err = run(capsys, "check", str(messy), "--format", "xlsx")
    assert code != 0
    assert "-o FILE" in err


@pytest.mark.django_db
def test_load_stores_the_dataset_and_prints_its_id_and_summary(capsys, workbook, data_dir):
    code, out, _ = run(capsys, "load", str(workbook), "--as-at", "2024-01-31")
    assert code == 0
    ds = Dataset.objects.get()
    assert out.startswith(f"Stored dataset {ds.dataset_id}")
    assert "11 lists, 12 rows; 0 errors" in out
    assert ds.folder == data_dir / "datasets" / ds.dataset_id
    assert (ds.folder / "manifest.json").exists()
    assert ds.uploaded_by is None
    assert Upload.objects.get().outcome == "stored"


@pytest.mark.django_db
def test_loading_the_same_file_again_says_so_and_stores_nothing_new(capsys, workbook):
    run(capsys, "load", str(workbook), "--as-at", "2024-01-31")
    code, out, _ = run(capsys, "load", str(workbook), "--as-at", "2024-01-31")
    assert code == 0
    assert out.startswith("Already loaded: dataset")
    assert Dataset.objects.count() == 1
    assert list(Upload.objects.order_by("at").values_list("outcome", flat=True)) == ["stored", "already"]


@pytest.mark.django_db
def test_load_records_the_named_user_and_can_print_json(capsys, workbook, priya_programme_manager):
    code, out, _ = run(capsys, "load", str(workbook), "--as-at", "2024-01-31", "--user", "priya_programme_manager",
                       "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["already_existed"] is False and doc["rows"]["cin"] == 2
    assert Dataset.objects.get().uploaded_by == priya_programme_manager


@pytest.mark.django_db
def test_a_refused_load_exits_2_and_is_logged(capsys, tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "load", str(empty), "--as-at", "2024-01-31")
    assert code == 2
    assert err.strip() == "refused: empty.xlsx: the file is empty"
    assert Upload.objects.get().outcome == "refused"
    assert not Dataset.objects.exists()


@pytest.mark.django_db
def test_load_needs_an_as_at_date(capsys, workbook):
    with pytest.raises(CommandError, match="--as-at"):
        call_command("annex_a", "load", str(workbook))


@pytest.mark.django_db
def test_a_value_problem_does_not_stop_a_load(capsys, tmp_path):
    path = write_workbook(tmp_path / "a.xlsx", {8: [row(8, placement_postcode="nope")]})
    code, out, _ = run(capsys, "load", str(path), "--as-at", "2024-01-31")
    assert code == 0
    assert Dataset.objects.get().errors == 1


@pytest.mark.django_db
def test_a_loaded_dataset_is_a_preview_until_published_at_the_command_line(capsys, workbook):
    code, out, _ = run(capsys, "load", str(workbook), "--as-at", "2024-01-31")
    ds = Dataset.objects.get()
    assert code == 0 and ds.status == "preview"
    assert f"Preview: publish it with `oversight annex-a publish {ds.dataset_id}`" in out
    code, out, _ = run(capsys, "publish", ds.dataset_id)
    assert code == 0 and out.startswith(f"Published {ds.dataset_id}")
    ds.refresh_from_db()
    assert ds.status == "published" and ds.published_by is None  # the operator at the command line


@pytest.mark.django_db
def test_load_can_publish_at_once_but_not_past_an_unconfirmed_as_at_mismatch(capsys, workbook):
    code, out, err = run(capsys, "load", str(workbook), "--as-at", "2024-06-30", "--publish")
    ds = Dataset.objects.get()
    assert code == 0 and ds.status == "preview"
    assert "CHECK THE AS-AT DATE: the latest event in the data is 10/01/2024" in out
    assert "stored but not published" in err
    code, _, err = run(capsys, "publish", ds.dataset_id)
    assert code == 1 and "confirm the as-at date" in err
    code, _, _ = run(capsys, "publish", ds.dataset_id, "--confirm-as-at")
    ds.refresh_from_db()
    assert code == 0 and ds.status == "published"


@pytest.mark.django_db
def test_withdraw_at_the_command_line_needs_a_reason_and_records_it(capsys, workbook):
    run(capsys, "load", str(workbook), "--as-at", "2024-01-31", "--publish")
    ds = Dataset.objects.get()
    with pytest.raises(CommandError, match="--reason"):
        call_command("annex_a", "withdraw", ds.dataset_id)
    code, out, _ = run(capsys, "withdraw", ds.dataset_id, "--reason", "wrong month")
    ds.refresh_from_db()
    assert code == 0 and out.strip() == f"Withdrawn {ds.dataset_id}."
    assert (ds.status, ds.withdrawn_reason) == ("withdrawn", "wrong month")


@pytest.mark.django_db
def test_retry_at_the_command_line_repairs_failed_figures(capsys, settings, workbook):
    settings.OVERSIGHT_INDICATOR_SETTINGS = {"icpc_limit_days": 15}
    code, out, _ = run(capsys, "load", str(workbook), "--as-at", "2024-01-31")
    ds = Dataset.objects.get()
    assert code == 0 and "Figures failed: " in out and f"oversight annex-a retry {ds.dataset_id}" in out
    code, _, err = run(capsys, "retry", ds.dataset_id)
    assert code == 1 and "figures failed again" in err
    settings.OVERSIGHT_INDICATOR_SETTINGS = {}
    code, out, _ = run(capsys, "retry", ds.dataset_id)
    ds.refresh_from_db()
    assert code == 0 and (ds.figures, ds.status) == ("ready", "preview")


@pytest.mark.django_db
def test_a_lifecycle_command_on_an_unknown_dataset_exits_2(capsys):
    code, _, err = run(capsys, "publish", "2024-01-31-nothing")
    assert code == 2 and "no dataset '2024-01-31-nothing'" in err
