"""The plan app's models, one module each part: the plan (plan), actions, how objectives are
judged (criteria), meetings, and the records only ever added to (records)."""

from plans.models.actions import STATUS_RAG, Action, ActionQuerySet, ActionStatus
from plans.models.criteria import AuditResult, InspectionKind, InspectionReference, SuccessCriterion
from plans.models.meetings import BoardMeeting, Committee
from plans.models.plan import Objective, Partner, Plan, Post, PriorityArea
from plans.models.records import FinalQuerySet, FinalRecord, RecordIsFinal

__all__ = [
    "Post",
    "Partner",
    "Plan",
    "PriorityArea",
    "Objective",
    "ActionStatus",
    "STATUS_RAG",
    "ActionQuerySet",
    "Action",
    "SuccessCriterion",
    "InspectionKind",
    "InspectionReference",
    "AuditResult",
    "RecordIsFinal",
    "FinalQuerySet",
    "FinalRecord",
    "Committee",
    "BoardMeeting",
]
