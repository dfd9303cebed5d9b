from django import forms
from django.conf import settings
from django.utils import timezone

from plans.evidence import evidence_problem
from plans.models import ActionStatus
from plans.progress import progress_problems

# Board papers are read on paper: a long text belongs in an evidence file. The limit also
# bounds how long one item can take to print.
COMMENTARY_MAX = 4000
TOO_LONG = (
    "Keep this to %(limit_value)d characters (it has %(show_value)d). Attach longer notes as "
    "evidence."
)


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Plan workbook",
        help_text="The .xlsx import template (or a .zip or .json file from an export).",
        error_messages={"required": "Select the plan workbook to upload."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
            limit = settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                f"The file is larger than {limit} MB. Remove unused sheets or images and try again."
            )
        return upload


class ProgressForm(forms.Form):
    """An update of one action. The rules it must meet live in plans.progress."""

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
    revised_due_date = forms.DateField(
        label="Revised due date (optional)",
        required=False,
        help_text="Only if the date is changing. For example, 31/03/2027.",
        error_messages={"invalid": "Enter the date as day/month/year, for example 31/03/2027."},
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


class AuditResultForm(forms.Form):
    month = forms.DateField(
        label="Month",
        help_text="Any date in the month the audits are for, for example 31/01/2027.",
        error_messages={
            "required": "Enter the month the audits are for.",
            "invalid": "Enter a date as day/month/year, for example 31/01/2027.",
        },
    )
    audited = forms.IntegerField(
        label="Cases audited",
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": "Enter how many cases were audited.",
            "min_value": "Enter at least 1 case audited.",
            "max_value": "Enter no more than 100,000 cases.",
            "invalid": "Enter a whole number, such as 20.",
        },
    )
    good_or_outstanding = forms.IntegerField(
        label="Graded good or outstanding",
        min_value=0,
        error_messages={
            "required": "Enter how many were graded good or outstanding (0 if none).",
            "min_value": "Enter 0 or more.",
            "invalid": "Enter a whole number, such as 14.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        month = cleaned.get("month")
        if month and month.replace(day=1) > timezone.localdate().replace(day=1):
            self.add_error(
                "month",
                "Enter this month or an earlier one: audits are recorded after they happen.",
            )
        audited, good = cleaned.get("audited"), cleaned.get("good_or_outstanding")
        if audited is not None and good is not None and good > audited:
            self.add_error(
                "good_or_outstanding",
                f"Enter no more than the {audited} cases audited.",
            )
        return cleaned


DATE_HINT = "For example, 31/10/2026."
DATE_ERROR = "Enter the date as day/month/year, for example 31/10/2026."
