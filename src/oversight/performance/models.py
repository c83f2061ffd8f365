"""Indicator aggregates, targets, benchmarks and commentary (no child-level rows here).

Child-level rows stay in the dataset's Parquet files; the database holds only what a board
may see: each indicator × month × breakdown (overall, team, worker) with its numerator and
denominator, so any figure can be re-derived and any breakdown summed back.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class IndicatorRun(models.Model):
    """One computation of the catalogue over one dataset as at a date."""

    dataset = models.ForeignKey("datasets.Dataset", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="indicator_runs",
                                help_text="Blank when computed from a file that was not stored as a dataset.")
    source = models.CharField(max_length=300, blank=True, help_text="File or dataset the figures came from.")
    as_at = models.DateField()
    computed_at = models.DateTimeField(auto_now_add=True)
    calendar = models.CharField(max_length=300, blank=True, help_text="The working-day calendar in force.")
    settings = models.JSONField(default=dict, blank=True, help_text="Catalogue settings in force.")
    data_quality = models.JSONField(default=dict, blank=True,
                                    help_text="Per indicator: rows excluded, or why it could not be computed.")
    catalogue_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-as_at", "-computed_at"]
        get_latest_by = ["as_at", "computed_at"]

    def __str__(self) -> str:
        return f"Indicators as at {self.as_at:%d %b %Y} ({self.source or 'dataset'})"


class IndicatorValue(models.Model):
    """One figure: an indicator in a month, overall or for one team or worker."""

    OVERALL, TEAM, WORKER = "overall", "team", "worker"
    BREAKDOWNS = [(OVERALL, "Overall"), (TEAM, "Team"), (WORKER, "Worker")]

    run = models.ForeignKey(IndicatorRun, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(max_length=64)
    month = models.DateField(help_text="First day of the month.")
    breakdown = models.CharField(max_length=10, choices=BREAKDOWNS, default=OVERALL)
    breakdown_value = models.CharField(max_length=200, blank=True, default="")
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["indicator", "breakdown", "breakdown_value", "month"]
        constraints = [
            models.UniqueConstraint(fields=["run", "indicator", "month", "breakdown", "breakdown_value"],
                                    name="performance_value_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "breakdown", "month"])]
        permissions = [("view_worker_breakdown", "Can see indicator figures by worker")]

    def __str__(self) -> str:
        who = f" {self.breakdown_value}" if self.breakdown_value else ""
        return f"{self.indicator} {self.month:%Y-%m}{who}: {self.value}"


class Target(models.Model):
    """A target band for an indicator: minimum and upper tolerance, optionally dated ("by Dec 2012")."""

    indicator = models.CharField(max_length=64, db_index=True)
    minimum = models.FloatField(null=True, blank=True, help_text="Target Min (seed 001).")
    upper = models.FloatField(null=True, blank=True, help_text="Upper tolerance (seed 001).")
    due = models.DateField(null=True, blank=True, help_text="For a dated target: to be reached by this date.")
    label = models.CharField(max_length=100, blank=True, help_text='e.g. "By Jul 2013".')
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "due"]

    def __str__(self) -> str:
        when = f" {self.label or self.due}" if (self.label or self.due) else ""
        return f"{self.indicator}{when}: {self.minimum} / {self.upper}"

    def clean(self) -> None:
        """The admin (and any ModelForm) refuses a band that contradicts the measure's polarity or unit."""
        from django.core.exceptions import ValidationError

        from oversight.engine.indicators import CatalogueError

        from .services import indicator_for, target_problems

        if self.minimum is None and self.upper is None:
            raise ValidationError("Give a minimum, an upper figure, or both.")
        try:
            ind, _measure = indicator_for(self.indicator)
        except CatalogueError:
            raise ValidationError({"indicator": f"No indicator or local measure has the id {self.indicator!r}."}
                                  ) from None
        problems = target_problems(ind, self.minimum, self.upper)
        if problems:
            raise ValidationError([p[:1].upper() + p[1:] + "." for p in problems])


class Benchmark(models.Model):
    """A published comparator value (DfE statistics style), imported from CSV."""

    NATIONAL, REGIONAL, STAT_NEIGHBOURS, LOCAL_AUTHORITY = "national", "regional", "stat_neighbours", "la"
    LEVELS = [(NATIONAL, "National"), (REGIONAL, "Regional"), (STAT_NEIGHBOURS, "Statistical neighbours"),
              (LOCAL_AUTHORITY, "Local authority")]

    indicator = models.CharField(max_length=64, db_index=True)
    time_period = models.CharField(max_length=20, help_text='As DfE publish it, e.g. "202223" or "2023".')
    year = models.PositiveIntegerField(help_text="Year the period ends, for ordering.")
    level = models.CharField(max_length=20, choices=LEVELS)
    area_name = models.CharField(max_length=200, blank=True)
    area_code = models.CharField(max_length=20, blank=True)
    value = models.FloatField()
    quartile = models.CharField(max_length=20, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "-year", "level", "area_name"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "time_period", "level", "area_code", "area_name"],
                                    name="performance_benchmark_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.time_period} {self.get_level_display()} {self.area_name}: {self.value}"


