"""How an objective is judged: success criteria with their bands, the case audits against them,
and the inspection findings it answers."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from plans.models.plan import Objective
from plans.rag import Direction, Rag, band_in_words, band_rag


class SuccessCriterion(models.Model):
    """How an objective is judged; banded criteria carry red/amber/green levels as data."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="success_criteria"
    )
    reference = models.CharField(max_length=30)
    position = models.PositiveIntegerField(default=0)
    criterion = models.TextField()
    unit = models.CharField(max_length=30, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    red = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amber = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    green = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__position", "position", "reference"]
        verbose_name_plural = "success criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "reference"], name="criterion_reference_unique_in_objective"
            ),
            # Either a plain statement (no levels) or a full band in order for its direction.
            models.CheckConstraint(
                name="criterion_levels_all_or_none_and_in_order",
                condition=(
                    Q(direction="", red__isnull=True, amber__isnull=True, green__isnull=True)
                    | Q(
                        direction=Direction.HIGHER_IS_BETTER,
                        # Spelled out: SQL lets a CHECK pass when a comparison meets a NULL.
                        red__isnull=False,
                        amber__isnull=False,
                        green__isnull=False,
                        red__lt=models.F("amber"),
                        amber__lt=models.F("green"),
                    )
                    | Q(
                        direction=Direction.LOWER_IS_BETTER,
                        red__isnull=False,
                        amber__isnull=False,
                        green__isnull=False,
                        red__gt=models.F("amber"),
                        amber__gt=models.F("green"),
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.criterion[:80]}"

    @property
    def is_banded(self) -> bool:
        return bool(self.direction)

    def rag_for(self, value: Decimal | None) -> Rag:
        if value is None or not self.is_banded:
            return Rag.NOT_RATED
        return band_rag(value, direction=self.direction, amber=self.amber, green=self.green)

    @property
    def latest_result(self):
        """The latest audit result (prefetch audit_results for lists)."""
        results = list(self.audit_results.all())
        return max(results, key=lambda result: result.month, default=None)

    @property
    def rag(self) -> Rag:
        """Rated by the latest audit result's percentage; not rated until there is one."""
        latest = self.latest_result
        return self.rag_for(latest.exact_percentage if latest else None)

    @property
    def small_sample(self) -> str:
        """ "Small sample: 6 cases, fewer than 10" when the rating rests on the latest result of
        fewer cases than settings.SMALL_SAMPLE_CASES; "" otherwise. A prompt, not a rating."""
        latest, enough = self.latest_result, settings.SMALL_SAMPLE_CASES
        if latest is None or latest.audited >= enough:
            return ""
        cases = f"{latest.audited} case{'' if latest.audited == 1 else 's'}"
        return f"Small sample: {cases}, fewer than {enough}"

    def band_description(self) -> str:
        """The band in words, e.g. 'Green at 70% or more; Amber from 60% to under 70%; Red under
        60%.' (plans.rag.band_in_words)."""
        if not self.is_banded:
            return ""
        words = band_in_words(
            direction=self.direction, amber=self.amber, green=self.green,
            show=lambda level: f"{level.normalize():f}{self.unit}",
        )  # fmt: skip
        return f"{words}."


class InspectionKind(models.TextChoices):
    CORE_RECOMMENDATION = "core_recommendation", "Core recommendation"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    PRIORITY_ACTION = "priority_action", "Priority action"


class InspectionReference(models.Model):
    """An inspection finding an objective answers, e.g. an Ofsted core recommendation (2019)."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="inspection_references"
    )
    reference = models.CharField(max_length=50)
    source = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=InspectionKind.choices)
    text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__position", "year", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "reference"],
                name="inspection_reference_unique_in_objective",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.source} {self.get_kind_display().lower()} ({self.year})"


class AuditResult(models.Model):
    """A period's case audits for a banded success criterion: how many, and how many good."""

    criterion = models.ForeignKey(
        SuccessCriterion, on_delete=models.CASCADE, related_name="audit_results"
    )
    month = models.DateField(help_text="The first day of the month the audits are for.")
    audited = models.PositiveIntegerField("cases audited")
    good_or_outstanding = models.PositiveIntegerField("graded good or outstanding")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion", "month"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "month"], name="one_audit_result_a_month"),
            models.CheckConstraint(
                name="audit_counts_make_sense",
                condition=Q(audited__gt=0, good_or_outstanding__lte=models.F("audited")),
            ),
            models.CheckConstraint(name="audit_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.criterion.reference} {self.month:%B %Y}: {self.percentage}%"

    @property
    def exact_percentage(self) -> Decimal:
        return Decimal(100) * self.good_or_outstanding / self.audited

    @property
    def percentage(self) -> Decimal:
        """For display only: 163 of 233 shows as 70.0% but is rated as the 69.96% it is."""
        return self.exact_percentage.quantize(Decimal("0.1"))

    @property
    def rag(self) -> Rag:
        return self.criterion.rag_for(self.exact_percentage)
