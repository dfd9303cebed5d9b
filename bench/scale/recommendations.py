"""Audit results, area assessments and recommendations over the story."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from bench.scale.council import Council
from bench.scale.story import StoryCalendar, at, working_day_on_or_after
from bench.scale.words import (
    ACTION_TAKEN,
    ASSESSMENT_ANALYSIS,
    ASSESSMENT_NEXT_STEPS,
    NOT_ACCEPTED_REASONS,
    PANEL_RECOMMENDATIONS,
    Drawer,
)
from boards.models import AreaAssessment, RiskRating
from demo.loading import add_months
from plans.models import AuditResult, Committee, Plan, Post, SuccessCriterion
from plans.rag import Direction
from plans.roles import Role
from recommendations.models import (
    PanelDecisionKind,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
)
from recommendations.services import (
    recommendation_create,
    recommendation_record_decision,
    recommendation_record_update,
    recommendations_from_inspection_references,
)


def record_audits(council: Council, plan: Plan, calendar: StoryCalendar) -> int:
    """Quarterly case audits for each banded success criterion, recorded by the performance
    manager early in the month after, the share graded good drifting towards the green level."""
    rng = council.rng("audits")
    manager = council.users["performance"]
    count = 0
    criteria = SuccessCriterion.objects.filter(objective__plan=plan).exclude(direction="")
    for criterion in criteria.order_by("objective__position", "position", "reference"):
        higher = criterion.direction == Direction.HIGHER_IS_BETTER
        share = float(criterion.red) + rng.uniform(-8, 6) * (1 if higher else -1)
        month = add_months(calendar.loaded_day.replace(day=1), 2)
        while True:
            recorded = at(working_day_on_or_after(add_months(month, 1).replace(day=10)), 11)
            if recorded > calendar.until:
                break
            share += rng.gauss(1.5, 4) * (1 if higher else -1)
            share = max(0.0, min(100.0, share))
            audited = rng.randint(12, 40)
            result = AuditResult(
                criterion=criterion, month=month, audited=audited,
                good_or_outstanding=round(share * audited / 100), recorded_by=manager,
            )  # fmt: skip
            result._history_user, result._history_date = manager, recorded
            result.save()
            count += 1
            month = add_months(month, 3)
    return count


def record_assessments(council, plan, meetings, holders, calendar: StoryCalendar) -> int:
    """Area leads judge their area's risk for some boards, the day before the papers are due."""
    rng = council.rng("assessments")
    areas = list(plan.priority_areas.select_related("lead").exclude(lead=None))
    count = 0
    for meeting in meetings:
        recorded = at(meeting.papers_due - timedelta(days=1), 15)
        if meeting.committee != Committee.IMPROVEMENT_BOARD or recorded > calendar.until:
            continue
        for area in areas:
            people = holders(area.lead.name, recorded)
            if not people or rng.random() >= 0.4:
                continue
            assessment = AreaAssessment(
                meeting=meeting, priority_area=area, recorded_by=people[0], recorded_at=recorded,
                risk_rating=rng.choices(list(RiskRating), weights=[2, 5, 3])[0],
                analysis=rng.choice(ASSESSMENT_ANALYSIS),
                next_steps=rng.choice(ASSESSMENT_NEXT_STEPS),
            )  # fmt: skip
            assessment._history_user, assessment._history_date = people[0], recorded
            assessment.save()
            count += 1
    return count


def _dated_creation(recommendations, moment: datetime):
    """Date new recommendations, and the history their creation wrote, at `moment`."""
    ids = [r.pk for r in recommendations]
    Recommendation.objects.filter(pk__in=ids).update(created_at=moment)
    Recommendation.history.filter(id__in=ids).update(history_date=moment, created_at=moment)


