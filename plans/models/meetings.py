"""The board's and panel's meetings: the plan's calendar, which reminders, progress, the register
and the papers all read."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.models.plan import Plan


class Committee(models.TextChoices):
    IMPROVEMENT_BOARD = "Improvement Board", "Improvement Board"
    SCRUTINY_PANEL = "Scrutiny Panel", "Scrutiny Panel"


class BoardMeeting(models.Model):
    """A meeting of the board or panel; its papers are "as at" the day they are due."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_meetings")
    committee = models.CharField(
        max_length=200, choices=Committee.choices, default=Committee.IMPROVEMENT_BOARD
    )
    date = models.DateField()
    papers_due = models.DateField(
        "papers due",
        help_text="Updates made by the end of this day are in the board's papers.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "committee", "date"], name="one_meeting_per_committee_a_day"
            ),
            models.CheckConstraint(
                name="papers_due_by_the_meeting", condition=Q(papers_due__lte=models.F("date"))
            ),
        ]

    def __str__(self):
        return f"{self.committee}, {self.date.day} {self.date:%B %Y}"

    def get_absolute_url(self):
        # The meeting's page is in the boards app (by URL name only: plans imports no app).
        return reverse("boards:meeting_detail", kwargs={"plan": self.plan.reference, "pk": self.pk})

    def as_at(self, today: date) -> date:
        """The date the papers describe: the papers due date once it has come, else today."""
        return min(self.papers_due, today)

    def previous(self):
        """The committee's meeting before this one, if any."""
        return (
            BoardMeeting.objects.filter(
                plan=self.plan, committee=self.committee, date__lt=self.date
            )
            .order_by("-date")
            .first()
        )
