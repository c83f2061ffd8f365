"""Background jobs (django-tasks, database backend): an upload's read/validate/Parquet/figures, and retries.

The web request only saves the file and queues a job, so a large workbook never holds a request
(or a web thread) for minutes; the job writes its progress to its ``LoadJob`` row, which the
progress page polls. Run the queue with ``oversight db_worker`` (``oversight serve`` runs one).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django_tasks import task

from oversight.engine.annex_a import AnnexARefused

from .models import Dataset, LoadJob, Upload
from .services import compute_figures, incoming_dir, load_dataset

log = logging.getLogger(__name__)


def queue_upload(upload_file, *, name: str, as_at, strict: bool, user) -> LoadJob:
    """Save an uploaded file where the worker finds it (owner-only), record the job, and queue it."""
    job = LoadJob(user=user if getattr(user, "is_authenticated", False) else None, source_name=name[:255],
                  as_at=as_at, strict=strict, stage="Waiting for the worker")
    folder = incoming_dir() / str(job.pk)
    folder.mkdir(mode=0o700)
    path = folder / name
    try:
        with path.open("wb") as out:
            path.chmod(0o600)
            for chunk in upload_file.chunks():
                out.write(chunk)
        job.file = str(path.relative_to(Path(settings.DATA_DIR)))
        job.save()
        run_upload.enqueue(str(job.pk))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


def _progress(job_id: Any):
    """A progress callback that writes what the page shows to the job's row."""

    def report(stage: str, **counts: Any) -> None:
        fields = {k: v for k, v in counts.items()
                  if k in ("current_list", "lists_read", "lists_total", "rows_read", "checks_run")}
        LoadJob.objects.filter(pk=job_id).update(stage=stage[:200], **fields)

    return report


@task()
def run_upload(job_id: str) -> str:
    """Read, validate, store and compute one uploaded file; the file is removed whatever happens."""
    job = LoadJob.objects.get(pk=job_id)
    if job.finished:
        return job.state
    LoadJob.objects.filter(pk=job.pk).update(state=LoadJob.State.RUNNING, stage="Starting")
    path = Path(settings.DATA_DIR) / job.file
    try:
        ds = load_dataset(path, job.as_at, user=job.user, strict=job.strict, source_name=job.source_name,
                          via="web", progress=_progress(job.pk))
    except AnnexARefused as exc:
        LoadJob.objects.filter(pk=job.pk).update(state=LoadJob.State.REFUSED, stage="Refused",
                                                 message=str(exc)[:500])
        return LoadJob.State.REFUSED
    except Exception as exc:  # noqa: BLE001 - the page says the file could not be read; the log has the detail
        log.exception("upload job %s failed", job.pk)
        message = f"{job.source_name}: this file could not be read ({type(exc).__name__})"
        Upload.objects.create(user=job.user, source_name=job.source_name, as_at=job.as_at, via="web",
                              outcome=Upload.Outcome.REFUSED, message=message[:500])
        LoadJob.objects.filter(pk=job.pk).update(state=LoadJob.State.FAILED, stage="Failed", message=message[:500])
        return LoadJob.State.FAILED
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    if ds.already_existed:
        message = f"This file was already loaded for {ds.as_at:%d/%m/%Y}; nothing new was stored."
    else:
        message = f"Stored {ds.source_name}: {ds.errors} errors, {ds.warnings} warnings."
    if ds.figures == Dataset.Figures.FAILED:
        message += " The figures could not be computed: see the dataset page to retry."
    LoadJob.objects.filter(pk=job.pk).update(state=LoadJob.State.DONE, stage="Done", dataset=ds,
                                             message=message[:500], lists_read=F("lists_total"))
    return LoadJob.State.DONE


@task()
def run_figures(dataset_pk: int, user_pk: int | None = None) -> str:
    """Compute a dataset's figures again (the retry after "figures failed")."""
    ds = Dataset.objects.get(pk=dataset_pk)
    user = get_user_model().objects.filter(pk=user_pk).first() if user_pk else None
    return compute_figures(ds, user=user).figures
