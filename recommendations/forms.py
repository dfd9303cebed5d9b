"""The forms of the recommendations register: a recommendation, what has been done, a decision."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.text import Truncator

from plans.forms import COMMENTARY_MAX, TOO_LONG, DayMonthYearField
from plans.models import BoardMeeting, Committee, InspectionKind, Objective, Post
from recommendations.models import (
    PanelDecisionKind,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
)

YEAR_ERROR = "Enter the year as four digits, for example 2021."


def meeting_label(meeting: BoardMeeting) -> str:
    return f"{meeting.date.day} {meeting.date:%b %Y}, {meeting.committee}"


class RecommendationForm(forms.ModelForm):
    """A recommendation's wording, where it came from, and what answers it."""

    source = forms.ChoiceField(
        label="Where it comes from",
        choices=RecommendationSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it comes from an inspection or a meeting."},
    )
    committee = forms.ChoiceField(
        label="Tracked by (for an inspection finding)",
        choices=Committee.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="The board or panel that follows it and decides when it is done. A meeting's "
        "own recommendation is tracked by the committee that made it.",
    )
    inspection_kind = forms.ChoiceField(
        label="Kind of finding", choices=InspectionKind.choices, required=False,
        widget=forms.RadioSelect,
    )  # fmt: skip
    objectives = forms.ModelMultipleChoiceField(
        label="Objectives that answer it",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_posts = forms.ModelMultipleChoiceField(
        label="Posts that answer for it",
        queryset=Post.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked when the linked objectives' responsible posts answer for "
        "it. The holders of these posts record what has been done.",
    )

    inspection_date = DayMonthYearField(
        label="Date of the inspection report (optional)",
        called="The inspection report's date",
        example=date(2021, 11, 26),
        required=False,
    )

    class Meta:
        model = Recommendation
        fields = [
            "source", "made_at", "inspectorate", "inspection_year", "inspection_kind",
            "inspection_date", "committee", "title", "action_proposed", "objectives",
            "responsible_posts",
        ]  # fmt: skip
        labels = {
            "made_at": "Meeting (for a meeting's recommendation)",
            "inspectorate": "Inspectorate (for an inspection finding)",
            "inspection_year": "Year of the inspection",
            "title": "Title",
            "action_proposed": "Recommendation or action proposed",
        }
        help_texts = {
            "made_at": "Not listed? A performance manager records the meeting first.",
            "inspectorate": "For example, Ofsted.",
            "inspection_year": "For example, 2021.",
            "title": "The agenda item or finding it belongs to, as the papers name it.",
        }
        error_messages = {
            "title": {"required": "Enter the title.", "max_length": "Keep the title to 300 "
                      "characters."},
            "action_proposed": {"required": "Enter the recommendation as it was made."},
            "inspection_year": {"invalid": YEAR_ERROR},
        }  # fmt: skip

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        # A recommendation is made at a meeting that has been held.
        self.fields["made_at"].queryset = plan.board_meetings.filter(
            date__lte=timezone.localdate()
        ).order_by("-date")
        self.fields["made_at"].label_from_instance = meeting_label
        self.fields["made_at"].empty_label = "Not from a meeting"
        self.fields["objectives"].queryset = plan.objectives.select_related("priority_area")
        self.fields["objectives"].label_from_instance = lambda objective: (
            f"{objective.reference} {Truncator(objective.differently_or_better).words(14)}"
        )

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source == RecommendationSource.MEETING:
            meeting = cleaned.get("made_at")
            if meeting is None:
                self.add_error("made_at", "Choose the meeting that made the recommendation.")
            else:
                cleaned["committee"] = meeting.committee
            # What only an inspection has is cleared, so a changed source leaves nothing behind.
            cleaned.update(
                inspectorate="", inspection_year=None, inspection_kind="", inspection_date=None
            )
        elif source == RecommendationSource.INSPECTION:
            cleaned["made_at"] = None
            year = cleaned.get("inspection_year")
            if year is not None and not 1900 <= year <= 2100:
                self.add_error("inspection_year", YEAR_ERROR)
            for name, message in [
                ("inspectorate", "Enter the inspectorate, for example Ofsted."),
                ("inspection_year", "Enter the year of the inspection, for example 2021."),
                ("inspection_kind", "Choose the kind of finding."),
                ("committee", "Choose the board or panel that tracks it."),
            ]:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned


class RecommendationUpdateForm(forms.Form):
    """What has been done, and the status it leaves (the rules: recommendations.services)."""

    taken_on = DayMonthYearField(
        label="Date",
        called="The date",
        example=date(2027, 3, 31),
        help_text="When it was done or reported. For example, 31 3 2027.",
        error_messages={"required": "Enter the date."},
    )
    action_taken = forms.CharField(
        label="Action taken",
        max_length=COMMENTARY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What has been done since the last entry. It is added to the log; earlier "
        "entries stay as they are.",
        error_messages={"required": "Say what has been done.", "max_length": TOO_LONG},
    )
    status = forms.ChoiceField(
        label="Progress status",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the progress status."},
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        choices = RecommendationStatus.choices
        if recommendation.source != RecommendationSource.MEETING:
            choices = [c for c in choices if c[0] != RecommendationStatus.REJECTED]
        self.fields["status"].choices = choices


DECISION_CHOICES = {
    PanelDecisionKind.ACCEPTED: "Accepted as complete: it leaves the live list",
    PanelDecisionKind.NOT_ACCEPTED: "Not accepted: it stays on the list with the reason",
    PanelDecisionKind.REJECTION_REPORTED: "Rejection reported: it leaves the live list",
}


class PanelDecisionForm(forms.Form):
    """The tracking committee's decision on a recommendation awaiting one."""

    meeting = forms.ModelChoiceField(
        label="Meeting",
        queryset=BoardMeeting.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the meeting that decided."},
    )
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision."},
    )
    reason = forms.CharField(
        label="The committee's reason (needed when it is not accepted)",
        required=False,
        max_length=COMMENTARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, meetings, decisions: list[PanelDecisionKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = meeting_label
        self.fields["decision"].choices = [(d.value, DECISION_CHOICES[d]) for d in decisions]
