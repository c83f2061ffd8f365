"""Risks and issues, key areas of concern and medium-term developments (seed 001).

Seed 001's highlight report carries three registers beside the plan:

* "Key Areas of Concern" and "Medium Term Developments": ref, description, owner, by when;
* "Issues / Risks": ref, issue or risk, an "If … then …" description, mitigation / resolution,
  date raised, owner, probability 1–5, impact 1–5 and a risk score of 1–25.

The score is probability × impact and is never typed: ``Risk.save`` sets it, and a database
check refuses any row where it disagrees. Each re-score is kept as a ``RiskAssessment`` so the
board can see how a risk moved; every change keeps its history (simple_history) and carries a
``version`` so that a stale edit is refused rather than silently overwriting someone's work.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from oversight.plans.models import Action, Person, Programme

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
SCORE_RANGE = [MinValueValidator(1), MaxValueValidator(25)]

RED, AMBER, GREEN = "red", "amber", "green"


class Kind(models.TextChoices):
    RISK = "risk", "Risk"
    ISSUE = "issue", "Issue"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


def natural_key(ref: str) -> tuple:
    """Sort "2" before "10" and "1.2" before "1.10", as officers number things."""
    parts = re.split(r"(\d+)", ref or "")
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts if p)


class RiskBands(models.Model):
    """Where a programme draws its red and amber lines on the 1–25 score (seed 001: 15+, 8–14, 1–7)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="risk_bands")
    red_from = models.PositiveSmallIntegerField(default=15, validators=SCORE_RANGE,
                                                help_text="A score at or above this is red.")
    amber_from = models.PositiveSmallIntegerField(default=8, validators=SCORE_RANGE,
                                                  help_text="A score at or above this (and below red) is amber.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "risk score bands"
        verbose_name_plural = "risk score bands"
        constraints = [
            models.CheckConstraint(condition=models.Q(amber_from__gte=2) & models.Q(red_from__gt=models.F("amber_from"))
                                   & models.Q(red_from__lte=25), name="risk_bands_in_order"),
        ]

    def __str__(self) -> str:
        return f"Red {self.red_from}+, amber {self.amber_from}–{self.red_from - 1}, green 1–{self.amber_from - 1}"

    def band(self, score: int | None) -> str:
        """"red", "amber" or "green" for a score; "" when there is no score."""
        if not score:
            return ""
        if score >= self.red_from:
            return RED
        if score >= self.amber_from:
            return AMBER
        return GREEN

    def ranges(self) -> list[tuple[str, str]]:
        """[(band, "15–25"), …] for keys and legends, red first."""
        return [(RED, f"{self.red_from}–25"), (AMBER, f"{self.amber_from}–{self.red_from - 1}"),
                (GREEN, f"1–{self.amber_from - 1}")]


def bands_for(programme: Programme) -> RiskBands:
    """The programme's bands, or the defaults (15+ red, 8–14 amber, 1–7 green) when none are saved."""
    try:
        return programme.risk_bands
    except RiskBands.DoesNotExist:
        return RiskBands(programme=programme)


class Risk(models.Model):
    """One row of the risk and issue register."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="risks")
    ref = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.RISK, verbose_name="Issue / risk")
    description = models.TextField(help_text='"If … then …"')
    mitigation = models.TextField(blank=True, verbose_name="Mitigation / resolution")
    raised_on = models.DateField(null=True, blank=True, verbose_name="Date raised")
    raised_text = models.CharField(max_length=100, blank=True, help_text='As written, e.g. "January 2020"')
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="risks")
    owner_text = models.CharField(max_length=200, blank=True,
                                  help_text="As written, when the owner is more than one person or not in the list")
    probability = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    score = models.PositiveSmallIntegerField(editable=False, help_text="Probability × impact; never typed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True, verbose_name="Next review")
    target_probability = models.PositiveSmallIntegerField(null=True, blank=True, validators=ONE_TO_FIVE)
    target_impact = models.PositiveSmallIntegerField(null=True, blank=True, validators=ONE_TO_FIVE)
    indicators = models.JSONField(default=list, blank=True,
                                  help_text="Key risk indicators: catalogue ids or local-<code>")
    actions = models.ManyToManyField(Action, blank=True, related_name="risks",
                                     help_text="Plan actions that mitigate it")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["programme", "ref", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "ref"], name="risk_ref_unique_in_programme"),
            models.CheckConstraint(condition=models.Q(probability__gte=1, probability__lte=5, impact__gte=1,
                                                      impact__lte=5), name="risk_probability_impact_1_to_5"),
            models.CheckConstraint(condition=models.Q(score=models.F("probability") * models.F("impact")),
                                   name="risk_score_is_probability_times_impact"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ref}: {self.description[:60]}"

    def save(self, *args, **kwargs) -> None:
        # The one place a score is made: whatever a form, import or shell says, it is P × I.
        self.score = int(self.probability) * int(self.impact)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"score"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:risk", args=[self.programme.slug, self.pk])

    @property
    def target_score(self) -> int | None:
        if self.target_probability and self.target_impact:
            return self.target_probability * self.target_impact
        return None

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def owner_label(self) -> str:
        """The owner as the register shows it: the words as written, else the person (by role)."""
        if self.owner_text:
            return self.owner_text
        return str(self.owner) if self.owner_id else ""

    def is_open_at(self, as_at: dt.date) -> bool:
        if self.raised_on and self.raised_on > as_at:
            return False
        return self.status == Status.OPEN or bool(self.closed_on and self.closed_on > as_at)


class RiskAssessment(models.Model):
    """One scoring of a risk: the history of its score over time (one row per re-score)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    probability = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(validators=ONE_TO_FIVE)
    score = models.PositiveSmallIntegerField(editable=False)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_name = models.CharField(max_length=200, blank=True, help_text="For imported assessments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk", "assessed_on", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score=models.F("probability") * models.F("impact")),
                                   name="assessment_score_is_probability_times_impact"),
        ]

    def __str__(self) -> str:
        return f"{self.assessed_on:%d/%m/%Y}: {self.probability} × {self.impact} = {self.score}"

    def save(self, *args, **kwargs) -> None:
        self.score = int(self.probability) * int(self.impact)
        super().save(*args, **kwargs)

    @property
    def assessed_by(self) -> str:
        if self.by_id:
            return self.by.get_full_name() or self.by.get_username()
        return self.by_name


