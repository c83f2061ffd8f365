"""Plan import edge cases: slugs, a second or hidden tracker sheet, hostile JSON, what the database
can hold, implausible dates, and a command that needs a database it does not have.

Every refusal is one line with exit status 2, never a raw exception name, and writes nothing.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from oversight.plans.exporters import export_json
from oversight.plans.importers import PlanImportError, build_programme, import_plan
from oversight.plans.importers.draft import DraftProgramme
from oversight.plans.models import Programme, Step

RAW_EXCEPTION_NAMES = ("Traceback", "RecursionError", "ValueError", "TypeError", "AttributeError", "KeyError",
                       "InvalidOperation", "OverflowError", "UnicodeDecodeError", "IntegrityError", "DataError")


def _state() -> dict:
    return {p.slug: export_json(p) for p in Programme.objects.all()}


def _refused(path, *extra: str, slug: str = "p") -> str:
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(path), "--programme", slug, *extra, stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message
    assert not [n for n in RAW_EXCEPTION_NAMES if n in message], message
    return message


def _imported(path, *extra: str, slug: str = "p") -> str:
    out = io.StringIO()
    call_command("plan", "import", str(path), "--programme", slug, *extra, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def existing(db, tracker_xlsx):
    import_plan(tracker_xlsx, "existing")
    return _state()


# ---- slugs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", ["../../etc/passwd", "Improvement Plan 2024", "plan/2024", "x" * 51, "café"])
def test_a_programme_slug_that_is_not_a_slug_is_refused_before_reading_the_file(tmp_path, existing, slug):
    message = _refused(tmp_path / "does-not-even-exist.xlsx", slug=slug)
    assert message.startswith(f"programme slug {slug[:80]!r} is not a slug")
    assert _state() == existing


def test_the_refusal_suggests_a_slug_made_from_the_name(tmp_path, existing):
    assert "e.g. 'improvement-plan-2024'" in _refused(tmp_path / "p.xlsx", slug="Improvement Plan 2024")


def test_the_home_page_still_renders_after_a_refused_slug(client, tmp_path, existing, tracker_xlsx,
                                                         priya_programme_manager):
    _refused(tracker_xlsx, slug="Improvement Plan 2024")
    import_plan(tracker_xlsx, "second-plan")  # two programmes: the home page lists them
    client.force_login(priya_programme_manager)
    response = client.get("/")
    assert response.status_code == 200
    assert "second-plan" in response.content.decode()


def test_building_a_programme_in_code_refuses_a_bad_slug_too(db):
    with pytest.raises(PlanImportError, match="is not a slug"):
        build_programme(DraftProgramme(slug="../../etc/passwd", name="x"))
    assert not Programme.objects.exists()


# ---- a second or hidden tracker sheet ------------------------------------------------------------

def _with_copy(path, *, hidden: bool, title: str = "Tracker (old)"):
    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb["Tracker"])
    copy.title = title
    if hidden:
        copy.sheet_state = "hidden"
    wb.save(path)
    return path


def test_a_second_copy_of_the_tracker_is_refused_naming_both_sheets(db, tracker_xlsx):
    message = _refused(_with_copy(tracker_xlsx, hidden=False))
    assert "sheets 'Tracker' and 'Tracker (old)' both hold action 1.6" in message and "--sheet NAME" in message
    assert not Programme.objects.exists()


def test_a_hidden_tracker_sheet_is_refused_naming_it(db, tracker_xlsx):
    message = _refused(_with_copy(tracker_xlsx, hidden=True, title="Old"))
    assert message.startswith("tracker.xlsx: sheet 'Old' is hidden and holds a plan table")


def test_sheet_reads_one_copy_so_steps_and_notes_are_not_doubled(db, tmp_path, tracker_xlsx):
    single = tmp_path / "single.xlsx"
    shutil.copy(tracker_xlsx, single)
    import_plan(single, "single")
    doubled = _with_copy(tracker_xlsx, hidden=True)
    _imported(doubled, "--sheet", "Tracker", slug="chosen")
    one = export_json(Programme.objects.get(slug="single"))
    chosen = export_json(Programme.objects.get(slug="chosen"))
    assert chosen["themes"] == one["themes"]
    steps = Step.objects.filter(action__recommendation__theme__programme__slug="chosen").count()
    assert steps == Step.objects.filter(action__recommendation__theme__programme__slug="single").count() > 0


def test_sheet_names_the_sheets_when_the_name_is_wrong(db, tracker_xlsx):
    assert _refused(tracker_xlsx, "--sheet", "Trakcer") == ("tracker.xlsx: no sheet called 'Trakcer'; the sheets "
                                                            "are 'Tracker'")


def test_sheets_holding_different_actions_are_still_read_together(db, tmp_path, plan_files):
    header = plan_files.TRACKER_HEADER
    row = plan_files.row
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    first.title = "Theme 1"
    for r in [header, row("1", "FIRST THEME"), row("1", "A recommendation"),
              row("1.1", "An action", "Ann Lead", "• a step", "Dec 2017", "", "ONGOING", "")]:
        first.append(r)
    second = wb.create_sheet("Theme 2")
    for r in [header, row("2", "SECOND THEME"), row("2", "Another recommendation"),
              row("2.1", "Another action", "Bo Lead", "• another step", "Jan 2018", "", "ONGOING", "")]:
        second.append(r)
    wb.save(tmp_path / "split.xlsx")
    assert "2 themes, 2 recommendations, 2 actions, 2 steps" in _imported(tmp_path / "split.xlsx")


# ---- hostile JSON --------------------------------------------------------------------------------

def _plan(action: dict | None = None, **programme) -> dict:
    actions = [{"title": "A", **(action or {})}]
    return {"programme": {"slug": "p", "name": "Plan", **programme}, "people": [], "sources": [],
            "themes": [{"title": "T", "recommendations": [{"text": "R", "actions": actions}]}]}


ACTION = "themes[0].recommendations[0].actions[0]"


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"themes": [], "n": ' + "9" * 5000 + "}", "a number 5000 digits long"),
    (json.dumps(_plan()).replace('"title": "A"', '"title": "A", "cost": 1e400'), "is too large"),
    ('{"themes": [], "n": NaN}', "NaN (not a number JSON allows)"),
    ('{"themes": "none"}', "themes: expected a list"),
    ('{"themes": [], "programme": [1]}', "programme: expected an object"),
    ('{"themes": [], "people": [1]}', "people[0]: expected an object"),
    (json.dumps(_plan({"owners": [{"name": "x"}]})), f"{ACTION}.owners[0]: expected a person's name"),
    (json.dumps(_plan({"notes": [{"date": 20200101, "text": "x"}]})),
     f"{ACTION}.notes[0].date: expected a date as YYYY-MM-DD, found 20200101"),
    (json.dumps(_plan({"title": ["A"] * 100})), f"{ACTION}.title: expected text, found ['A', 'A'"),
    (json.dumps(_plan({"cost": {"pounds": 3}})), f"{ACTION}.cost: expected a sum of money"),
    (json.dumps(_plan({"additional_revenue": "yes"})), f"{ACTION}.additional_revenue: expected true or false"),
    (json.dumps(_plan({"title": "A\u0000B"})), "contains a NUL character"),
    ('{"themes": [{"title": "T\\ud800"}]}', "contains an unpaired surrogate"),
])
def test_hostile_json_gets_one_line_naming_what_is_wrong(tmp_path, existing, text, expected):
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert expected in _refused(path)
    assert _state() == existing


@pytest.mark.parametrize("data", [
    json.dumps(_plan()).encode("utf-16"),
    json.dumps(_plan({"title": "Café"}), ensure_ascii=False).encode("latin-1"),
])
def test_json_in_another_encoding_is_refused_as_not_utf8(tmp_path, existing, data):
    path = tmp_path / "plan.json"
    path.write_bytes(data)
    assert "plan.json: not a JSON plan export (the file is not UTF-8 text)" in _refused(path)


# ---- what the database can hold ------------------------------------------------------------------

@pytest.mark.parametrize(("action", "expected"), [
    ({"cost": 1234.567}, "has more than 2 decimal places"),
    ({"cost": "0.001"}, "has more than 2 decimal places"),
    ({"cost": 1e10}, "is not a sum of money the plan can hold"),
    ({"cost": -99999999999}, "is not a sum of money the plan can hold"),
    ({"ref": "1." * 11}, "the action number '1.1.1.1.1.1.1.1.1.1.1.' is 22 characters long; at most 20 fit"),
    ({"when_text": "w" * 301}, "is 301 characters long; at most 300 fit"),
    ({"service_area": "s" * 201}, "is 201 characters long; at most 200 fit"),
])
def test_values_the_database_cannot_hold_exactly_are_refused_with_their_place(tmp_path, existing, action, expected):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan(action)))
    message = _refused(path)
    assert message.startswith(f"plan.json: {ACTION}: ") and expected in message
    assert _state() == existing


def test_a_cost_in_pounds_and_pence_is_kept_exactly(tmp_path, db):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan({"cost": 41000.5})))
    _imported(path)
    assert export_json(Programme.objects.get())["themes"][0]["recommendations"][0]["actions"][0]["cost"] == "41000.50"


def test_a_programme_name_too_long_for_the_database_is_refused(tmp_path, existing, tracker_xlsx):
    message = _refused(tracker_xlsx, "--name", "N" * 201)
    assert message == "tracker.xlsx: the programme name is 201 characters long; at most 200 fit"
    assert _state() == existing


# ---- implausible dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-30", "2100-01-01", "9999-12-31"])
def test_an_implausible_date_in_json_is_refused_naming_its_place(tmp_path, existing, day):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan({"due": day})))
    message = _refused(path)
    assert message.startswith(f"plan.json: {ACTION}: the When? date of action is ")
    assert "not a plausible date: expected a date between 01/01/1950 and 31/12/2099" in message
    assert _state() == existing


@pytest.mark.parametrize("when", ["31/12/9999", "30/12/1899", "15/06/1066", "1.1.2100"])
def test_an_implausible_date_in_a_tracker_cell_is_refused_naming_the_sheet_and_row(db, tmp_path, plan_files, when):
    rows = [plan_files.TRACKER_HEADER, plan_files.row("1", "A THEME"), plan_files.row("1", "A recommendation"),
            plan_files.row("1.1", "An action", "Ann Lead", "• a step", when, "", "ONGOING", "")]
    path = plan_files.write_xlsx(tmp_path / "dates.xlsx", rows)
    message = _refused(path)
    assert message.startswith("dates.xlsx: sheet 'Tracker', row 4: the When? date of action 1.1 is ")
    assert "not a plausible date" in message


def test_an_implausible_note_date_in_json_names_the_note(tmp_path, existing):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan({"notes": [{"date": "1899-12-30", "text": "x"}]})))
    assert _refused(path).startswith(f"plan.json: {ACTION}.notes[0]: the date of a note on action is 30/12/1899")


# ---- a command that needs the database -----------------------------------------------------------

OV = shutil.which("oversight")


def _run(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run([OV, *args], capture_output=True, text=True, timeout=600,
                          env={**environ, "OVERSIGHT_HOME": str(tmp_path), **env})


@pytest.mark.skipif(OV is None, reason="the oversight command is installed by pip install -e .")
def test_a_command_on_a_database_that_is_not_set_up_says_so_before_reading_anything(tmp_path, tracker_xlsx):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    result = _run("annex-a", "load", str(tracker_xlsx), "--as-at", "2024-01-31", tmp_path=tmp_path, DATABASE_URL=url)
    assert result.returncode == 2
    assert result.stderr.startswith("oversight: error: the database is not set up for this version (")
    assert "run 'oversight migrate' first" in result.stderr
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
    result = _run("plan", "import", str(tracker_xlsx), "--programme", "p", tmp_path=tmp_path, DATABASE_URL=url)
    assert result.returncode == 2 and "run 'oversight migrate' first" in result.stderr


@pytest.mark.skipif(OV is None, reason="the oversight command is installed by pip install -e .")
def test_the_embedded_database_of_a_fresh_folder_prepares_itself(tmp_path, tracker_xlsx):
    result = _run("plan", "import", str(tracker_xlsx), "--programme", "fresh", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "setting up the database in" in result.stderr
    assert "imported into programme 'fresh' (new)" in result.stdout
    again = _run("plan", "export", "--programme", "fresh", "--format", "json", "-o", "-", tmp_path=tmp_path)
    assert again.returncode == 0 and "setting up" not in again.stderr


def test_a_tracker_when_of_01_01_0001_is_refused_rather_than_read_as_2001(db, tmp_path, plan_files):
    rows = [plan_files.TRACKER_HEADER, plan_files.row("1", "A THEME"), plan_files.row("1", "A recommendation"),
            plan_files.row("1.1", "An action", "Ann Lead", "• a step", "01/01/0001", "", "ONGOING", "")]
    message = _refused(plan_files.write_xlsx(tmp_path / "dates.xlsx", rows))
    assert message.startswith("dates.xlsx: sheet 'Tracker', row 4: the When? date of action 1.1 is ")
    assert "not a plausible date" in message
