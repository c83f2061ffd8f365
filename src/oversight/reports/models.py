"""Board packs: a numbered version of every report for a period, approved, then issued and frozen.

Why a model at all: what the board read must be retrievable exactly as it was issued, for ever,
whatever is edited afterwards. Issuing stores each file (bytes and SHA-256) and a JSON snapshot
of every builder's output; an issued pack refuses any later save.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from oversight.plans.models import Programme


class PackState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    ISSUED = "issued", "Issued"


class IssuedPackError(Exception):
    """An issued pack (or one of its files) was about to change."""


class BoardPack(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="board_packs")
    period_end = models.DateField(help_text="The as-at date of the reporting period")
    version = models.PositiveIntegerField(help_text="Version number, counting up per programme (\"Version 21\")")
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=20, choices=PackState.choices, default=PackState.DRAFT)
    comment = models.TextField(blank=True, help_text="The latest request for changes")
    # Seed 004: the committee cover report's narrative, edited while the pack is a draft.
    meeting = models.CharField(max_length=200, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    wards_affected = models.CharField(max_length=200, blank=True, default="All wards")
    report_title = models.CharField(max_length=300, blank=True)
    key_decision = models.CharField(max_length=3, choices=[("", "—"), ("yes", "Yes"), ("no", "No")], blank=True)
    decision_implemented = models.CharField(max_length=200, blank=True,
                                            verbose_name="When the decision is to be implemented")
    executive_lead = models.TextField(blank=True, help_text="Name, title, telephone, email")
    supporting_officer = models.TextField(blank=True, help_text="Name, title, telephone, email")
    proposal = models.TextField(blank=True, verbose_name="1. Proposal and introduction")
    reason = models.TextField(blank=True, verbose_name="2. Reason for proposal")
    recommendations = models.TextField(blank=True, verbose_name="3. Recommendations / proposed decision")
    equality_impact = models.TextField(blank=True, verbose_name="Equality impact assessment (appendix)")
    background_documents = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True, help_text="Every builder's output at issue time")

    NARRATIVE_FIELDS = ("meeting", "meeting_date", "wards_affected", "report_title", "key_decision",
                        "decision_implemented", "executive_lead", "supporting_officer", "proposal", "reason",
                        "recommendations", "equality_impact", "background_documents")

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [models.UniqueConstraint(fields=["programme", "version"], name="one_pack_per_version")]
        permissions = [
            ("manage_boardpack", "Can create, submit and issue board packs"),
            ("approve_boardpack", "Can approve board packs"),
            ("view_issued_boardpack", "Can read issued board packs"),
            # Live reports (any period, figures as they stand) are for those who prepare packs; the
            # board reads what was issued.
            ("view_live_report", "Can read and download live, unissued reports for any period"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (Version {self.version})"

    def save(self, *args, **kwargs) -> None:
        if self.pk and not getattr(self, "_issuing", False):
            stored = BoardPack.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == PackState.ISSUED:
                raise IssuedPackError(f"Version {self.version} was issued and never changes.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:pack", args=[self.programme.slug, self.version])

    @property
    def is_issued(self) -> bool:
        return self.state == PackState.ISSUED

    def delete(self, *args, **kwargs):
        if self.is_issued:
            raise IssuedPackError(f"Version {self.version} was issued and is kept for ever.")
        return super().delete(*args, **kwargs)


class PackEvent(models.Model):
    """Who moved the pack, when, and why (a request for changes carries its comment)."""

    CREATED, SUBMITTED, CHANGES_REQUESTED, APPROVED, ISSUED, EDITED = (
        "created", "submitted", "changes_requested", "approved", "issued", "edited")
    ACTIONS = [(CREATED, "Created"), (SUBMITTED, "Submitted for approval"),
               (CHANGES_REQUESTED, "Changes requested"), (APPROVED, "Approved"), (ISSUED, "Issued"),
               (EDITED, "Narrative edited")]

    pack = models.ForeignKey(BoardPack, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=ACTIONS)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["pack", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.by} at {self.at:%d/%m/%Y %H:%M}"


class IssuedFile(models.Model):
    """One file of an issued pack, byte for byte as issued."""

    pack = models.ForeignKey(BoardPack, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=40, help_text="Report name: highlight, tracker, …")
    format = models.CharField(max_length=10)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pack", "name", "format"]
        constraints = [models.UniqueConstraint(fields=["pack", "name", "format"], name="one_issued_file")]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            raise IssuedPackError("An issued file never changes.")
        super().save(*args, **kwargs)
