"""Writes of the plan app beyond its workbook's import (plans/importers.py)."""

from datetime import date

from plans.models import AuditResult, SuccessCriterion


def audit_result_record(
    *, criterion: SuccessCriterion, month: date, audited: int, good_or_outstanding: int, by
) -> AuditResult:
    """Record (or correct) a month's case-audit result for a banded success criterion."""
    month = month.replace(day=1)
    result = AuditResult.objects.filter(criterion=criterion, month=month).first() or AuditResult(
        criterion=criterion, month=month
    )
    result.audited, result.good_or_outstanding = audited, good_or_outstanding
    result.recorded_by = by
    result._history_user = by
    result.save()
    return result
