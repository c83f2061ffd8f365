"""The governance cycle around the plan: boards and meetings, inspections and visits, the work
programme, projects and work packages, self-assessment frameworks and the reminder log.

The shapes follow the councils' papers: seed 000 is a whole agenda pack (the decision group's
agenda, Ofsted's third monitoring letter, the improvement partner's work programme Sept 2017 –
Jan 2018, the High Impact Change Model self-assessment); seed 003 reports projects and work
packages by their lifecycle (on schedule, deferred, merged, closing down, closed, disbanded).
People are recorded by role; a ``plans.Person`` is linked where one exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


# ------------------------------------------------------------------------------ boards and meetings
class BoardKind(models.TextChoices):
    IMPROVEMENT_BOARD = "improvement_board", "Improvement board"
    CABINET = "cabinet", "Cabinet"
    SCRUTINY = "scrutiny", "Scrutiny"
    CORPORATE_PARENTING = "corporate_parenting", "Corporate parenting board"
    COUNCIL = "council", "Council"
    DECISION_GROUP = "decision_group", "Policy development and decision group"
    OTHER = "other", "Other"


class Board(models.Model):
    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BoardKind.choices, default=BoardKind.IMPROVEMENT_BOARD)
    cadence = models.CharField(max_length=100, blank=True, help_text='As the terms of reference say, e.g. "Monthly"')
    quorum = models.PositiveSmallIntegerField(default=0, help_text="Members who must be present (0: no quorum set)")
    purpose = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="board_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:board", args=[self.programme.slug, self.pk])


class BoardMember(models.Model):
    """A seat on a board, by role; the person who holds it is optional."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    order = models.PositiveIntegerField(default=0)
    role = models.CharField(max_length=200)
    person = models.ForeignKey("plans.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_chair = models.BooleanField(default=False)
    voting = models.BooleanField(default=True, help_text="Counts towards the quorum")

    class Meta:
        ordering = ["board", "order", "id"]

    def __str__(self) -> str:
        return f"{self.role} ({self.person.name})" if self.person_id else self.role


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    minutes_approved = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "date"]
        constraints = [models.UniqueConstraint(fields=["board", "date"], name="one_meeting_per_board_day")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.board.programme.slug, self.pk])

    @property
    def label(self) -> str:
        """As a source is written: "Improvement board, 12 March 2020"."""
        return f"{self.board.name}, {self.date.day} {self.date:%B %Y}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveIntegerField(default=0)
    number = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=200, blank=True, help_text="By role")

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Paper(models.Model):
    """A paper issued for the meeting (an appendix, the issued board pack)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    issued_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=300, blank=True, help_text="Where the paper is kept (a link or file name)")

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BoardMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=200, help_text="By role, as the minutes list them")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.role}: {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionArising(models.Model):
    """An action arising from a meeting; it can become a plan action whose source is the meeting."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions_arising")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()
    owner = models.ForeignKey("plans.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner_text = models.CharField(max_length=200, blank=True, help_text="By role, as the minutes say")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    plan_action = models.ForeignKey("plans.Action", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="arising_from")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner_label(self) -> str:
        return self.owner_text or (str(self.owner) if self.owner_id else "")


# ------------------------------------------------------------------------------ reporting calendar
#: What each kind of board receives when it has no rule of its own (names of ``reports.builders``):
#: the improvement board reads the highlight report, the risk register and the action tracker
#: (seed 001); cabinet, scrutiny, council and the decision group read the committee cover report
#: with its appendices (seed 004); the corporate parenting board reads the report card.
DEFAULT_REPORTS = {
    "improvement_board": ["highlight", "risks", "tracker"],
    "cabinet": ["committee"], "scrutiny": ["committee"], "council": ["committee"],
    "decision_group": ["committee"], "corporate_parenting": ["report-card"], "other": ["highlight"],
}


class ReportingRule(models.Model):
    """What a board expects at each meeting and how far ahead: the reporting calendar's settings.

    The dates follow from each meeting's date (``governance.deadlines``): papers published
    ``publish_clear_days`` clear working days before the meeting (5, the Local Government Act
    1972 s.100B minimum), approved ``approve_days_before`` working days before publication.
    """

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="reporting_rule")
    reports = models.JSONField(default=list, blank=True, help_text="Report names: highlight, risks, tracker, …")
    publish_clear_days = models.PositiveSmallIntegerField(
        default=5, help_text="Clear working days between publication and the meeting (at least 5 for a council "
                             "committee: Local Government Act 1972 s.100B)")
    approve_days_before = models.PositiveSmallIntegerField(
        default=2, help_text="Working days between approval and publication")
    history = HistoricalRecords()

    class Meta:
        ordering = ["board"]

    def __str__(self) -> str:
        return f"Reporting calendar of {self.board}"


