"""The measures that matter: indicators, their monthly values, benchmarks, the board summary's
choices, and uploads waiting to be confirmed.

The tables kept the names they had in the plans app (db_table): the move wrote no SQL."""

import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import Plan, PriorityArea
from plans.moved_models import KeptHistoricalRecords
from plans.rag import Direction, Rag, band_in_words, band_rag


class IndicatorUnit(models.TextChoices):
    NUMBER = "number", "Number"
    PERCENTAGE = "percentage", "Percentage"
    RATE = "rate_per_10000", "Rate per 10,000"


class PeriodType(models.TextChoices):
    SNAPSHOT = "snapshot", "Snapshot"
    YEAR_TO_DATE = "year_to_date", "Year to date"
    ROLLING_YEAR = "rolling_year", "Rolling year"
    MONTHLY_COUNT = "monthly_count", "Monthly count"


class Indicator(models.Model):
    """A measure that matters, judged by the minimum/upper target model (product rule 2).

    The council's indicators are one library: a measure and its monthly figures are kept once,
    and linked into each plan it evidences (`plans`), so a figure loaded for one board's plan is
    the same figure in another's. docs/decisions.md says why."""

    reference = models.CharField(max_length=30, unique=True)
    area = models.CharField(max_length=100)
    title = models.TextField()
    unit = models.CharField(max_length=20, choices=IndicatorUnit.choices)
    period_type = models.CharField(max_length=20, choices=PeriodType.choices)
    polarity = models.CharField(
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text="Empty: inferred from the targets (a minimum above the upper target means "
        "lower is better), or not rated when they cannot say.",
    )
    minimum = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    upper_target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    tolerance = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target_is_strict = models.BooleanField(
        default=False, help_text='The target itself is not met, as in "<10".'
    )
    target_as_written = models.CharField(max_length=100, blank=True)
    plans = models.ManyToManyField(
        Plan,
        blank=True,
        related_name="indicators",
        help_text="The plans whose pages, summary and board pack show this indicator.",
    )
    priority_areas = models.ManyToManyField(
        PriorityArea,
        blank=True,
        related_name="indicators",
        db_table="plans_indicator_priority_areas",
    )
    # Both links are kept in the indicator's history, so a report as at a past date shows the
    # plan's measures as they were then. Change them from the indicator's side: the history
    # library records the change on the side it is made from.
    history = KeptHistoricalRecords(
        m2m_fields=[plans, priority_areas], table_name="plans_historicalindicator"
    )

    class Meta:
        db_table = "plans_indicator"  # the table it had in the plans app, kept
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                name="indicator_tolerance_not_negative",
                condition=Q(tolerance__isnull=True) | Q(tolerance__gte=0),
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title[:80]}"

    @property
    def effective_polarity(self) -> str:
        """The polarity as set, else as the targets imply it; "" when nothing says."""
        if self.polarity:
            return self.polarity
        if self.minimum is not None and self.upper_target is not None:
            if self.minimum > self.upper_target:
                return Direction.LOWER_IS_BETTER
            if self.minimum < self.upper_target:
                return Direction.HIGHER_IS_BETTER
        return ""

    def get_effective_polarity_display(self) -> str:
        return Direction(self.effective_polarity).label if self.effective_polarity else ""

    @property
    def amber_limit(self) -> Decimal | None:
        """The edge between Amber and Red: the minimum, else the target less its tolerance."""
        if self.minimum is not None:
            return self.minimum
        if self.upper_target is None:
            return None
        tolerance = self.tolerance or Decimal(0)
        if self.effective_polarity == Direction.LOWER_IS_BETTER:
            return self.upper_target + tolerance
        return self.upper_target - tolerance

    def format_figure(self, value: Decimal | None) -> str:
        """A figure in its unit: 87%, 1,828, 105 per 10,000."""
        if value is None:
            return "Missing"
        text = f"{value.normalize():,f}"
        if self.unit == IndicatorUnit.PERCENTAGE:
            return f"{text}%"
        if self.unit == IndicatorUnit.RATE:
            return f"{text} per 10,000"
        return text

    def target_in_words(self) -> str:
        """The target as the papers wrote it, else as figures, with which way is better."""
        target = self.target_as_written or self.format_figure(self.upper_target)
        polarity = self.get_effective_polarity_display().lower()
        return f"{target}, {polarity}" if polarity else target

    def target_rule(self) -> str:
        """How a figure is rated against the target, in words ("Green at 20 or more; ..."), or
        why it is not rated."""
        why = self.why_not_rated()
        if why:
            return f"Not rated: {why[:1].lower()}{why[1:]}"
        return band_in_words(
            direction=self.effective_polarity, amber=self.amber_limit, green=self.upper_target,
            strict=self.target_is_strict, show=self.format_figure,
        )  # fmt: skip

    def why_not_rated(self) -> str:
        """Why no figure of this indicator is rated, in a few words for a table's row ("" when
        its figures are rated)."""
        if self.upper_target is None:
            written = (self.target_as_written or "").strip()
            if re.search(r"\b(tbc|tba|to be (confirmed|agreed|set))\b", written, re.IGNORECASE):
                return "Target to be confirmed"
            return f"No target ({written})" if written else "No target given"
        if not self.effective_polarity:
            return "Which way is better is not given"
        return ""

    def rag_for(self, value: Decimal | None) -> Rag:
        if value is None or self.why_not_rated():
            return Rag.NOT_RATED
        return band_rag(
            value,
            direction=self.effective_polarity,
            amber=self.amber_limit,
            green=self.upper_target,
            strict=self.target_is_strict,
        )


