"""The pure guards: every hostile file is refused before parsing with one line naming the file and the
limit; whatever a reader does in its worker process (raise, abort, segfault, run out of memory, hang)
comes back as one clear line and this process carries on."""

from __future__ import annotations

import ctypes
import os
import time
import zipfile
from pathlib import Path

import pytest

from oversight.engine.annex_a import AnnexARefused
from oversight.engine.annex_a.loader import read_raw_isolated
from oversight.engine.annex_a.testing import write_workbook
from oversight.engine.annex_a.xlsx_scan import _scan_part, scan_part
from oversight.engine.isolation import FileUnreadable, run_isolated
from oversight.engine.limits import ENV, FileRefused, Limits, check_file

REFUSED_BY = {
    "a cell at XFD1048576": "OVERSIGHT_MAX_ROWS",
    "a cell at ZZ1048576": "OVERSIGHT_MAX_ROWS",
    "a cell at ZZ400000": "OVERSIGHT_MAX_CELLS",
    "an xlsx zip bomb": "OVERSIGHT_MAX_ZIP_RATIO",
    "a sheet of whitespace": "OVERSIGHT_MAX_ZIP_RATIO",
    "blank rows to row 1,048,576": "OVERSIGHT_MAX_ROWS",
    "a merged area of the whole sheet": "OVERSIGHT_MAX_ROWS",
    "a docx gridSpan of 2,000,000,000": "OVERSIGHT_MAX_COLUMNS",
    "a docx zip bomb": "OVERSIGHT_MAX_ZIP_RATIO",
    "a JSON nested 100,000 deep": "OVERSIGHT_MAX_JSON_DEPTH",
    "a JSON number of 100,000 digits": "OVERSIGHT_MAX_NUMBER_CHARS",
}


@pytest.mark.parametrize("case", sorted(REFUSED_BY))
def test_each_hostile_file_is_refused_before_parsing_with_one_line_naming_the_file_and_the_limit(corpus, case):
    path = corpus(case)
    with pytest.raises(FileRefused) as caught:
        check_file(path, Limits())
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ") and "\n" not in message
    assert f"({REFUSED_BY[case]})" in message and "the limit is" in message


def test_a_far_cell_message_says_where_and_what_the_limit_is(corpus):
    message = str(pytest.raises(FileRefused, check_file, corpus("a cell at XFD1048576"), Limits()).value)
    assert message == ("xfd1048576.xlsx: sheet 'List 1' declares 1,048,576 rows; the limit is 1,000,000 rows "
                       "(OVERSIGHT_MAX_ROWS)")


def test_a_far_cell_without_a_declared_dimension_is_found_by_the_scan_of_cell_refs(tmp_path):
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1"><v>1</v></c><c\tr="XFD7"><v>2</v></c></row></sheetData></worksheet>')
    path = _with_sheet(tmp_path, sheet)
    message = str(pytest.raises(FileRefused, check_file, path, Limits()).value)
    assert "has a cell at XFD7" in message and "(OVERSIGHT_MAX_COLUMNS)" in message


def test_a_sheet_laid_out_wider_than_the_cell_limit_is_refused_even_when_each_axis_is_within_its_own(tmp_path):
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1"><v>1</v></c></row><row r="900000"><c r="ZZ900000"><v>2</v></c></row>'
             b'</sheetData></worksheet>')
    message = str(pytest.raises(FileRefused, check_file, _with_sheet(tmp_path, sheet), Limits()).value)
    assert "900,000 rows × 702 columns" in message and "(OVERSIGHT_MAX_CELLS)" in message


def test_plans_get_the_tighter_plan_limits_and_their_message_names_the_plan_setting(corpus):
    message = str(pytest.raises(FileRefused, check_file, corpus("blank rows to row 1,048,576"),
                                Limits().for_plans()).value)
    assert "the limit is 20,000 rows (OVERSIGHT_MAX_PLAN_ROWS)" in message


def test_an_ordinary_annex_a_workbook_and_an_ordinary_plan_json_pass_every_limit(tmp_path):
    check_file(write_workbook(tmp_path / "annex_a.xlsx"), Limits())
    plan = tmp_path / "plan.json"
    plan.write_text('{"programme": {"slug": "p", "cost": 1234.5}, "themes": [{"title": "T", '
                    '"recommendations": [{"text": "say \\"[[[[\\"", "actions": []}]}]}', encoding="utf-8")
    check_file(plan, Limits())


