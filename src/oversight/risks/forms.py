"""Forms for the registers. A score is never a field: probability and impact are, and the page says P × I."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from oversight.plans.models import Action, Person

from .models import Kind, Risk, Status
from .queries import indicator_names

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
SCALE = [(n, str(n)) for n in range(1, 6)]
SCALE_BLANK = [("", "Not set")] + SCALE


def _person_choices(programme) -> list[tuple[str, str]]:
    return [("", "Nobody chosen")] + [(str(p.pk), str(p)) for p in Person.objects.filter(programme=programme)]


def _action_choices(programme) -> list[tuple[str, str]]:
    qs = (Action.objects.filter(recommendation__theme__programme=programme)
          .order_by("recommendation__theme__order", "recommendation__order", "order", "id"))
    return [(str(a.pk), f"{a.ref} {a.title[:90]}".strip()) for a in qs]


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.obj is not None and data.get("version") is not None and data["version"] != self.obj.version:
            raise forms.ValidationError(
                "Someone else changed this while you were editing it. Your changes were not saved; the page "
                "now shows their version. Review it and make your change again.", code="stale")
        return data


class RiskForm(_Versioned):
    """Adding a risk (with its first score) or changing its details (``scored=False``)."""

    ref = forms.CharField(max_length=20, label="Ref")
    kind = forms.ChoiceField(choices=Kind.choices, label="Issue or risk")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                                  label="Description", help_text='"If … then …"')
    mitigation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 label="Mitigation / resolution")
    raised_text = forms.CharField(required=False, max_length=100, label="Date raised, as written",
                                  help_text='For example "January 2020"')
    raised_on = forms.DateField(required=False, label="Date raised (if not read from the words)", **DATE)
    owner = forms.ChoiceField(required=False, label="Owner")
    owner_text = forms.CharField(required=False, max_length=200, label="Owner, as written",
                                 help_text="Only when the owner is more than one person or not in the list")
    probability = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Probability (1–5)")
    impact = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Impact (1–5)")
    review_on = forms.DateField(required=False, label="Next review", **DATE)
    target_probability = forms.TypedChoiceField(choices=SCALE_BLANK, coerce=int, empty_value=None, required=False,
                                                label="Target probability after mitigation")
    target_impact = forms.TypedChoiceField(choices=SCALE_BLANK, coerce=int, empty_value=None, required=False,
                                           label="Target impact after mitigation")
    indicators = forms.MultipleChoiceField(required=False, label="Key risk indicators",
                                           widget=forms.SelectMultiple(attrs={"size": 8}))
    actions = forms.MultipleChoiceField(required=False, label="Plan actions that mitigate it",
                                        widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, programme, scored: bool = True, **kwargs):
        self.programme = programme
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _person_choices(programme)
        self.fields["indicators"].choices = sorted(indicator_names(programme).items(), key=lambda kv: kv[1])
        self.fields["actions"].choices = _action_choices(programme)
        if not scored:  # details only: a change of score is a re-score, with its date and note
            del self.fields["probability"], self.fields["impact"]

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        clash = Risk.objects.filter(programme=self.programme, ref=ref)
        if self.obj is not None:
            clash = clash.exclude(pk=self.obj.pk)
        if clash.exists():
            raise forms.ValidationError(f"Ref {ref} is already used by another risk or issue in this programme.")
        return ref

    def clean(self):
        data = super().clean()
        tp, ti = data.get("target_probability"), data.get("target_impact")
        if (tp is None) != (ti is None):
            self.add_error("target_impact" if ti is None else "target_probability",
                           "Give both the target probability and the target impact, or neither.")
        return data

    def details(self) -> dict:
        d = self.cleaned_data
        owner = Person.objects.filter(programme=self.programme, pk=d["owner"]).first() if d.get("owner") else None
        return {"ref": d["ref"], "kind": d["kind"], "description": d["description"].strip(),
                "mitigation": d["mitigation"].strip(), "raised_text": d["raised_text"].strip(),
                "raised_on": d["raised_on"], "owner": owner, "owner_text": d["owner_text"].strip(),
                "review_on": d["review_on"], "target_probability": d["target_probability"],
                "target_impact": d["target_impact"], "indicators": list(d["indicators"])}

    def chosen_actions(self) -> list[Action]:
        ids = [int(x) for x in self.cleaned_data.get("actions") or []]
        return list(Action.objects.filter(recommendation__theme__programme=self.programme, pk__in=ids))

    @staticmethod
    def initial_for(risk: Risk) -> dict:
        return {"version": risk.version, "ref": risk.ref, "kind": risk.kind, "description": risk.description,
                "mitigation": risk.mitigation, "raised_text": risk.raised_text, "raised_on": risk.raised_on,
                "owner": str(risk.owner_id or ""), "owner_text": risk.owner_text, "review_on": risk.review_on,
                "target_probability": risk.target_probability, "target_impact": risk.target_impact,
                "indicators": list(risk.indicators or []), "actions": [str(a.pk) for a in risk.actions.all()]}


class RescoreForm(_Versioned):
    probability = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Probability (1–5)")
    impact = forms.TypedChoiceField(choices=SCALE, coerce=int, label="Impact (1–5)")
    assessed_on = forms.DateField(label="Date of this assessment", initial=timezone.localdate, **DATE)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why the score changed (or stayed)")


class CloseForm(_Versioned):
    closed_on = forms.DateField(label="Date closed", initial=timezone.localdate, **DATE)
    closed_reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why it is closed")

    def clean_closed_reason(self):
        reason = self.cleaned_data["closed_reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the risk or issue is closed.")
        return reason


class ReopenForm(_Versioned):
    reason = forms.CharField(required=False, max_length=100, label="Why it is open again")


class EntryForm(_Versioned):
    """A key area of concern or a medium-term development."""

    ref = forms.CharField(max_length=20, label="Ref")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Description")
    owner = forms.ChoiceField(required=False, label="Owner")
    owner_text = forms.CharField(required=False, max_length=200, label="Owner, as written",
                                 help_text="Only when the owner is more than one person or not in the list")
    by_when_text = forms.CharField(required=False, max_length=300, label="By when",
                                   help_text='In your own words: "Cabinet Reports - March 2020", "Ongoing"')
    status = forms.ChoiceField(choices=Status.choices, label="Status")

    def __init__(self, *args, programme, **kwargs):
        self.programme = programme
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _person_choices(programme)

    def values(self) -> dict:
        d = self.cleaned_data
        owner = Person.objects.filter(programme=self.programme, pk=d["owner"]).first() if d.get("owner") else None
        return {"ref": d["ref"].strip(), "description": d["description"].strip(), "owner": owner,
                "owner_text": d["owner_text"].strip(), "by_when_text": d["by_when_text"].strip(),
                "status": d["status"]}

    @staticmethod
    def initial_for(e) -> dict:
        return {"version": e.version, "ref": e.ref, "description": e.description, "owner": str(e.owner_id or ""),
                "owner_text": e.owner_text, "by_when_text": e.by_when_text, "status": e.status}


class BandsForm(forms.Form):
    red_from = forms.IntegerField(min_value=2, max_value=25, label="Red from (score)")
    amber_from = forms.IntegerField(min_value=2, max_value=24, label="Amber from (score)")

    def clean(self):
        data = super().clean()
        red, amber = data.get("red_from"), data.get("amber_from")
        if red is not None and amber is not None and amber >= red:
            self.add_error("amber_from", "Amber must start below red.")
        return data