class ProgrammeNote(models.Model):
    """What a key area of concern and a medium-term development share (seed 001's two tables)."""

    ref = models.CharField(max_length=20)
    description = models.TextField()
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="%(class)ss")
    owner_text = models.CharField(max_length=200, blank=True,
                                  help_text="As written, when the owner is more than one person or not in the list")
    by_when_text = models.CharField(max_length=300, blank=True, verbose_name="By when",
                                    help_text="In the officer's own words")
    by_when = models.DateField(null=True, blank=True, help_text="The date read from By when, if one can be read")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return f"{self.ref} {self.description[:60]}".strip()

    @property
    def owner_label(self) -> str:
        if self.owner_text:
            return self.owner_text
        return str(self.owner) if self.owner_id else ""

    @property
    def no_date_read(self) -> bool:
        return bool(self.by_when_text) and self.by_when is None

    def is_overdue(self, as_at: dt.date) -> bool:
        return bool(self.by_when and self.by_when < as_at and self.status == Status.OPEN)


class Concern(ProgrammeNote):
    """A key area of concern."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="concerns")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ProgrammeNote.Meta):
        verbose_name = "key area of concern"
        verbose_name_plural = "key areas of concern"


class Development(ProgrammeNote):
    """A medium-term development."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="developments")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(ProgrammeNote.Meta):
        verbose_name = "medium-term development"
        verbose_name_plural = "medium-term developments"
