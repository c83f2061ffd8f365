"""Long work in the background: the upload is queued, the real database-backed worker runs it, the page follows it."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from oversight.datasets.management.commands.annex_a import ProgressBar
from oversight.datasets.models import Dataset, LoadJob
from oversight.datasets.services import load_dataset
from oversight.engine.annex_a.testing import AS_AT

from .conftest import DATABASE_QUEUE


def _upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def run_worker() -> None:
    """The library's own worker command, as an operator runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_an_upload_waits_in_the_database_queue_until_the_real_worker_reads_it(client, settings, workbook,
                                                                             priya_programme_manager, data_dir):
    settings.TASKS = DATABASE_QUEUE
    client.force_login(priya_programme_manager)
    response = client.post(reverse("datasets:upload"), {"file": _upload(workbook), "as_at": "2024-01-31"})
    job = LoadJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.state == "queued" and not Dataset.objects.exists()
    assert DBTaskResult.objects.get().status == "READY"
    waiting = data_dir / job.file
    assert waiting.exists() and oct(waiting.stat().st_mode & 0o777) == "0o600"
    assert "Waiting for the worker" in client.get(job.get_absolute_url()).content.decode()

    run_worker()

    job.refresh_from_db()
    ds = Dataset.objects.get()
    assert (job.state, job.dataset, job.rows_read) == ("done", ds, ds.total_rows)
    assert (ds.status, ds.figures) == ("preview", "ready")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not waiting.exists()
    progress = client.get(reverse("datasets:job_json", args=[job.pk])).json()
    assert progress["finished"] and progress["percent"] == 100 and progress["next"] == ds.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_the_retry_button_queues_the_figures_for_the_worker(client, settings, workbook, priya_programme_manager):
    priya_programme_manager.user_permissions.add(Permission.objects.get(codename="publish_dataset"))
    priya = User.objects.get(pk=priya_programme_manager.pk)
    settings.OVERSIGHT_INDICATOR_SETTINGS = {"icpc_limit_days": 15}
    ds = load_dataset(workbook, AS_AT, user=priya)
    assert ds.figures == "failed"
    settings.OVERSIGHT_INDICATOR_SETTINGS = {}
    settings.TASKS = DATABASE_QUEUE
    client.force_login(priya)
    client.post(reverse("datasets:retry", args=[ds.dataset_id]))
    ds.refresh_from_db()
    assert ds.figures == "pending"
    run_worker()
    ds.refresh_from_db()
    assert (ds.figures, ds.status) == ("ready", "preview")


@pytest.mark.django_db
def test_a_refused_file_ends_its_job_with_the_reason_and_leaves_no_file_behind(client, tmp_path, data_dir,
                                                                              priya_programme_manager):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook" * 100)
    client.force_login(priya_programme_manager)
    page = client.post(reverse("datasets:upload"), {"file": _upload(junk), "as_at": "2024-01-31"},
                       follow=True).content.decode()
    job = LoadJob.objects.get()
    assert job.state == "refused" and "junk.xlsx: not a readable Excel workbook" in job.message
    assert 'class="error-summary"' in page and "junk.xlsx: not a readable Excel workbook" in page
    assert not any((data_dir / "incoming").iterdir())


@pytest.mark.django_db
def test_someone_elses_upload_progress_is_not_shown(client, workbook, priya_programme_manager, bob_board_member):
    client.force_login(priya_programme_manager)
    client.post(reverse("datasets:upload"), {"file": _upload(workbook), "as_at": "2024-01-31"})
    client.force_login(bob_board_member)
    assert client.get(LoadJob.objects.get().get_absolute_url()).status_code == 403


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_and_stays_silent_otherwise():
    tty, pipe = Terminal(), io.StringIO()
    for stream in (tty, pipe):
        bar = ProgressBar(stream)
        bar("Reading the workbook", current_list="List 1: Contacts", rows_read=1200)
        bar("Computing the figures")
        bar.finish()
    assert pipe.getvalue() == ""
    drawn = tty.getvalue()
    assert drawn.startswith("\r[#####...............] Reading the workbook, List 1: Contacts, 1,200 rows")
    assert "\r[####################] Computing the figures" in drawn and drawn.endswith("\n")