def play_recommendations(council, plan, meetings, holders, calendar: StoryCalendar):
    """The register through its services: the inspection findings the plan cites (tracked by
    the board) added just after the import; the Scrutiny Panel's own recommendations made at
    its meetings; then, before each meeting of the committee tracking it, officers record what
    has been done, and the committee accepts (or not) what is proposed complete."""
    rng = council.rng("recommendations")
    manager, clerk = council.users["performance"], council.users["clerk"]
    added_at = calendar.loaded_at + timedelta(days=3, hours=2)
    recommendations_from_inspection_references(
        plan, committee=Committee.IMPROVEMENT_BOARD, by=manager
    )
    _dated_creation(list(plan.recommendations.all()), added_at)
    held = [m for m in meetings if at(m.date, 18) <= calendar.until]
    panels = [m for m in held if m.committee == Committee.SCRUTINY_PANEL]
    texts = Drawer(PANEL_RECOMMENDATIONS, rng)
    objectives = list(plan.objectives.order_by("position", "reference"))
    posts = list(Post.objects.filter(name__in=council.post_names).order_by("name"))
    wanted = council.size.panel_recommendations if panels else 0
    for index in range(wanted):
        meeting = panels[index * len(panels) // wanted]  # spread over the panel's meetings
        title, proposed = texts.draw()
        made = at(meeting.date, 18)
        recommendation = Recommendation(
            plan=plan, source=RecommendationSource.MEETING, committee=Committee.SCRUTINY_PANEL,
            made_at=meeting, title=title, action_proposed=proposed, created_at=made,
        )  # fmt: skip
        recommendation_create(
            recommendation, objectives=rng.sample(objectives, rng.choice([1, 1, 2])),
            posts=rng.sample(posts, 1) if rng.random() < 0.5 else [], by=clerk,
        )  # fmt: skip
        _dated_creation([recommendation], made)
    for recommendation in plan.recommendations.order_by("number"):
        _play_one(recommendation, rng, held, holders, manager, clerk, added_at, calendar)


def _play_one(recommendation, rng, held, holders, manager, clerk, added_at, calendar):
    """One recommendation's log: an entry before some meetings of its committee, moving towards
    complete (a few of the panel's own are rejected), and the committee's decision when one is
    proposed: mostly accepted, sometimes not (with the reason), then proposed again."""
    start = recommendation.made_at.date if recommendation.made_at_id else added_at.date()
    tracking = [m for m in held if m.committee == recommendation.committee and m.date > start]
    steps = [RecommendationStatus.IN_PROGRESS] * rng.randint(0, 2)
    steps += [RecommendationStatus.PARTIALLY_COMPLETE] * rng.randint(1, 2)
    steps += [RecommendationStatus.COMPLETE_PROPOSED]
    if recommendation.source == RecommendationSource.MEETING and rng.random() < 0.1:
        steps = [RecommendationStatus.REJECTED]
    clerk_or_manager = clerk if recommendation.committee == Committee.SCRUTINY_PANEL else manager
    last_taken = start + timedelta(days=1)  # the day after it was recorded, at the earliest
    refused = False
    for meeting in tracking:
        if not steps:
            break
        if rng.random() < 0.3:
            continue  # nothing new for this meeting
        taken_on = max(last_taken, meeting.papers_due - timedelta(days=rng.randint(1, 10)))
        moment = at(taken_on, 10)
        if moment > calendar.until:
            break
        status = steps.pop(0)
        author = _answering_person(recommendation, holders, moment) or manager
        recommendation_record_update(
            recommendation, by=author, taken_on=taken_on, today=taken_on, now=moment,
            action_taken=rng.choice(ACTION_TAKEN[status]), status=status,
        )  # fmt: skip
        last_taken = taken_on
        decided = at(meeting.date, 18)
        if status not in (RecommendationStatus.COMPLETE_PROPOSED, RecommendationStatus.REJECTED):
            continue
        if decided > calendar.until or meeting.date < taken_on:
            break
        if status == RecommendationStatus.COMPLETE_PROPOSED and not refused and rng.random() < 0.3:
            refused = True
            recommendation_record_decision(
                recommendation, by=clerk_or_manager, meeting=meeting, today=meeting.date,
                now=decided, decision=PanelDecisionKind.NOT_ACCEPTED,
                reason=rng.choice(NOT_ACCEPTED_REASONS),
            )  # fmt: skip
            steps = [RecommendationStatus.PARTIALLY_COMPLETE]
            steps += [RecommendationStatus.COMPLETE_PROPOSED]
            continue
        if rng.random() < 0.15:
            break  # proposed, and the committee has not decided yet
        decision = (
            PanelDecisionKind.ACCEPTED
            if status == RecommendationStatus.COMPLETE_PROPOSED
            else PanelDecisionKind.REJECTION_REPORTED
        )
        recommendation_record_decision(
            recommendation, by=clerk_or_manager, meeting=meeting, decision=decision, reason="",
            today=meeting.date, now=decided,
        )  # fmt: skip
        break


def _answering_person(recommendation, holders, moment) -> User | None:
    """A head of service who holds, then and now, a post answering for the recommendation (the
    service checks today's holders)."""
    for post in recommendation.answering_posts():
        current = set(post.holders.all())
        for person in holders(post.name, moment):
            if person in current and person.groups.filter(name=Role.HEAD_OF_SERVICE).exists():
                return person
    return None
