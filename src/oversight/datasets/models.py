"""Annex A uploads: one immutable Parquet dataset per upload, with its data-quality summary.

The Parquet files (under ``settings.DATA_DIR/datasets/<dataset_id>/``) are the data; these rows
are the catalogue: who uploaded what, when, for which as-at date, and how clean it was. The full
problem list stays in the dataset's ``problems.parquet`` so the database holds no child data.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Dataset(models.Model):
    """One stored Annex A dataset (a validated upload).

    Its lifecycle keeps a mistaken upload away from the board: stored → preview (figures
    computed, shown beside the live ones) → published by a programme manager → superseded (a
    newer dataset for the same as-at was published) or withdrawn (the previous one returns).
    Only published datasets feed the scorecard and every figure.
    """

    class Status(models.TextChoices):
        STORED = "stored", "Stored"
        PREVIEW = "preview", "Preview"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Figures(models.TextChoices):
        PENDING = "pending", "Waiting to be computed"
        RUNNING = "running", "Being computed"
        READY = "ready", "Computed"
        FAILED = "failed", "Figures failed"

    dataset_id = models.CharField(max_length=80, unique=True, help_text="As-at date and start of the file's SHA-256")
    as_at = models.DateField(db_index=True, help_text="Date the lists were extracted (the inspection's as-at date)")
    sha256 = models.CharField(max_length=64, db_index=True)
    source_name = models.CharField(max_length=255, help_text="File name as uploaded")
    schema_version = models.CharField(max_length=10)
    la_code = models.CharField("LA code", max_length=3, blank=True,
                               help_text="The council whose data this is (DfE code; OVERSIGHT_COUNCIL when loaded)")
    la_name = models.CharField("council", max_length=100, blank=True)
    path = models.CharField(max_length=500, help_text="Folder of the Parquet files (absolute, or relative to DATA_DIR)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="datasets")
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    row_counts = models.JSONField(default=dict, blank=True)
    quality = models.JSONField(default=dict, blank=True, help_text="Data-quality summary (counts only)")
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STORED, db_index=True)
    figures = models.CharField(max_length=10, choices=Figures.choices, default=Figures.PENDING)
    figures_error = models.TextField(blank=True, help_text="Why the indicator run failed (shown with a retry)")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # As-at sanity: what the data itself says about its date (see services.as_at_evidence).
    latest_event = models.DateField(null=True, blank=True, help_text="Latest event date in the lists")
    extract_dates = models.JSONField(default=dict, blank=True, help_text="Dates the workbook records about itself")
    as_at_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    team_quality = models.JSONField(default=dict, blank=True,
                                    help_text="Problems per allocated team and rule (counts only)")

    class Meta:
        ordering = ["-as_at", "-uploaded_at"]
        permissions = [
            ("publish_dataset", "Can publish or withdraw an Annex A dataset"),
            ("view_team_worklist", "Can read the data-quality worklist of their own teams"),
        ]

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

    @property
    def as_at_gap_days(self) -> int | None:
        """Days between the declared as-at and the latest event in the data (None when unknown)."""
        return None if self.latest_event is None else abs((self.as_at - self.latest_event).days)

    @property
    def as_at_mismatch(self) -> bool:
        """More than a month between the declared as-at and the data: publishing needs a confirmation."""
        gap = self.as_at_gap_days
        return gap is not None and gap > AS_AT_TOLERANCE_DAYS

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED


#: More than this many days between the declared as-at and the latest event date is a mismatch.
AS_AT_TOLERANCE_DAYS = 31


class DatasetEvent(models.Model):
    """The history of a dataset's lifecycle: who did what, when, and why."""

    class Action(models.TextChoices):
        STORED = "stored", "Stored"
        PREVIEW = "preview", "Figures computed for preview"
        FIGURES_FAILED = "figures_failed", "Figures failed"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RESTORED = "restored", "Live again"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class WorklistTeam(models.Model):
    """A team (as written in Annex A's "Allocated Team") whose worklist a team manager reads."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worklist_teams")
    team = models.CharField(max_length=200)

    class Meta:
        ordering = ["team"]
        unique_together = [("user", "team")]

    def __str__(self) -> str:
        return f"{self.user}: {self.team}"


class LoadJob(models.Model):
    """An upload being read in the background, with what a progress page shows.

    The uploaded file waits under ``DATA_DIR/incoming/`` (owner-only) until the worker has read
    it, and is removed whatever the outcome.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    source_name = models.CharField(max_length=255)
    file = models.CharField(max_length=500, blank=True, help_text="Waiting file, relative to DATA_DIR")
    as_at = models.DateField()
    strict = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(max_length=200, blank=True, help_text="What is being done now")
    current_list = models.CharField(max_length=200, blank=True)
    lists_read = models.PositiveIntegerField(default=0)
    lists_total = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    checks_run = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name}: {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("datasets:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.REFUSED, self.State.FAILED)


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
