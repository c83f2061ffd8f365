"""Annex A uploads: one immutable Parquet dataset per upload, with its data-quality summary.

The Parquet files (under ``settings.DATA_DIR/datasets/<dataset_id>/``) are the data; these rows
are the catalogue: who uploaded what, when, for which as-at date, and how clean it was. The full
problem list stays in the dataset's ``problems.parquet`` so the database holds no child data.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Dataset(models.Model):
    """One stored Annex A dataset (a validated upload)."""

    dataset_id = models.CharField(max_length=80, unique=True, help_text="As-at date and start of the file's SHA-256")
    as_at = models.DateField(db_index=True, help_text="Date the lists were extracted (the inspection's as-at date)")
    sha256 = models.CharField(max_length=64, db_index=True)
    source_name = models.CharField(max_length=255, help_text="File name as uploaded")
    schema_version = models.CharField(max_length=10)
    path = models.CharField(max_length=500, help_text="Folder of the Parquet files (absolute, or relative to DATA_DIR)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="datasets")
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    row_counts = models.JSONField(default=dict, blank=True)
    quality = models.JSONField(default=dict, blank=True, help_text="Data-quality summary (counts only)")
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-as_at", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.source_name} as at {self.as_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("datasets:detail", args=[self.dataset_id])

    @property
    def folder(self) -> Path:
        p = Path(self.path)
        return p if p.is_absolute() else Path(settings.DATA_DIR) / p

    @property
    def total_rows(self) -> int:
        return sum(int(n) for n in self.row_counts.values())


class Upload(models.Model):
    """Every attempt to load a file, stored or not: the 'who uploaded what when' log."""

    class Outcome(models.TextChoices):
        STORED = "stored", "Stored"
        ALREADY = "already", "Already loaded"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="annex_a_uploads")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    source_name = models.CharField(max_length=255)
    as_at = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads")
    message = models.CharField(max_length=500, blank=True)
    via = models.CharField(max_length=10, default="web", help_text="web or cli")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_outcome_display()}) at {self.at:%Y-%m-%d %H:%M}"