class Commentary(models.Model):
    """What a manager says about an indicator's month (as in the report card), with who and when."""

    indicator = models.CharField(max_length=64, db_index=True)
    month = models.DateField(help_text="First day of the month commented on.")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "-created_at"]
        verbose_name_plural = "commentary"

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%b %Y} by {self.author}"


class EvidenceLink(models.Model):
    """An action's success measure linked to an indicator: the evidence beside the typed RAG.

    Seed 000 writes success measures such as "Section 47s that lead to an initial case
    conference – 39% target"; linking the action to ``s47_to_icpc_pct`` lets the plan show the
    measured figure, its target and its RAG next to the RAG an officer chose.
    """

    action = models.ForeignKey("plans.Action", on_delete=models.CASCADE, related_name="evidence_links")
    indicator = models.CharField(max_length=64)
    note = models.CharField(max_length=300, blank=True, help_text="How the figure evidences the action")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "indicator"]
        constraints = [models.UniqueConstraint(fields=["action", "indicator"], name="one_link_per_action_indicator")]

    def __str__(self) -> str:
        return f"{self.action} ← {self.indicator}"


# ------------------------------------------------------------------------------ local measures
class LocalMeasure(models.Model):
    """A measure no Annex A list can give (supervisions, return home interviews, vacancy rates …).

    Seed 001's scorecard carries these beside the catalogue's; once defined, a local measure is
    keyed everywhere (targets, benchmarks, commentary, evidence links, scorecard entries) by its
    indicator id ``local-<code>``, so it behaves exactly as a catalogue indicator does.
    """

    PERCENT, COUNT, DAYS, NUMBER = "percent", "count", "days", "number"
    UNITS = [(PERCENT, "Percentage (numerator ÷ denominator)"), (COUNT, "Count"),
             (DAYS, "Days (average: total days ÷ number)"), (NUMBER, "Number (as reported)")]
    HIGHER, LOWER, NO_POLARITY = "higher", "lower", "none"
    POLARITIES = [(HIGHER, "Higher is better"), (LOWER, "Lower is better"), (NO_POLARITY, "Neither (not rated)")]
    PERIOD_TYPES = [("snapshot", "Snapshot"), ("ytd", "Year to date"), ("rolling_12m", "Rolling 12 months"),
                    ("month", "Month")]
    PREFIX = "local-"

    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="local_measures")
    code = models.SlugField(max_length=50, help_text='Short name used in its indicator id "local-<code>".')
    ref = models.CharField(max_length=20, blank=True, help_text='The programme\'s reference, e.g. "1.2.1".')
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=10, choices=UNITS, default=COUNT)
    polarity = models.CharField(max_length=10, choices=POLARITIES, default=NO_POLARITY)
    period_type = models.CharField(max_length=12, choices=PERIOD_TYPES, default="snapshot")
    source = models.CharField(max_length=300, blank=True, help_text="Where the figures come from.")
    definition = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every save of the definition or of its figures: a form loaded before someone
    # else's save is refused, not silently overwritten (``local.claim``).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "ref", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="local_measure_code_unique")]

    def __str__(self) -> str:
        return f"{self.ref} {self.name}".strip()

    @property
    def indicator_id(self) -> str:
        return f"{self.PREFIX}{self.code}"

    @property
    def is_rate(self) -> bool:
        """Percent and days measures are entered as a numerator and a denominator."""
        return self.unit in (self.PERCENT, self.DAYS)


class LocalMeasureValue(models.Model):
    """One month of a local measure; the value is computed from numerator and denominator when given."""

    measure = models.ForeignKey(LocalMeasure, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(help_text="First day of the month.")
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "month"]
        constraints = [models.UniqueConstraint(fields=["measure", "month"], name="local_value_one_per_month")]

    def __str__(self) -> str:
        return f"{self.measure.indicator_id} {self.month:%Y-%m}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        from .local import computed_value

        if isinstance(self.month, str):  # "2019-10-01" as a form or fixture may give it
            self.month = dt.date.fromisoformat(self.month[:10])
        self.month = self.month.replace(day=1)
        self.value = computed_value(self.measure.unit, self.numerator, self.denominator, self.value)
        super().save(*args, **kwargs)


# ------------------------------------------------------------------------------ scorecard layout
class ScorecardGroup(models.Model):
    """A heading of the programme's own scorecard ("Placement stability", "Workforce strategy" …)."""

    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="scorecard_groups")
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    theme = models.ForeignKey("plans.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="The plan theme this group of measures reports under.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.title


class ScorecardEntry(models.Model):
    """A measure (catalogue id or ``local-<code>``) in a scorecard group, in the chosen order."""

    group = models.ForeignKey(ScorecardGroup, on_delete=models.CASCADE, related_name="entries")
    indicator = models.CharField(max_length=64)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["group", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "indicator"], name="scorecard_entry_once_per_group")]
        verbose_name_plural = "scorecard entries"

    def __str__(self) -> str:
        return f"{self.group}: {self.indicator}"