def test_random_bytes_and_a_truncated_zip_are_left_to_the_reader_to_refuse_in_its_own_words(corpus):
    check_file(corpus("random bytes"), Limits())
    check_file(corpus("a truncated zip"), Limits())


def test_a_csv_with_a_line_of_two_million_characters_is_refused(corpus):
    message = str(pytest.raises(FileRefused, check_file, corpus("long_line_csv"), Limits()).value)
    assert "long-line.csv: it has a line of over 1,000,000 characters" in message


def test_a_file_over_the_upload_size_is_refused_from_its_size_alone(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 300_000)
    message = str(pytest.raises(FileRefused, check_file, path, Limits(max_upload_mb=1)).value)
    assert message == "big.csv: the file is 1.1 MB; the limit is 1 MB (OVERSIGHT_MAX_UPLOAD_MB)"


def test_every_limit_is_read_from_its_environment_variable():
    limits = Limits.from_env({"OVERSIGHT_MAX_ROWS": "200000", "OVERSIGHT_WORKER_TIMEOUT": "30",
                              "OVERSIGHT_ISOLATE": "0"})
    assert (limits.max_rows, limits.worker_timeout_s, limits.isolate) == (200_000, 30, False)
    assert len(ENV) == len([f for f in Limits.__dataclass_fields__ if f != "names"])
    with pytest.raises(ValueError, match="OVERSIGHT_MAX_ROWS must be a whole number"):
        Limits.from_env({"OVERSIGHT_MAX_ROWS": "lots"})


def test_the_formula_scan_of_a_sheet_of_whitespace_finishes_in_one_pass(corpus):
    assert scan_part(corpus("a sheet of whitespace"), "xl/worksheets/sheet1.xml") == {}


def test_the_formula_scan_of_a_million_formula_markers_with_no_cell_end_finishes():
    flags: dict = {}
    _scan_part(b'<c r="A1">' + b"<f" * 1_000_000, flags)
    _scan_part(b'<c r="B1" t="e"/><c r="C1"><f t="shared" si="0"/><v>2</v></c>', flags)
    assert flags[(1, 1)] == ("excel-error", "#ERROR") and flags[(1, 2)] == ("formula", "=(shared formula)")


# ---------------------------------------------------------------------------------- isolation


def test_an_exception_in_the_worker_is_raised_here_as_itself():
    with pytest.raises(ValueError, match="invalid literal"):
        run_isolated(int, "not a number", filename="x.csv")


def test_a_worker_that_aborts_becomes_one_line_and_this_process_lives_on():
    with pytest.raises(FileUnreadable) as caught:
        run_isolated(os.abort, filename="plan.xlsx")
    assert str(caught.value) == "plan.xlsx: this file could not be read (the reader stopped (aborted))"
    assert run_isolated(len, "still here", filename="x") == 10


def test_a_worker_that_segfaults_becomes_one_line():
    with pytest.raises(FileUnreadable, match=r"^plan.docx: this file could not be read \(the reader crashed"):
        run_isolated(ctypes.string_at, 0, filename="plan.docx")


def test_a_worker_over_its_memory_limit_says_so():
    with pytest.raises(FileUnreadable) as caught:
        run_isolated(bytearray, 8 << 30, filename="bomb.xlsx", memory_mb=3072)
    assert str(caught.value) == ("bomb.xlsx: this file could not be read (reading it needed more than 3,072 MB of "
                                 "memory, the limit)")


def test_a_worker_past_its_time_limit_is_killed():
    started = time.monotonic()
    with pytest.raises(FileUnreadable, match="took longer than 1 seconds"):
        run_isolated(time.sleep, 60, filename="slow.xlsx", timeout_s=1)
    assert time.monotonic() - started < 50  # killed, not waited for


def test_calamine_aborting_on_a_far_cell_when_the_limits_are_off_is_still_only_a_refusal(corpus, tmp_path, capfd):
    no_limits = Limits(max_rows=2_000_000, max_columns=20_000, max_cells=10**12, worker_memory_mb=3072)
    with pytest.raises(AnnexARefused) as caught:
        read_raw_isolated(corpus("a cell at XFD1048576"), limits=no_limits, workdir=tmp_path / "work")
    assert str(caught.value).startswith("xfd1048576.xlsx: this file could not be read (")
    assert "stack backtrace" not in capfd.readouterr().err  # the child's stderr never reaches the user
    assert list((tmp_path / "work").iterdir()) == []  # the worker's folder is gone


def _with_sheet(tmp_path: Path, sheet: bytes) -> Path:
    path = tmp_path / "hand-made.xlsx"
    base = write_workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename))
    return path
