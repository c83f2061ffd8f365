from __future__ import annotations

from django import forms
from django.utils import timezone

from oversight.engine.annex_a.loader import SPREADSHEET_SUFFIXES


class UploadForm(forms.Form):
    """An Annex A workbook and the date its lists were extracted."""

    file = forms.FileField(
        label="Annex A workbook",
        help_text="The Excel workbook with sheets 'List 1' to 'List 11' (.xlsx; .xls and .ods also read).",
    )
    as_at = forms.DateField(
        label="As-at date",
        help_text="The date the lists were extracted. Dates after it are reported as 'in the future'.",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),  # what <input type=date> needs
        initial=timezone.localdate,
    )
    strict = forms.BooleanField(
        label="Refuse the file if any problem is found (strict)",
        required=False,
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not any(name.endswith(s) for s in SPREADSHEET_SUFFIXES):
            raise forms.ValidationError("Choose an Excel workbook (.xlsx, .xls or .ods).")
        return f


class ReportFilterForm(forms.Form):
    """Filters of the data-quality report; choices come from the dataset's summary."""

    table = forms.ChoiceField(label="List", required=False)
    column = forms.ChoiceField(label="Column", required=False)
    rule = forms.ChoiceField(label="Rule", required=False)
    severity = forms.ChoiceField(label="Severity", required=False,
                                 choices=[("", "All"), ("error", "Errors"), ("warning", "Warnings")])

    def __init__(self, *args, lists: list[tuple[str, str]], columns: list[str], rules: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [("", "All lists"), *lists]
        self.fields["column"].choices = [("", "All columns")] + [(c, c) for c in columns]
        self.fields["rule"].choices = [("", "All rules")] + [(r, r) for r in rules]


class PublishForm(forms.Form):
    """Publishing; when the as-at date is far from the data's own dates, an explicit confirmation."""

    confirm_as_at = forms.BooleanField(
        label="I have checked the as-at date: publish these figures for it anyway", required=False)

    def __init__(self, *args, needs_confirmation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_confirmation = needs_confirmation
        if not needs_confirmation:
            del self.fields["confirm_as_at"]

    def clean(self):
        data = super().clean()
        if self.needs_confirmation and not data.get("confirm_as_at"):
            raise forms.ValidationError("Confirm the as-at date before publishing: it does not match the data.")
        return data


class WithdrawForm(forms.Form):
    """Withdrawing a published dataset: the reason is kept in its history."""

    reason = forms.CharField(label="Why is this dataset withdrawn?", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)
