"""Every hostile file through every way in — ``oversight annex-a check|load``, ``oversight plan import``,
``oversight targets-import`` and the upload page — ends in one clear line, exit status 2 for the
commands, nothing written, and the process (the server) still answering."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from oversight.cli import main
from oversight.datasets.models import Dataset, LoadJob, Upload
from oversight.plans.models import Programme

from .conftest import corpus_module

pytestmark = pytest.mark.django_db

XLSX_CASES = sorted(corpus_module.XLSX_CASES)
PLAN_CASES = sorted(corpus_module.PLAN_CASES)


@pytest.fixture(autouse=True)
def keep_test_connection_open(monkeypatch):
    """Commands close every connection when they end; in-process runs keep the test's own open."""
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)


def _one_clear_line(text: str, path: Path) -> str:
    text = text.strip()
    assert "\n" not in text and "Traceback" not in text and "panicked" not in text
    assert path.name in text
    return text


@pytest.mark.parametrize("case", XLSX_CASES)
def test_annex_a_check_refuses_each_hostile_workbook_with_status_2_and_one_line(capsys, corpus, case):
    path = corpus(case)
    code = main(["annex-a", "check", str(path), "--as-at", "2024-01-31"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    line = _one_clear_line(err, path)
    assert "the limit is" in line or "not a readable Excel workbook" in line or "could not be read" in line


@pytest.mark.parametrize("case", ["a cell at XFD1048576", "an xlsx zip bomb", "random bytes"])
def test_annex_a_load_of_a_hostile_workbook_logs_the_refusal_and_stores_nothing(capsys, corpus, case):
    path = corpus(case)
    code = main(["annex-a", "load", str(path), "--as-at", "2024-01-31"])
    _out, err = capsys.readouterr()
    assert code == 2
    line = _one_clear_line(err, path)
    assert not Dataset.objects.exists()
    upload = Upload.objects.get()
    assert upload.outcome == Upload.Outcome.REFUSED and upload.message in line


@pytest.mark.parametrize("case", PLAN_CASES)
def test_plan_import_refuses_each_hostile_file_with_status_2_one_line_and_writes_nothing(corpus, case):
    path = corpus(case)
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(path), "--programme", "hostile", stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert caught.value.returncode == 2
    _one_clear_line(str(caught.value), path)
    assert not Programme.objects.exists()


def test_a_hostile_plan_names_the_plan_limit_it_broke(corpus):
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(corpus("a docx gridSpan of 2,000,000,000")), "--programme", "p")
    assert str(caught.value) == ("gridspan.docx: table 1 has a cell with gridSpan 2,000,000,000; the limit is "
                                 "1,000 columns (OVERSIGHT_MAX_COLUMNS)")


def test_targets_import_refuses_a_csv_with_a_two_million_character_line(corpus):
    path = corpus("long_line_csv")
    with pytest.raises(CommandError) as caught:
        call_command("targets_import", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "long-line.csv: it has a line of over 1,000,000 characters" in str(caught.value)


# ---------------------------------------------------------------------------------- the web


def _post(client, path: Path, name: str | None = None):
    upload = SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="application/octet-stream")
    return client.post(reverse("datasets:upload"), {"file": upload, "as_at": "2024-01-31"})


@pytest.mark.parametrize("case", XLSX_CASES)
def test_uploading_each_hostile_workbook_is_refused_logged_and_the_server_still_answers(
        client, priya_programme_manager, corpus, case, settings):
    client.force_login(priya_programme_manager)
    path = corpus(case)
    response = _post(client, path)
    assert response.status_code in (302, 204)
    job = LoadJob.objects.get()
    assert job.state in (LoadJob.State.REFUSED, LoadJob.State.FAILED)
    _one_clear_line(job.message, path)
    assert not Dataset.objects.exists()
    assert Upload.objects.get().outcome == Upload.Outcome.REFUSED
    assert client.get(reverse("datasets:upload")).status_code == 200  # still serving
    assert not any(Path(settings.DATA_DIR, "incoming").rglob("*.*"))  # the uploaded file is gone


def test_a_file_over_the_upload_limit_is_refused_before_it_is_stored_with_a_clear_error(
        client, priya_programme_manager, settings, tmp_path):
    settings.OVERSIGHT_MAX_UPLOAD_MB = 1
    client.force_login(priya_programme_manager)
    big = tmp_path / "annex_a.xlsx"
    big.write_bytes(b"x" * (3 << 20))
    response = _post(client, big)
    assert response.status_code == 413
    page = response.content.decode()
    assert 'class="error-summary"' in page and "the largest file Oversight accepts is 1 MB" in page
    upload = Upload.objects.get()
    assert upload.outcome == Upload.Outcome.REFUSED and "OVERSIGHT_MAX_UPLOAD_MB" in upload.message
    assert not LoadJob.objects.exists() and not Dataset.objects.exists()
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []


class _CutOffStream:
    """A request body whose sender goes away after ``after`` bytes (the connection breaks)."""

    def __init__(self, data: bytes, after: int) -> None:
        self.data, self.after, self.pos = data, after, 0

    def read(self, size: int = -1) -> bytes:
        if self.pos >= self.after:
            raise OSError("connection reset by peer")
        size = len(self.data) - self.pos if size is None or size < 0 else size
        chunk = self.data[self.pos:min(self.pos + size, self.after)]
        self.pos += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def test_an_interrupted_upload_leaves_no_temporary_file_and_still_writes_its_log_row(
        client, priya_programme_manager, settings, corpus):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so the part received is on disk, as a big upload is
    client.force_login(priya_programme_manager)
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(BOUNDARY, {"as_at": "2024-01-31",
                                       "file": SimpleUploadedFile("annex_a.xlsx", b"PK" + b"\x00" * 200_000)})
    response = client.generic("POST", reverse("datasets:upload"), **{
        "wsgi.input": _CutOffStream(body, 100_000), "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": MULTIPART_CONTENT})
    assert response.status_code == 400
    assert "the upload was interrupted before the whole file arrived" in response.content.decode()
    upload = Upload.objects.get()
    assert upload.outcome == Upload.Outcome.REFUSED and "interrupted" in upload.message
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []
    assert not LoadJob.objects.exists() and not Dataset.objects.exists()
    assert client.get(reverse("datasets:upload")).status_code == 200


def test_the_upload_page_still_refuses_a_post_without_its_csrf_token(priya_programme_manager, corpus):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(priya_programme_manager)
    response = _post(client, corpus("random bytes"))
    assert response.status_code == 403
    assert not LoadJob.objects.exists() and not Upload.objects.exists()
