"""Loading an Annex A file into a stored dataset: shared by ``oversight annex-a load`` and the upload page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.compute as pc
from django.conf import settings
from django.db import transaction

from oversight.engine.annex_a import AnnexARefused, LoadResult, read_annex_a, write_dataset
from oversight.engine.annex_a.model import problems_from_table

from .models import Dataset, Upload
from .signals import dataset_stored


def datasets_root() -> Path:
    return Path(settings.DATA_DIR) / "datasets"


def strict_refusal(result: LoadResult) -> AnnexARefused | None:
    """In strict mode any problem refuses the file; the reason names the first one."""
    table = result.problem_table
    if not table.num_rows:
        return None
    errors = table.filter(pc.equal(table["severity"], "error"))
    first = problems_from_table((errors if errors.num_rows else table).slice(0, 1))[0]
    return AnnexARefused(
        f"{result.source_name}: refused in strict mode: {result.error_count} errors and {result.warning_count} "
        f"warnings (first: {first.location()}: found '{first.value}', expected {first.expected})"
    )


def check_file(path: Path, as_at: date, strict: bool = False, schema_version: str | None = None) -> LoadResult:
    """Read and validate without storing. Raises :class:`AnnexARefused` for structural problems."""
    result = read_annex_a(Path(path), as_at, schema_version)
    if strict and (refusal := strict_refusal(result)):
        raise refusal
    return result


def load_dataset(path: Path, as_at: date, user=None, strict: bool = False, *, source_name: str | None = None,
                 schema_version: str | None = None, via: str = "cli") -> Dataset:
    """Validate ``path`` and store it as a dataset (or find it already stored).

    The returned ``Dataset`` has ``already_existed`` set. A refusal (structural, or any problem
    under ``strict``) is logged as a refused upload and re-raised as :class:`AnnexARefused`.
    """
    name = source_name or Path(path).name
    try:
        result = check_file(path, as_at, strict=strict, schema_version=schema_version)
    except AnnexARefused as exc:
        Upload.objects.create(user=user, source_name=name[:255], as_at=as_at, outcome=Upload.Outcome.REFUSED,
                              message=str(exc)[:500], via=via)
        raise
    if source_name:
        result.source_name = source_name
    info = write_dataset(result, datasets_root())
    with transaction.atomic():
        ds = Dataset.objects.filter(dataset_id=info.id).first()
        already = ds is not None
        if ds is None:
            summary = info.manifest["data_quality"]
            ds = Dataset.objects.create(
                dataset_id=info.id, as_at=as_at, sha256=result.sha256, source_name=name[:255],
                schema_version=result.schema_version, path=str(info.path.resolve()), uploaded_by=user,
                row_counts=info.manifest["row_counts"], quality=summary,
                errors=summary["errors"], warnings=summary["warnings"],
            )
        Upload.objects.create(user=user, source_name=name[:255], as_at=as_at, dataset=ds, via=via,
                              outcome=Upload.Outcome.ALREADY if already else Upload.Outcome.STORED)
    ds.already_existed = already
    if not already:
        dataset_stored.send(sender=Dataset, dataset=ds)
    return ds