class PackForMeeting(models.Model):
    """The board pack (``reports.BoardPack``) that goes to a meeting, chosen by the programme manager.

    Kept on the governance side so the reports app needs no migration; a pack whose
    ``meeting_date`` is the meeting's date counts without a link.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="pack_link")
    pack = models.ForeignKey("reports.BoardPack", on_delete=models.CASCADE, related_name="+")
    linked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.pack} for {self.meeting}"


# ------------------------------------------------------------------------------ inspections and visits
class VisitKind(models.TextChoices):
    ILACS_FULL = "ilacs_full", "ILACS full inspection"
    ILACS_SHORT = "ilacs_short", "ILACS short inspection"
    SIF = "sif", "Single inspection framework (SIF)"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    JTAI = "jtai", "Joint targeted area inspection (JTAI)"
    PEER_REVIEW = "peer_review", "Peer review"
    DFE_REVIEW = "dfe_review", "DfE review"


#: The plans app's source kinds for a visit's kind (a finding's recommendation shows where it came from).
SOURCE_KIND = {
    VisitKind.MONITORING_VISIT: "monitoring_visit", VisitKind.FOCUSED_VISIT: "focused_visit",
    VisitKind.PEER_REVIEW: "peer_review", VisitKind.DFE_REVIEW: "other",
}


class Conclusion(models.TextChoices):
    EXPECTED = "expected", "Expected progress"
    SLOW = "slow", "Slow progress"
    INADEQUATE = "inadequate", "Inadequate progress"


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class Visit(models.Model):
    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=30, choices=VisitKind.choices)
    title = models.CharField(max_length=300)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    letter_on = models.DateField(null=True, blank=True, help_text="Date of the letter or report")
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices, blank=True,
                                  help_text="Monitoring visits: the progress the letter concludes")
    summary = models.TextField(blank=True)
    focus_areas = models.JSONField(default=list, blank=True, help_text="The areas covered, one per line")
    source = models.ForeignKey("plans.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "start"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:visit", args=[self.programme.slug, self.pk])

    @property
    def source_label(self) -> str:
        """How the plan names it: "Ofsted monitoring visit July 2017"."""
        return f"{self.title} {self.start:%B %Y}" if str(self.start.year) not in self.title else self.title


class Finding(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        WEAKNESS = "weakness", "Area for improvement"
        RECOMMENDATION = "recommendation", "Recommendation"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WEAKNESS)
    text = models.TextField()
    recommendation = models.ForeignKey("plans.Recommendation", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="findings")
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class JudgementArea(models.TextChoices):
    OVERALL = "overall", "Overall effectiveness"
    LEADERS = "leaders", "The impact of leaders on social work practice with children and families"
    HELP_PROTECTION = "help_protection", "The experiences and progress of children who need help and protection"
    IN_CARE = "in_care", "The experiences and progress of children in care"
    CARE_LEAVERS = "care_leavers", "The experiences and progress of care leavers"
    ADOPTION = "adoption", "Adoption performance"
    LSCB = "lscb", "The effectiveness of the local safeguarding children board"


class Judgement(models.Model):
    """A grade for one judgement area at one visit; the area's history is its judgements over time.

    From April 2026 Ofsted gives no overall effectiveness grade, so areas stand on their own.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=30, choices=JudgementArea.choices)
    grade = models.CharField(max_length=30, choices=Grade.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "area"]
        constraints = [models.UniqueConstraint(fields=["visit", "area"], name="one_judgement_per_area_per_visit")]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_grade_display()}"


# ------------------------------------------------------------------------------ work programme
class CellKind(models.TextChoices):
    PROJECT = "project", "Project task"
    ONGOING = "ongoing", "Ongoing task"
    MILESTONE = "milestone", "Milestone"


class WorkProgramme(models.Model):
    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="work_programmes")
    title = models.CharField(max_length=300)
    version_text = models.CharField(max_length=100, blank=True, help_text='As written, e.g. "v1 - 1/9/17"')
    start_month = models.DateField(help_text="The first month shown (its first day)")
    months = models.PositiveSmallIntegerField(default=5)
    notes = models.TextField(blank=True, help_text='The key under the grid, e.g. "H = Hampshire"')
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "start_month", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:work_programme", args=[self.programme.slug, self.pk])

    def month_list(self) -> list[dt.date]:
        out, day = [], self.start_month.replace(day=1)
        for _ in range(self.months):
            out.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out


class WorkTask(models.Model):
    work_programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=500)
    lead = models.CharField(max_length=100, blank=True, help_text="Resource (lead), as written")
    cells = models.JSONField(default=dict, blank=True,
                             help_text='Month → kind: {"2017-09": "project", "2017-10": "milestone"}')
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="A milestone's meeting")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="A milestone's inspection or visit")
    history = HistoricalRecords()

    class Meta:
        ordering = ["work_programme", "order", "id"]

    def __str__(self) -> str:
        return self.description


