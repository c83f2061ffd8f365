"""Forms for updating an action: every status or RAG change needs a dated note."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import Action, Rag, Status, quarter_of


def rag_for(action: Action, day) -> str:
    year, quarter = quarter_of(day)
    rating = action.rag_ratings.filter(year=year, quarter=quarter).first()
    return rating.rag if rating else ""


class ActionUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Status.choices)
    rag = forms.ChoiceField(choices=[("", "Not rated")] + list(Rag.choices), required=False,
                            label="RAG for the quarter of the note's date")
    when_text = forms.CharField(required=False, max_length=300, label="When?")
    success_measure = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                      label="Success measure")
    note_date = forms.DateField(initial=timezone.localdate, label="Date of the note",
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Progress note")

    def __init__(self, *args, action: Action, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        changed_status = data.get("status") and data["status"] != self.action.status
        # The RAG belongs to the reporting quarter of the note's date.
        changed_rag = bool(data.get("note_date")) and data.get("rag", "") != rag_for(self.action, data["note_date"])
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