class IndicatorValue(models.Model):
    """One month's figure; a missing figure is a row with no value, never a zero."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(help_text="The first day of the month the figure is for.")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)
    provisional = models.BooleanField(
        default=False, help_text="Marked provisional by the loader: it may yet be revised."
    )
    history = HistoricalRecords(table_name="plans_historicalindicatorvalue")

    class Meta:
        db_table = "plans_indicatorvalue"
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="one_value_a_month"),
            models.CheckConstraint(name="month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.indicator.reference} {self.month:%B %Y}: {self.value}"

    @property
    def rag(self) -> Rag:
        return self.indicator.rag_for(self.value)


class BenchmarkKind(models.TextChoices):
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
    SOUTH_EAST = "south_east", "South East"
    ENGLAND = "england", "England"
    OUTTURN = "outturn", "Outturn"


class Benchmark(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    kind = models.CharField(max_length=30, choices=BenchmarkKind.choices)
    year = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords(table_name="plans_historicalbenchmark")

    class Meta:
        db_table = "plans_benchmark"
        ordering = ["indicator", "kind", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kind", "year"], name="one_benchmark_a_year"
            )
        ]

    def __str__(self):
        return f"{self.indicator.reference} {self.get_kind_display()} {self.year}"


def pending_upload_to(pending, filename: str) -> str:
    # A generated name: the uploaded name is kept only as data, never as a path.
    return f"pending-uploads/{uuid.uuid4().hex}"


class PendingIndicatorUpload(models.Model):
    """A checked upload waiting for its uploader to confirm it. The file is kept in storage with
    its checksum, not in the database, and removed when it is confirmed, replaced by the same
    person's next upload, or abandoned (indicators.services.abandoned_uploads_remove)."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # The plan it is loaded into: its indicators join that plan, linked to its areas.
    plan = models.ForeignKey(Plan, null=True, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to=pending_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # What the check said it would do; confirming does it only if that is still so.
    expected = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "plans_pendingindicatorupload"

    def __str__(self):
        return f"{self.filename} ({self.uploaded_by})"


class SummaryList(models.TextChoices):
    GOING_WELL = "going_well", "What's going well"
    ONES_TO_WATCH = "ones_to_watch", "Ones to watch"
    DO_BETTER = "do_better", "What we need to do better"
    LEFT_OUT = "left_out", "Left out"


class IndicatorSummaryChoice(models.Model):
    """Where the performance manager put an indicator in a month's summary for one plan's board
    (each board's summary is its own, though the figures are shared)."""

    # Empty only for a choice made before indicators belonged to plans, when no plan was there
    # to own it (migration 0005): kept, never shown.
    plan = models.ForeignKey(
        Plan, null=True, on_delete=models.CASCADE, related_name="indicator_summary_choices"
    )
    month = models.DateField()
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="summary_choices"
    )
    summary_list = models.CharField(max_length=20, choices=SummaryList.choices)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(table_name="plans_historicalindicatorsummarychoice")

    class Meta:
        db_table = "plans_indicatorsummarychoice"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "month", "indicator"], name="one_summary_choice_a_month"
            )
        ]

    def __str__(self):
        return f"{self.month:%B %Y} {self.indicator.reference}: {self.get_summary_list_display()}"
