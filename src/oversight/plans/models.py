"""The improvement plan: programme → themes → recommendations → actions → steps and notes.

The shape follows the councils' own papers: seed 000's Improvement Action Tracker (No, What,
Who, How, When, Success measure, Current status, Outcome), seed 002's action plan (service
area, resources with additional revenue, lead person by initials) and seed 001's highlight
report (themes, objectives, RAG per quarter with its RAG guidance).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    """The status words officers use in the trackers (seed 000, seed 003)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ONGOING = "ongoing", "Ongoing"
    PART_COMPLETED = "part_completed", "Part completed"
    REVIEW = "review", "Review"
    COMPLETED = "completed", "Completed"
    COMPLETED_ONGOING = "completed_ongoing", "Completed and ongoing"
    CLOSED_MERGED = "closed_merged", "Closed – merged"
    CLOSED_DISBANDED = "closed_disbanded", "Closed – disbanded"
    CLOSED_DEFERRED = "closed_deferred", "Closed – deferred"


#: Statuses that move an action into "Actions completed as at <date>" (seed 000's split).
DONE_STATUSES = frozenset({Status.COMPLETED, Status.COMPLETED_ONGOING, Status.CLOSED_MERGED,
                           Status.CLOSED_DISBANDED, Status.CLOSED_DEFERRED})


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


#: Seed 001's "Guidance for RAG status", shown wherever a RAG is set or read.
RAG_GUIDANCE = {
    Rag.GREEN: {
        "overall": "Activity on track and delivering expected outcomes",
        "action": "Improvement activity is on track or completed and delivering expected outcomes.",
    },
    Rag.AMBER: {
        "overall": "Activity on track but expected outcomes have not yet been evidenced and/ or activity "
                   "delayed but still being delivered",
        "action": "There is some minor delay in improvement activity and/ or activity is on track but "
                  "limited evidence of outcomes",
    },
    Rag.RED: {
        "overall": "Activity not on track and outcomes are poor or deteriorating",
        "action": "There is significant delay in improvement activity and/ or activity is not delivering "
                  "expected outcomes",
    },
}


class SourceKind(models.TextChoices):
    INSPECTION = "inspection", "Inspection"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    PEER_REVIEW = "peer_review", "Peer review"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    OTHER = "other", "Other"


