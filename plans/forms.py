from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from plans.roles import READ_GIVEN_PLANS
from plans.spreadsheets import WorkbookError, check_upload_size

User = get_user_model()

# Board papers are read on paper: a long text belongs in an evidence file. The limit also
# bounds how long one item can take to print.
COMMENTARY_MAX = 4000
TOO_LONG = (
    "Keep this to %(limit_value)d characters (it has %(show_value)d). Attach longer notes as "
    "evidence."
)


class SpreadsheetField(forms.FileField):
    """An uploaded spreadsheet, refused over the upload limit before anything reads it."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                check_upload_size(upload.name, upload.size)
            except WorkbookError as error:
                raise forms.ValidationError(str(error)) from error
        return upload


class PlanUploadForm(forms.Form):
    file = SpreadsheetField(
        label="Plan workbook",
        help_text="The .xlsx import template (or a .zip or .json file from an export).",
        error_messages={"required": "Select the plan workbook to upload."},
    )


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


class DayMonthYearWidget(forms.MultiWidget):
    """GOV.UK's date input: three boxes, day, month and year (name_day, name_month, name_year)."""

    def __init__(self, attrs=None):
        parts = {part: forms.TextInput for part in ("day", "month", "year")}
        super().__init__(parts, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DayMonthYearField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's messages for what is missing or wrong."""

    widget = DayMonthYearWidget

    def __init__(self, *, called: str, example: date, **kwargs):
        self.called = called  # "The revised due date": what the messages call it
        self.example = f"{example.day} {example.month} {example.year}"
        kwargs.setdefault("help_text", f"For example, {self.example}")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        typed = [str(part or "").strip() for part in (value or [None, None, None])]
        parts = dict(zip(("day", "month", "year"), typed, strict=True))
        if not any(parts.values()):
            return None
        called = self.called
        missing = [name for name, text in parts.items() if not text]
        if missing:
            raise forms.ValidationError(f"{called} must include a {' and a '.join(missing)}.")
        if not all(text.isdigit() for text in parts.values()):
            raise forms.ValidationError(
                f"Enter {called[0].lower()}{called[1:]} in numbers, for example {self.example}."
            )
        if len(parts["year"]) != 4:
            raise forms.ValidationError("The year must have 4 numbers, for example 2027.")
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError(
                f"{called} must be a real date, for example {self.example}."
            ) from None


class PlanReadersForm(forms.Form):
    """Which board members and panel clerks read a plan (the others read it only if given it)."""

    readers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Board members and panel clerks who read this plan",
        help_text="Everyone else with a role reads every plan.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, initial={"readers": plan.members.all()}, **kwargs)
        field = self.fields["readers"]
        field.queryset = (
            User.objects.filter(groups__name__in=READ_GIVEN_PLANS, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        field.label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.username})"
        )


class RolloverForm(forms.Form):
    """Next year's plan: its reference, title and first day (plans.rollover)."""

    reference = forms.SlugField(
        label="Reference",
        max_length=50,
        help_text="Used in its web address: lower-case letters, digits and hyphens, for "
        "example improvement-2027-28.",
        error_messages={
            "required": "Enter the new plan's reference.",
            "invalid": "Use only lower-case letters, digits and hyphens in the reference.",
        },
    )
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the new plan's title."}
    )
    start = DayMonthYearField(
        label="First day",
        called="The first day",
        example=date(2027, 4, 1),
        error_messages={"required": "Enter the new plan's first day."},
    )
