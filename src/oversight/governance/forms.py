"""Edit forms for every governance record, made from one table of kinds.

Why a table: a board, a meeting, its agenda items, papers, attendance, decisions and actions
arising, a visit with its findings and judgements, a work programme with its tasks, projects,
frameworks and assessments are all small records edited the same way by the programme
manager; one form factory and one view keep their behaviour (choices limited to the programme,
stale edits refused) the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from . import models as m
from .queries import month_key


@dataclass(frozen=True)
class Kind:
    model: type
    fields: tuple[str, ...]
    parent: str | None  # the field naming the parent record (None: the programme)
    parent_kind: str | None
    label: str


KINDS: dict[str, Kind] = {
    "board": Kind(m.Board, ("name", "kind", "cadence", "quorum", "purpose"), None, None, "board"),
    "member": Kind(m.BoardMember, ("role", "person", "is_chair", "voting", "order"), "board", "board", "member"),
    "meeting": Kind(m.Meeting, ("date", "location", "minutes_approved", "notes"), "board", "board", "meeting"),
    "agenda": Kind(m.AgendaItem, ("number", "title", "presenter", "order"), "meeting", "meeting", "agenda item"),
    "paper": Kind(m.Paper, ("title", "issued_on", "reference", "order"), "meeting", "meeting", "paper"),
    "attendance": Kind(m.Attendance, ("member", "role", "status"), "meeting", "meeting", "attendance"),
    "decision": Kind(m.Decision, ("text", "order"), "meeting", "meeting", "decision"),
    "arising": Kind(m.ActionArising, ("text", "owner", "owner_text", "due", "status", "order"), "meeting", "meeting",
                    "action arising"),
    "visit": Kind(m.Visit, ("kind", "title", "start", "end", "letter_on", "conclusion", "summary", "focus_areas"),
                  None, None, "inspection or visit"),
    "finding": Kind(m.Finding, ("kind", "text", "order"), "visit", "visit", "finding"),
    "judgement": Kind(m.Judgement, ("area", "grade"), "visit", "visit", "judgement"),
    "workprogramme": Kind(m.WorkProgramme, ("title", "version_text", "start_month", "months", "notes"), None, None,
                          "work programme"),
    "task": Kind(m.WorkTask, ("description", "lead", "meeting", "visit", "order"), "work_programme",
                 "workprogramme", "task"),
    "project": Kind(m.Project, ("number", "title", "lead", "parent", "actions", "order"), None, None,
                    "project or work package"),
    "framework": Kind(m.Framework, ("name", "description", "levels"), None, None, "self-assessment framework"),
    "assessment": Kind(m.Assessment, ("assessed_on", "title"), "framework", "framework", "assessment"),
    "entry": Kind(m.AssessmentEntry, ("item", "level", "evidence", "next_steps", "when_text", "success"),
                  "assessment", "assessment", "assessment entry"),
}


def programme_of(obj):
    """Walk up the parents to the programme (every kind ends at one)."""
    while not hasattr(obj, "programme_id"):
        for name in ("board", "meeting", "visit", "work_programme", "framework", "assessment"):
            if hasattr(obj, f"{name}_id"):
                obj = getattr(obj, name)
                break
    return obj.programme


class LinesField(forms.CharField):
    """A list of short texts typed one per line (focus areas, level names)."""

    widget = forms.Textarea

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


def form_for(kind: str, programme, parent=None, instance=None, data=None) -> forms.ModelForm:
    spec = KINDS[kind]
    overrides: dict = {}
    if "focus_areas" in spec.fields:
        overrides["focus_areas"] = LinesField(required=False, label="Focus areas", help_text="One per line")
    if "levels" in spec.fields:
        overrides["levels"] = LinesField(label="Level names", help_text="Levels 1 to 5, one per line")

    class Form(forms.ModelForm):
        version = forms.IntegerField(widget=forms.HiddenInput, required=False)

        class Meta:
            model = spec.model
            fields = spec.fields
            widgets = {f.name: forms.DateInput(attrs={"type": "date"}) for f in spec.model._meta.fields
                       if f.get_internal_type() == "DateField"}

        def clean_levels(self):
            levels = self.cleaned_data["levels"]
            if len(levels) != 5:
                raise forms.ValidationError(f"Give exactly 5 level names, one per line (found {len(levels)}).")
            return levels

        def clean_level(self):
            level = self.cleaned_data["level"]
            if not 1 <= level <= 5:
                raise forms.ValidationError("Choose a level from 1 to 5.")
            return level

    for name, field in overrides.items():
        Form.base_fields[name] = field
    form = Form(data=data, instance=instance)
    if instance is not None and hasattr(instance, "version"):
        form.initial.setdefault("version", instance.version)
    _limit_choices(form, programme, parent if parent is not None else (instance and _parent_of(kind, instance)))
    if kind == "task":
        _add_month_fields(form, parent if parent is not None else instance.work_programme, instance)
    return form


def _parent_of(kind: str, obj):
    spec = KINDS[kind]
    return getattr(obj, spec.parent) if spec.parent else None


def _limit_choices(form, programme, parent) -> None:
    """Choices only from this programme (its people, actions, meetings, visits, projects, items)."""
    limits = {
        "person": lambda qs: qs.filter(programme=programme), "owner": lambda qs: qs.filter(programme=programme),
        "meeting": lambda qs: qs.filter(board__programme=programme),
        "visit": lambda qs: qs.filter(programme=programme),
        "parent": lambda qs: qs.filter(programme=programme, parent=None),
        "actions": lambda qs: qs.filter(recommendation__theme__programme=programme),
        "member": lambda qs: qs.filter(board=parent.board) if parent is not None else qs.none(),
        "item": lambda qs: qs.filter(framework=parent.framework) if parent is not None else qs.none(),
    }
    for name, limit in limits.items():
        field = form.fields.get(name)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = limit(field.queryset)


def _add_month_fields(form, wp, task) -> None:
    choices = [("", "–"), *m.CellKind.choices]
    for month in wp.month_list():
        key = month_key(month)
        form.fields[f"month_{key}"] = forms.ChoiceField(
            choices=choices, required=False, label=f"{month:%B %Y}",
            initial=(task.cells.get(key, "") if task else ""))


def month_cells(form) -> dict[str, str]:
    return {name[6:]: value for name, value in form.cleaned_data.items() if name.startswith("month_") and value}


class ConvertForm(forms.Form):
    """Which theme of the plan a finding or an action arising goes under."""

    theme = forms.ModelChoiceField(queryset=None, label="Theme of the plan")
    ref = forms.CharField(required=False, max_length=20, label="Reference in the plan (optional)")

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = programme.themes.all()


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=m.ProjectState.choices)
    on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(widget=forms.Textarea, label="Reason")
    merged_into = forms.ModelChoiceField(queryset=None, required=False, label="Merged into (which one)")

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = m.Project.objects.filter(programme=project.programme).exclude(
            pk=project.pk)

    def clean(self):
        data = super().clean()
        if data.get("state") == m.ProjectState.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", "Say which project or work package it was merged into.")
        return data


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label="Framework workbook (.xlsx)")
    name = forms.CharField(max_length=200, label="Framework name")


class ReportingRuleForm(forms.Form):
    """A board's reporting calendar settings (``ReportingRule``)."""

    reports = forms.MultipleChoiceField(
        choices=[], widget=forms.CheckboxSelectMultiple, label="Reports the board expects at each meeting")
    publish_clear_days = forms.IntegerField(
        min_value=0, max_value=60, label="Clear working days between publication and the meeting",
        help_text="At least 5 for a council committee (Local Government Act 1972 s.100B); the day of "
                  "publication and the day of the meeting do not count.")
    approve_days_before = forms.IntegerField(min_value=0, max_value=60,
                                             label="Working days between approval and publication")

    def __init__(self, *args, **kwargs):
        from oversight.reports.builders import NAMES, TITLES

        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(n, TITLES[n]) for n in NAMES]