class Programme(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    sro = models.ForeignKey("Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            verbose_name="Senior responsible officer")
    programme_manager = models.ForeignKey("Person", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    aim = models.TextField(blank=True)
    reporting_cycle = models.CharField(
        max_length=10, choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")], default="monthly",
        help_text="How often the programme reports to its board.")
    current_as_at = models.DateField(
        null=True, blank=True, verbose_name="Current reporting period (as at)",
        help_text="The as-at date of the current reporting period, normally the month end of the latest "
                  "data. Pages, counts and new ratings default to it. Blank: the period that contains today.")
    # Every model the programme manager edits in the app carries a version: a save made from a
    # page loaded before someone else's save is refused, not silently overwritten.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("import_plan", "Can import a plan from a Word or Excel file")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:programme", args=[self.slug])


class Person(models.Model):
    """Someone who owns actions, shown by name and role, keyed by initials (seed 002's KEY)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    initials = models.CharField(max_length=12, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="plan_people")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="person_name_unique_in_programme"),
        ]

    def __str__(self) -> str:
        if self.role and self.role != self.name:
            return f"{self.name} ({self.role})"
        return self.name


class Source(models.Model):
    """Where a recommendation came from: an inspection, a monitoring visit, a review."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sources")
    label = models.CharField(max_length=200, help_text='As officers write it, e.g. "Ofsted Dec 2016"')
    kind = models.CharField(max_length=30, choices=SourceKind.choices, default=SourceKind.INSPECTION)
    date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["date", "label"]
        constraints = [models.UniqueConstraint(fields=["programme", "label"], name="source_label_unique")]

    def __str__(self) -> str:
        return self.label


class Theme(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    overview = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    """A recommendation or objective (ref like ``1`` or ``2.1``) with its source."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveIntegerField(default=0)
    ref = models.CharField(max_length=20, blank=True)
    text = models.TextField()
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="recommendations")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme", "order", "id"]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}".strip()


class Action(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField(default=0)
    ref = models.CharField(max_length=20, blank=True)
    title = models.TextField(help_text="What?")
    owners = models.ManyToManyField(Person, blank=True, related_name="actions", help_text="Who?")
    when_text = models.CharField(max_length=300, blank=True, help_text="When?, in the officer's own words")
    due = models.DateField(null=True, blank=True, help_text="The date read from When?, if one can be read")
    success_measure = models.TextField(blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    service_area = models.CharField(max_length=200, blank=True)
    resources = models.TextField(blank=True)
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(max_length=200, blank=True)
    additional_revenue = models.BooleanField(default=False)
    # Incremented on every save through the app: two officers editing the same action cannot
    # silently overwrite each other (the second save is refused and shown what changed).
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["recommendation", "order", "id"]
        permissions = [("update_own_action", "Can update actions they own")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title[:60]}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plans:action", args=[self.recommendation.theme.programme.slug, self.pk])

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    def is_overdue(self, as_at: dt.date | None = None) -> bool:
        """Due before the reporting period's as-at date and not completed.

        Pages pass the period's ``as_at`` (``plans.periods``); today is only a fallback for
        callers outside a page.
        """
        as_at = as_at or timezone.localdate()
        return bool(self.due and self.due < as_at and not self.is_done)

    @property
    def no_date_read(self) -> bool:
        """When? was written but no date could be read from it ("Ongoing", "Phase 2").

        Such an action can never be overdue by arithmetic, so pages show "no date read" and
        list it for attention instead of silently treating it as not due.
        """
        return bool(self.when_text.strip()) and self.due is None

    @property
    def latest_rating(self) -> RagRating | None:
        """The most recent quarter's RAG (uses prefetched ratings, ordered by period)."""
        ratings = list(self.rag_ratings.all())
        return ratings[-1] if ratings else None


class Step(models.Model):
    """One bullet of "How?": its own when and status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()
    when_text = models.CharField(max_length=300, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ProgressNote(models.Model):
    """A dated progress note. Notes accumulate; the app never edits or deletes one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="progress_notes")
    author_name = models.CharField(max_length=200, blank=True, help_text="For imported notes")
    status_from = models.CharField(max_length=30, choices=Status.choices, blank=True)
    status_to = models.CharField(max_length=30, choices=Status.choices, blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "date", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.text[:60]}"

    @property
    def written_by(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name


class RagRating(models.Model):
    """A RAG per reporting period: a quarter of the financial year (Q1 = April–June)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rag_ratings")
    year = models.PositiveIntegerField(help_text="Financial year starting, e.g. 2019 for 2019/20")
    quarter = models.PositiveSmallIntegerField(choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")])
    rag = models.CharField(max_length=10, choices=Rag.choices)
    note = models.ForeignKey(ProgressNote, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["action", "year", "quarter"], name="one_rag_per_action_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.period_label}: {self.get_rag_display()}"

    @property
    def period_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.quarter}"


def quarter_of(day: dt.date) -> tuple[int, int]:
    """Financial year and quarter of a date (April starts Q1), as the board papers count."""
    if day.month >= 4:
        return day.year, (day.month - 4) // 3 + 1
    return day.year - 1, 4


class StatusReport(models.Model):
    """Seed 001's "Overall Status" and "Overall progress narrative" for one reporting period."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="status_reports")
    period_end = models.DateField(help_text="The as-at date of the reporting period")
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True, verbose_name="Overall status")
    narrative = models.TextField(blank=True, verbose_name="Overall progress narrative")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_name = models.CharField(max_length=200, blank=True, help_text="For imported records")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["programme", "period_end"]
        constraints = [models.UniqueConstraint(fields=["programme", "period_end"],
                                               name="one_status_report_per_period")]

    def __str__(self) -> str:
        return f"{self.programme} as at {self.period_end:%d/%m/%Y}: {self.get_rag_display() or 'not rated'}"

    @property
    def written_by(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name


class ThemeOverview(models.Model):
    """Seed 001's "Overview narrative" and "Overview RAG rating" of a theme for one period."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="overviews")
    period_end = models.DateField(help_text="The as-at date of the reporting period")
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True, verbose_name="Overview RAG rating")
    narrative = models.TextField(blank=True, verbose_name="Overview narrative")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_name = models.CharField(max_length=200, blank=True, help_text="For imported records")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["theme", "period_end"]
        constraints = [models.UniqueConstraint(fields=["theme", "period_end"],
                                               name="one_theme_overview_per_period")]

    def __str__(self) -> str:
        return f"{self.theme} as at {self.period_end:%d/%m/%Y}: {self.get_rag_display() or 'not rated'}"

    @property
    def written_by(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name


class BudgetLine(models.Model):
    """A line of seed 001's "Progress against" budget table; the variance is computed, never typed."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    period_end = models.DateField(help_text="The as-at date of the reporting period")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200, default="Programme budget")
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                 verbose_name="Actual spend")
    forecast = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                   verbose_name="Forecast spend")
    comments = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_name = models.CharField(max_length=200, blank=True, help_text="For imported records")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["programme", "period_end", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} as at {self.period_end:%d/%m/%Y}"

    @property
    def written_by(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_name

    @property
    def variance(self):
        """Forecast spend minus budget (overspend positive); None when either is missing."""
        if self.forecast is None or self.budget is None:
            return None
        return self.forecast - self.budget


class Membership(models.Model):
    """A person's role in one programme (or, with no programme, in every programme of the council).

    Roles are per programme: the same person can manage one programme and only read another.
    The role is a Django group (``accounts.roles.ROLES``) so that an administrator can adjust
    what a role may do; the groups a user is put in directly grant nothing any more
    (``accounts.backends.ProgrammeRoleBackend`` reads only memberships). A membership with an
    ``expires_on`` date grants nothing from that date on: inspectors' access must end by itself.
    """

    class Via(models.TextChoices):
        APP = "app", "Granted in Oversight"
        COMMAND = "command", "Granted at the command line"
        SSO = "sso", "Given by the council's sign-on"
        MIGRATED = "migrated", "Carried over from the old council-wide roles"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="memberships",
                                  help_text="Blank: the role holds in every programme (council-wide).")
    role = models.ForeignKey("auth.Group", on_delete=models.PROTECT, related_name="memberships")
    expires_on = models.DateField(null=True, blank=True,
                                  help_text="The role grants nothing from this date on. Required for inspectors.")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.APP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme__name", "role__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "programme", "role"], name="membership_once_per_programme"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(programme__isnull=True),
                                    name="membership_once_council_wide"),
        ]
        permissions = [("grant_any_role", "Can grant any role, including child-level access and administrator")]

    def __str__(self) -> str:
        where = self.programme.name if self.programme_id else "every programme"
        return f"{self.user} — {self.role} in {where}"

    def save(self, *args, **kwargs) -> None:
        self.clean()  # an inspector without an end date is refused however the membership is made
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from oversight.accounts.roles import EXPIRING_ROLES

        if self.role_id and self.role.name in EXPIRING_ROLES and self.expires_on is None:
            from django.core.exceptions import ValidationError

            raise ValidationError({"expires_on": f"An {self.role.name.lower()}'s access must end on a date."})

    def is_live(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.expires_on is None or on < self.expires_on
