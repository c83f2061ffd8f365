"""Bad plan files are refused with one clear line, exit status 2, and nothing written."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from oversight.plans.exporters import export_json
from oversight.plans.importers import import_plan
from oversight.plans.models import Programme, Step


def _state() -> dict:
    """Everything a failed import must leave as it was."""
    return {p.slug: export_json(p) for p in Programme.objects.all()}


def _refused(path: Path, *extra: str, slug: str = "p") -> str:
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(path), "--programme", slug, *extra, stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.fixture
def existing(db, tracker_xlsx):
    """A programme already in the database, which no failed import may touch."""
    import_plan(tracker_xlsx, "existing")
    return _state()


def test_random_bytes_named_xlsx_are_refused_and_nothing_is_written(tmp_path, existing):
    junk = tmp_path / "plan.xlsx"
    junk.write_bytes(os.urandom(2000))
    message = _refused(junk)
    assert message.startswith("plan.xlsx: not an Excel workbook (.xlsx)")
    assert _state() == existing


@pytest.mark.parametrize(("name", "expected"), [
    ("plan.docx", "plan.docx: not a Word document (.docx)"),
    ("plan.json", "plan.json: not a JSON plan export (the file is not UTF-8 text)"),
])
def test_random_bytes_named_docx_or_json_are_refused(tmp_path, existing, name, expected):
    junk = tmp_path / name
    junk.write_bytes(b"\x00\x01 not a plan \xff" * 50)
    assert expected in _refused(junk)
    assert _state() == existing


def test_a_workbook_without_a_plan_table_says_what_header_it_looked_for(tmp_path, existing, plan_files):
    path = plan_files.write_xlsx(tmp_path / "budget.xlsx", [["Cost centre", "Budget", "Spend"], ["A1", "10", "5"]])
    message = _refused(path)
    assert message.startswith("budget.xlsx: no improvement-plan table found in any sheet")
    assert "NOS, What?, Who?, How?, When?" in message
    assert _state() == existing


def test_a_tracker_missing_a_required_column_names_the_sheet_row_and_column(tmp_path, existing, plan_files):
    header = [h for h in plan_files.TRACKER_HEADER if h != "When?"]
    path = plan_files.write_xlsx(tmp_path / "p.xlsx", [header, ["1.1", "Revise standards", "HoS", "• Revise",
                                                                "", "ONGOING", ""]],
                                 title=plan_files.FURNITURE)
    message = _refused(path)
    assert message.startswith("p.xlsx: sheet 'Tracker', row 2: the header row has no When? column")
    assert _state() == existing


def test_an_error_in_the_last_row_means_nothing_from_the_file_is_written(tmp_path, existing, plan_files):
    rows = [*plan_files.TRACKER_ROWS, plan_files.row("12.4.1.1.1.1.1.1.1.1.1.1", "Too deep", "AD", "• Step",
                                                     "Oct 17", "", "ONGOING", "")]
    message = _refused(plan_files.write_xlsx(tmp_path / "p.xlsx", rows))
    assert message == ("p.xlsx: sheet 'Tracker', row 22: the action number '12.4.1.1.1.1.1.1.1.1.1.1' is 24 "
                       "characters long; at most 20 fit")
    assert _state() == existing


def test_an_action_without_a_what_is_refused_naming_its_row(tmp_path, existing, plan_files):
    rows = [plan_files.TRACKER_HEADER, plan_files.row("1", "Assessments"),
            plan_files.row("1.1", "", "Head of Service", "• Revise", "Dec 2016", "", "ONGOING", "")]
    message = _refused(plan_files.write_xlsx(tmp_path / "p.xlsx", rows))
    assert message == "p.xlsx: sheet 'Tracker', row 3: action 1.1 has no title (What?)"
    assert _state() == existing


def test_a_failure_while_writing_rolls_back_everything(tracker_xlsx, existing, monkeypatch):
    calls = {"n": 0}
    create = Step.objects.create

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return create(**kwargs)

    monkeypatch.setattr(Step.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        import_plan(tracker_xlsx, "new-programme")
    assert _state() == existing
    assert not Programme.objects.filter(slug="new-programme").exists()


@pytest.mark.parametrize(("content", "expected"), [
    ('[1, 2]', "not an Oversight plan export"),
    ('{"programme": {"slug": "x"}, "themes": [{"title": "T", "recommendations": [{"text": "R", "actions": '
     '[{"title": "A", "due": "31/12/2017"}]}]}]}',
     "themes[0].recommendations[0].actions[0].due: expected a date as YYYY-MM-DD, found '31/12/2017'"),
    ('{"themes": [{"title": "T", "recommendations": [{"text": "R", "actions": [{"title": "A", '
     '"status": "finished"}]}]}]}', "action has status 'finished'"),
    ('{"themes": [{"recommendations": []}]}', "themes[0].title: is missing"),
    ('{"themes": [{"title": "T", "recommendations": [{"text": "R", "actions": [{"title": "A", '
     '"indicators": ["cpp_open", "visits_on_time"]}]}]}]}',
     "themes[0].recommendations[0].actions[0].indicators[1]: expected an indicator id of the catalogue, "
     "found 'visits_on_time'"),
])
def test_a_bad_json_plan_names_the_path_of_the_bad_value(tmp_path, existing, content, expected):
    path = tmp_path / "plan.json"
    path.write_text(content)
    assert expected in _refused(path)
    assert _state() == existing


@pytest.mark.parametrize(("name", "expected"), [
    ("plan.csv", "plan.csv: expected an .xlsx, .docx or .json file"),
    ("plan.xls", "old .xls files cannot be read; save it as .xlsx"),
])
def test_files_of_other_kinds_are_refused(tmp_path, existing, name, expected):
    path = tmp_path / name
    path.write_text("NOS,What?\n")
    assert expected in _refused(path)


def test_a_missing_file_is_refused(tmp_path, existing):
    assert "no such file" in _refused(tmp_path / "absent.xlsx")


def test_a_dry_run_checks_the_file_and_writes_nothing(tracker_xlsx, existing):
    out = io.StringIO()
    call_command("plan", "import", str(tracker_xlsx), "--programme", "dry", "--dry-run", stdout=out,
                 stderr=io.StringIO())
    assert out.getvalue().startswith("would import into programme 'dry' (new): 1 themes")
    assert _state() == existing


@pytest.mark.django_db
def test_exporting_a_programme_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("plan", "export", "--programme", "nope", "--format", "json", "-o", str(tmp_path / "x.json"))
    assert caught.value.returncode == 2


@pytest.mark.skipif(shutil.which("oversight") is None, reason="the oversight command is installed by pip install -e .")
def test_the_oversight_command_refuses_junk_with_status_2_and_no_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "OVERSIGHT_HOME": str(tmp_path)}
    ov = shutil.which("oversight")
    assert subprocess.run([ov, "migrate"], capture_output=True, env=env, timeout=300).returncode == 0
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(os.urandom(2000))
    result = subprocess.run([ov, "plan", "import", str(junk), "--programme", "junk"], capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip().count("\n") == 0 and "junk.xlsx: not an Excel workbook" in result.stderr


def test_text_that_is_not_json_says_where_it_stopped_reading(tmp_path, existing):
    path = tmp_path / "plan.json"
    path.write_text('{"themes": [}')
    assert _refused(path).startswith("plan.json: not valid JSON (line 1, column 13")