# ------------------------------------------------------------------------------ projects and work packages
class ProjectState(models.TextChoices):
    INITIATION = "initiation", "Initiation"
    ON_SCHEDULE = "on_schedule", "On schedule"
    DEFERRED = "deferred", "Deferred"
    MERGED = "merged", "Merged into another"
    CLOSING_DOWN = "closing_down", "Closing down"
    CLOSED = "closed", "Closed"
    DISBANDED = "disbanded", "Disbanded"


class Project(models.Model):
    """A project or, with a parent, one of its work packages (seed 003)."""

    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="projects")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="packages")
    order = models.PositiveIntegerField(default=0)
    number = models.CharField(max_length=20, help_text='"1" for a project, "2.4" for a work package')
    title = models.CharField(max_length=300)
    lead = models.CharField(max_length=200, blank=True, help_text="By role")
    state = models.CharField(max_length=20, choices=ProjectState.choices, default=ProjectState.INITIATION)
    state_on = models.DateField(null=True, blank=True)
    state_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="projects")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="project_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:projects", args=[self.programme.slug]) + f"#project-{self.pk}"


class ProjectStateChange(models.Model):
    """Each move through the lifecycle, with its date and reason, kept for good."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(max_length=20, choices=ProjectState.choices)
    on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    merged_into = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.on or ''}".strip()


# ------------------------------------------------------------------------------ self-assessment
DEFAULT_LEVELS = ["Not yet established", "Plans in place", "Established", "Mature", "Exemplary"]


class Framework(models.Model):
    """A self-assessment framework as data: changes (or lines of enquiry) × maturity levels 1–5."""

    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="frameworks")
    name = models.CharField(max_length=200)
    levels = models.JSONField(default=list, help_text="The names of levels 1 to 5")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="framework_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:framework", args=[self.programme.slug, self.pk])

    def level_name(self, level: int | None) -> str:
        names = self.levels or DEFAULT_LEVELS
        return names[level - 1] if level and 1 <= level <= len(names) else ""


class FrameworkItem(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Descriptor(models.Model):
    """What one level looks like for one row of a change (a change has several rows)."""

    item = models.ForeignKey(FrameworkItem, on_delete=models.CASCADE, related_name="descriptors")
    row = models.PositiveSmallIntegerField(default=1)
    level = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["item", "row", "level"]

    def __str__(self) -> str:
        return f"Level {self.level}: {self.text[:60]}"


class Assessment(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "assessed_on", "id"]

    def __str__(self) -> str:
        return self.title or f"{self.framework} {self.assessed_on:%d/%m/%Y}"


class AssessmentEntry(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(FrameworkItem, on_delete=models.CASCADE, related_name="entries")
    level = models.PositiveSmallIntegerField()
    evidence = models.TextField(blank=True, help_text="Where are you")
    next_steps = models.TextField(blank=True, help_text="What do you need to do")
    when_text = models.CharField(max_length=200, blank=True, help_text="When will it be done by")
    success = models.TextField(blank=True, help_text="How will you know it is successful")
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "item__order", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_entry_per_item")]

    def __str__(self) -> str:
        return f"{self.item.code}: level {self.level}"


# ------------------------------------------------------------------------------ reminders
class ReminderLog(models.Model):
    """One e-mail sent by ``oversight remind``: the same reminder is never sent twice in a day."""

    class Kind(models.TextChoices):
        OWNER = "owner", "Reminder to the owner"
        ESCALATION = "escalation", "Escalation to the programme manager"
        PACK = "pack", "Board pack to approve"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.CharField(max_length=254)
    day = models.DateField()
    actions = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "recipient"]
        constraints = [models.UniqueConstraint(fields=["kind", "recipient", "day"], name="one_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} on {self.day}"


# ------------------------------------------------------------------------------ plan templates
class StatutoryPlan(models.Model):
    """A plan made from a template (``layouts.LAYOUTS``), its rows kept in the template's own columns."""

    programme = models.ForeignKey("plans.Programme", on_delete=models.CASCADE, related_name="statutory_plans")
    layout = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    period_text = models.CharField(max_length=50, blank=True, help_text='As written, e.g. "2017/18"')
    approved_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:statutory_plan", args=[self.programme.slug, self.pk])


class StatutoryPlanRow(models.Model):
    plan = models.ForeignKey(StatutoryPlan, on_delete=models.CASCADE, related_name="rows")
    section = models.CharField(max_length=40)
    order = models.PositiveIntegerField(default=0)
    cells = models.JSONField(default=list, help_text="The row's texts, one per column of the section")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "section", "order", "id"]

    def __str__(self) -> str:
        return " | ".join(self.cells)[:80]
