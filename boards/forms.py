"""The forms of the report and meeting pages."""

from datetime import date

from django import forms
from django.conf import settings

from boards.exceptions import Change, ItemKind
from boards.filters import SORTS, ItemFilter
from boards.models import AreaAssessment, DecisionRequest, DecisionState, RiskRating
from boards.word import WordPaper
from plans.forms import COMMENTARY_MAX, DATE_ERROR, DATE_HINT, TOO_LONG, DayMonthYearField
from plans.models import BoardMeeting, Committee
from plans.rag import Rag
from plans.updates_due import next_meeting

REPORT_RATINGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_RATED]


# Examples for the date boxes (named apart: the form's field `date` hides the class in its body).
MEETING_EXAMPLE, PAPERS_EXAMPLE = date(2027, 3, 25), date(2027, 3, 18)


class MeetingForm(forms.ModelForm):
    date = DayMonthYearField(
        label="Meeting date",
        called="The meeting date",
        example=MEETING_EXAMPLE,
        error_messages={"required": "Enter the meeting date."},
    )
    papers_due = DayMonthYearField(
        label="Papers due",
        called="The papers due date",
        example=PAPERS_EXAMPLE,
        help_text="Updates made by the end of this day are in the papers. For example, 18 3 2027.",
        error_messages={"required": "Enter the date papers are due."},
    )

    class Meta:
        model = BoardMeeting
        fields = ["committee", "date", "papers_due"]
        widgets = {"committee": forms.RadioSelect}
        error_messages = {"committee": {"required": "Choose the committee that meets."}}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan

    def clean(self):
        cleaned = super().clean()
        meeting_date, papers_due = cleaned.get("date"), cleaned.get("papers_due")
        if meeting_date and papers_due and papers_due > meeting_date:
            self.add_error("papers_due", "Papers must be due on or before the meeting date.")
        committee = cleaned.get("committee")
        clash = BoardMeeting.objects.filter(
            plan=self.instance.plan, committee=committee, date=meeting_date
        ).exclude(pk=self.instance.pk)
        if meeting_date and committee and clash.exists():
            self.add_error("date", f"The {committee} already meets on that day.")
        return cleaned

    def validate_unique(self):
        """Checked in clean() with a message that says what to do."""


class AreaAssessmentForm(forms.ModelForm):
    risk_rating = forms.ChoiceField(
        label="Judged risk rating",
        choices=RiskRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk rating you judge the area to have."},
    )

    analysis = forms.CharField(
        max_length=COMMENTARY_MAX,
        help_text="Where the area stands, and why you judge the risk so.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Give your analysis of where the area stands.",
            "max_length": TOO_LONG,
        },
    )
    next_steps = forms.CharField(
        label="Next steps",
        max_length=COMMENTARY_MAX,
        help_text="What will be done before the next meeting, and by whom.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the next steps are.", "max_length": TOO_LONG},
    )

    class Meta:
        model = AreaAssessment
        fields = ["risk_rating", "analysis", "next_steps"]


class ReportForm(forms.Form):
    """The report page's choices: which meeting, as at which date, and what to show."""

    meeting = forms.ModelChoiceField(
        queryset=BoardMeeting.objects.none(),
        required=False,
        empty_label="No meeting: as at a date",
        label="Meeting",
    )
    as_at = forms.DateField(
        label="As at",
        required=False,
        help_text="Leave empty for the meeting's papers date, or today. " + DATE_HINT,
        error_messages={"invalid": DATE_ERROR},
    )
    area = forms.ChoiceField(label="Priority area", required=False)
    post = forms.ChoiceField(label="Responsible post", required=False)
    rag = forms.ChoiceField(label="RAG", required=False)
    kind = forms.ChoiceField(label="Kind", required=False)
    change = forms.ChoiceField(label="Change", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False)

    def __init__(self, data, *, plan, posts: list[str], today, areas=None, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["meeting"].queryset = plan.board_meetings.order_by("-date")
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.date.day} {meeting.date:%b %Y}, {meeting.committee}"
        )
        self.fields["area"].choices = [("", "")] + [
            (area.reference, str(area))
            for area in (plan.priority_areas.all() if areas is None else areas)
        ]
        self.fields["post"].choices = [("", "")] + [(name, name) for name in posts]
        self.fields["rag"].choices = [("", ""), *[(r.value, r.label) for r in REPORT_RATINGS]]
        self.fields["kind"].choices = [("", ""), *ItemKind.choices]
        self.fields["change"].choices = [("", ""), *Change.choices]
        self.fields["sort"].choices = [(key, label) for key, (label, _) in SORTS.items()]

    def clean_as_at(self):
        as_at = self.cleaned_data["as_at"]
        if as_at and as_at > self.today:
            raise forms.ValidationError(
                "The date is in the future. Choose today or an earlier date."
            )
        return as_at


