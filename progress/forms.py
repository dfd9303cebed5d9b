"""The progress update form: status, commentary, a revised date with its reason, evidence."""

from datetime import date

from django import forms

from plans.forms import COMMENTARY_MAX, TOO_LONG, DayMonthYearField
from plans.models import ActionStatus
from progress.evidence import evidence_problem
from progress.services import progress_problems


class ProgressForm(forms.Form):
    """An update of one action. The rules it must meet live in progress.services."""

    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    commentary = forms.CharField(
        label="Commentary",
        required=False,
        max_length=COMMENTARY_MAX,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has happened since the last update. Needed when the action is at risk, "
        "off track or overdue, or when its due date is revised.",
    )
    revised_due_date = DayMonthYearField(
        label="Revised due date (optional)",
        called="The revised due date",
        example=date(2027, 3, 31),
        required=False,
        help_text="Only if the date is changing. For example, 31 3 2027.",
    )
    revision_reason = forms.CharField(
        label="Reason for the new date",
        required=False,
        max_length=COMMENTARY_MAX,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_link = forms.URLField(
        label="Link to evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, such as https://example.org/report"},
    )
    evidence_file = forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text="PDF, Word, Excel, PNG or JPEG, up to 10 MB.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.today = today

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            problem = evidence_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
        return upload

    def clean(self):
        cleaned = super().clean()
        if "status" in cleaned:
            problems = progress_problems(
                action=self.action,
                status=cleaned["status"],
                commentary=cleaned.get("commentary", ""),
                revised_due_date=cleaned.get("revised_due_date"),
                revision_reason=cleaned.get("revision_reason", ""),
                today=self.today,
            )
            for field, message in problems.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned
