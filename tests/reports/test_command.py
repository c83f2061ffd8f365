"""``oversight report``: every report in every format, the pack as a zip, and exit status 2 for a bad name."""

from __future__ import annotations

import io
import zipfile

import pytest

from oversight.cli import main


@pytest.fixture
def plan(plan_factory):
    return plan_factory("cmd", 1)


def run(*args: str) -> int:
    return main(["report", *args])


@pytest.mark.django_db(transaction=True)
def test_the_highlight_report_is_written_as_html(plan_factory, tmp_path):
    plan_factory("cmd", 1)
    out = tmp_path / "h.html"
    assert run("highlight", "--programme", "cmd", "--as-at", "2020-01-31", "--format", "html", "-o", str(out)) == 0
    text = out.read_text()
    assert "<h1>Highlight report</h1>" in text and "Overall progress narrative" in text


@pytest.mark.django_db(transaction=True)
def test_the_as_at_may_be_written_the_officers_way(plan_factory, tmp_path):
    plan_factory("cmd", 1)
    out = tmp_path / "t.json"
    assert run("tracker", "--programme", "cmd", "--as-at", "31/01/2020", "--format", "json", "-o", str(out)) == 0
    assert '"as_at": "2020-01-31"' in out.read_text()


@pytest.mark.django_db(transaction=True)
def test_an_unknown_programme_exits_2_with_one_line(plan_factory, tmp_path, capsys):
    assert run("highlight", "--programme", "nowhere", "-o", str(tmp_path / "x")) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nowhere" in err


@pytest.mark.django_db(transaction=True)
def test_an_unknown_report_exits_2(plan_factory, tmp_path, capsys):
    plan_factory("cmd", 1)
    assert run("minutes", "--programme", "cmd", "-o", str(tmp_path / "x")) == 2
    assert "minutes" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_an_unknown_format_exits_2(plan_factory, tmp_path, capsys):
    plan_factory("cmd", 1)
    assert run("highlight", "--programme", "cmd", "--format", "odt", "-o", str(tmp_path / "x")) == 2
    assert "odt" in capsys.readouterr().err
    assert run("pack", "--programme", "cmd", "--format", "pdf", "-o", str(tmp_path / "x")) == 2


@pytest.mark.django_db(transaction=True)
def test_the_pack_is_a_zip_of_every_report_in_every_format(plan_factory, tmp_path):
    plan_factory("cmd", 1)
    out = tmp_path / "pack.zip"
    assert run("pack", "--programme", "cmd", "--as-at", "2020-01-31", "--format", "zip", "-o", str(out)) == 0
    names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    for report in ("highlight", "report-card", "tracker", "committee", "risks"):
        assert f"cmd-{report}-2020-01.html" in names
        assert f"cmd-{report}-2020-01.pdf" in names
        assert f"cmd-{report}-2020-01.docx" in names
        assert f"cmd-{report}-2020-01.xlsx" in names