def report_moment(query, *, plan, today: date, areas: list) -> tuple:
    """The query's data (the next meeting when it names none), meeting and as-at date: a date
    with errors falls back to the meeting's papers date, or today, so a mistyped date still
    shows a report beside the message. Read first: the post filter needs the report's posts,
    and the report needs the meeting and date."""
    data = query.copy()
    if "meeting" not in data:
        meeting = next_meeting(plan, today=today)
        data["meeting"] = str(meeting.pk) if meeting else ""
    first = ReportForm(data, plan=plan, posts=[], today=today, areas=areas)
    first.is_valid()
    meeting = first.cleaned_data.get("meeting")
    as_at = first.cleaned_data.get("as_at") or (meeting.as_at(today) if meeting else today)
    return data, meeting, as_at


def report_filter(data, *, plan, today: date, areas: list, posts: list[str]) -> tuple:
    """The chair's filters of `data` and the form that checked them (with every error)."""
    form = ReportForm(data, plan=plan, posts=posts, today=today, areas=areas)
    form.is_valid()
    choices = {name: form.cleaned_data.get(name) or "" for name in ("area", "post", "rag")}
    choices |= {name: form.cleaned_data.get(name) or "" for name in ("kind", "change")}
    return ItemFilter(**choices, sort=form.cleaned_data.get("sort") or "plan"), form


def _long_text(label: str, help_text: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=COMMENTARY_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": required, "max_length": TOO_LONG},
    )


class DecisionRequestForm(forms.ModelForm):
    """A decision asked of the board, set out as a PRINCE2 exception report does."""

    meeting = forms.ModelChoiceField(
        queryset=BoardMeeting.objects.none(),
        label="Which meeting",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the meeting that should decide."},
    )
    title = forms.CharField(
        label="Decision needed",
        max_length=200,
        help_text="In one line, what you ask the board to decide.",
        error_messages={
            "required": "Say in one line what you ask the board to decide.",
            "max_length": "Keep it to 200 characters; the detail goes below.",
        },
    )
    problem = _long_text(
        "The problem", "What has gone wrong, or will, and why.", "Describe the problem."
    )
    consequence = _long_text(
        "Its consequence",
        "What happens to children, the plan or its dates if nothing is done.",
        "Say what the consequence is if nothing is done.",
    )
    options = _long_text(
        "The options",
        "Each option the board could take, with its cost and effect.",
        "Set out the options the board could take.",
    )
    recommendation = _long_text(
        "Your recommendation", "Which option you recommend, and why.", "Give your recommendation."
    )

    class Meta:
        model = DecisionRequest
        fields = ["meeting", "title", "problem", "consequence", "options", "recommendation"]

    def __init__(self, *args, plan, today, **kwargs):
        super().__init__(*args, **kwargs)
        # The board's meetings whose papers are still open: a request made later would miss
        # them (the papers are as at their due date).
        self.fields["meeting"].queryset = plan.board_meetings.filter(
            committee=Committee.IMPROVEMENT_BOARD, papers_due__gte=today
        ).order_by("date")
        self.fields["meeting"].label_from_instance = str


class DecisionForm(forms.Form):
    """What the board decided, recorded after its meeting."""

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (DecisionState.DECIDED, "The board decided"),
            (DecisionState.WITHDRAWN, "The request was withdrawn"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the board decided or the request was withdrawn."
        },
    )
    decision = _long_text(
        "What was decided",
        "As the minutes will record it, with any new date, money or change of scope.",
        "Write what was decided, or why the request was withdrawn.",
    )


class WordTemplateForm(forms.Form):
    """The council's own Word template: checked by writing a sample paper with it."""

    file = forms.FileField(
        label="Your council's Word template (.docx)",
        help_text="A Word document with your letterhead, headers, footers and styles. Its text is "
        "left out: the papers are written in its place, in its Heading, Title and table styles.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"'{upload.name}' is larger than {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB. "
                "Remove large images from it, or compress them in Word, and try again."
            )
        content = upload.read()
        try:
            paper = WordPaper("A sample paper", content)
            paper.heading("A heading", 1)
            paper.table(["A column", "Another"], [["1", "2"]], widths=[13, 13])
            paper.save()
        except Exception as error:  # python-docx raises many kinds for a file it cannot read
            raise forms.ValidationError(
                f"'{upload.name}' could not be opened as a Word document. In Word, choose "
                "File, Save As, Word Document (.docx) (not a template, .dotx), and upload that."
            ) from error
        self.cleaned_data["content"] = content
        return upload
