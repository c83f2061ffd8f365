"""Forms for updating an action: every status or RAG change needs a dated note."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import Action, Rag, SourceKind, Status, quarter_of


def rag_for(action: Action, day) -> str:
    year, quarter = quarter_of(day)
    rating = action.rag_ratings.filter(year=year, quarter=quarter).first()
    return rating.rag if rating else ""


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def parse_quarter_key(raw: str) -> tuple[int, int] | None:
    try:
        year, q = raw.split("-Q")
        year_i, q_i = int(year), int(q)
    except (AttributeError, ValueError):
        return None
    return (year_i, q_i) if 1 <= q_i <= 4 and 1990 <= year_i <= 2100 else None


def quarter_choices(period_quarter: tuple[int, int], count: int = 6) -> list[tuple[str, str]]:
    """The period's financial quarter and the ones before it, newest first ("2019/20 Q4")."""
    year, q = period_quarter
    out = []
    for _ in range(count):
        out.append((quarter_key(year, q), f"{year}/{(year + 1) % 100:02d} Q{q}"))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out


class ActionUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Status.choices)
    rag_quarter = forms.ChoiceField(choices=[], required=False, label="Quarter the RAG is for",
                                    help_text="Defaults to the reporting period's financial quarter.")
    rag = forms.ChoiceField(choices=[("", "Not rated")] + list(Rag.choices), required=False,
                            label="RAG for that quarter")
    when_text = forms.CharField(required=False, max_length=300, label="When?")
    success_measure = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                      label="Success measure")
    note_date = forms.DateField(initial=timezone.localdate, label="Date of the note",
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Progress note")

    def __init__(self, *args, action: Action, period_quarter: tuple[int, int] | None = None, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)
        quarter = period_quarter or quarter_of(timezone.localdate())
        self.fields["rag_quarter"].choices = quarter_choices(quarter)
        self.fields["rag_quarter"].initial = quarter_key(*quarter)

    def rating_quarter(self, data) -> tuple[int, int] | None:
        """The quarter chosen; a form posted without one rates the quarter of the note's date."""
        chosen = parse_quarter_key(data.get("rag_quarter") or "")
        if chosen:
            return chosen
        return quarter_of(data["note_date"]) if data.get("note_date") else None

    def clean(self):
        data = super().clean()
        changed_status = data.get("status") and data["status"] != self.action.status
        quarter = self.rating_quarter(data)
        data["quarter"] = quarter
        old = self.action.rag_ratings.filter(year=quarter[0], quarter=quarter[1]).first() if quarter else None
        changed_rag = quarter is not None and data.get("rag", "") != (old.rag if old else "")
        if (changed_status or changed_rag) and not (data.get("note") or "").strip():
            self.add_error("note", "Add a dated progress note saying why the status or RAG changed.")
        if data.get("version") is not None and data["version"] != self.action.version:
            raise forms.ValidationError(
                "Someone else updated this action while you were editing it. Your changes were not "
                "saved; the page now shows their version. Review it and make your change again.",
                code="stale",
            )
        return data


class NoteForm(forms.Form):
    date = forms.DateField(initial=timezone.localdate, label="Date",
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Progress note")


# ----------------------------------------------------------------------------------------------
# The programme manager's forms: status, overviews, budget, settings and the plan's structure.
# Each carries the version of what it edits; the service refuses a stale save.
# ----------------------------------------------------------------------------------------------

RAG_CHOICES = [("", "Not rated")] + list(Rag.choices)


def money_field(label: str) -> forms.DecimalField:
    """Pounds and pence: at most 12 digits with 2 after the point (£9,999,999,999.99)."""
    return forms.DecimalField(label=label, required=False, max_digits=12, decimal_places=2, min_value=0,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                              error_messages={"invalid": f"{label} must be a sum of money, like 112500 or "
                                                         f"112500.00"})


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StatusReportForm(VersionedForm):
    rag = forms.ChoiceField(choices=RAG_CHOICES, required=False, label="Overall status")
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12}),
                                label="Overall progress narrative")


class ThemeOverviewForm(VersionedForm):
    rag = forms.ChoiceField(choices=RAG_CHOICES, required=False, label="Overview RAG rating")
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}),
                                label="Overview narrative")


class BudgetLineForm(VersionedForm):
    name = forms.CharField(max_length=200, label="Line", initial="Programme budget")
    budget = money_field("Budget")
    actual = money_field("Actual spend")
    forecast = money_field("Forecast spend")
    comments = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Comments")


class ProgrammeSettingsForm(VersionedForm):
    reporting_cycle = forms.ChoiceField(choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
                                        label="Reporting cycle")
    current_as_at = forms.DateField(required=False, label="Current reporting period (as at)",
                                    help_text="Any day in the period; it is saved as the period's last day. "
                                              "Leave blank to follow today's date.",
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ThemeForm(VersionedForm):
    title = forms.CharField(max_length=300, label="Theme")
    overview = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               label="Description of the theme")


class RecommendationForm(VersionedForm):
    ref = forms.CharField(max_length=20, required=False, label="Ref", help_text='For example "2.1"')
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Recommendation or objective")
    source_label = forms.CharField(max_length=200, required=False, label="Source",
                                   help_text='The inspection or visit, as officers write it: "Ofsted monitoring '
                                             'visit Jan 2020". Leave blank if none.')
    source_kind = forms.ChoiceField(choices=SourceKind.choices, required=False, label="Kind of source")
    source_date = forms.DateField(required=False, label="Date of the source",
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        if (data.get("source_kind") and data.get("source_date")) and not data.get("source_label"):
            self.add_error("source_label", "Give the source a label, or clear its date.")
        return data


class PlanActionForm(VersionedForm):
    ref = forms.CharField(max_length=20, required=False, label="No")
    title = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What?")
    owners = forms.ModelMultipleChoiceField(queryset=None, required=False, label="Who?",
                                            widget=forms.CheckboxSelectMultiple)
    when_text = forms.CharField(max_length=300, required=False, label="When?",
                                help_text='In the officer\'s words, e.g. "By end March 2020"; the due date is read '
                                          'from it.')
    success_measure = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                      label="Success measure")
    service_area = forms.CharField(max_length=200, required=False, label="Service area")

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = programme.people.order_by("name")


class StepForm(VersionedForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Step")
    when_text = forms.CharField(max_length=300, required=False, label="When?")
    status = forms.ChoiceField(choices=[("", "No status")] + list(Status.choices), required=False,
                               label="Status")


class PersonForm(VersionedForm):
    name = forms.CharField(max_length=200, label="Name")
    role = forms.CharField(max_length=200, required=False, label="Role")
    initials = forms.CharField(max_length=12, required=False, label="Initials")

    def __init__(self, *args, programme, instance=None, **kwargs):
        self.programme, self.instance = programme, instance
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = self.programme.people.filter(name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("There is already someone with this name in the programme.")
        return name
