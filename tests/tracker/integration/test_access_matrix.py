"""Every URL x every role x GET/POST gives the documented result.

A URL added to any app's urls.py without a row here fails `test_every_url_is_in_the_matrix`.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from boards.builds import paper_build_request
from boards.models import BuildState, DecisionRequest, PackKind, PaperBuild, PublishedPack
from indicators.models import Indicator, IndicatorUnit, IndicatorValue, PeriodType
from plans.documents import sha256_hex
from plans.models import Action, ActionStatus, BoardMeeting, SuccessCriterion
from plans.rag import Direction
from plans.roles import Role
from progress.models import ProgressUpdate
from progress.services import action_record_progress
from recommendations.models import (
    PanelDecision,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    RecommendationUpdate,
)
from recommendations.services import recommendation_create, recommendation_record_update
from reminders.models import Reminder, ReminderKind, ReminderState
from tests.factories import (
    ActionFactory,
    ObjectiveFactory,
    PlanFactory,
    PostFactory,
    PriorityAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "board member", "own head", "other head", "performance manager", "admin",
    "panel clerk",
]  # fmt: skip
UPDATERS = {"own head", "performance manager", "admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}
IMPORTERS = {"performance manager", "admin"}
CLERKS = IMPORTERS | {"panel clerk"}


def read_only(get_ok=200):
    """A page every signed-in user may read, and nobody may post to."""
    return {
        "GET": {role: get_ok if role in SIGNED_IN else 302 for role in ROLES},
        "POST": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
    }


def importer_only(post_status, allowed=IMPORTERS):
    return {
        "GET": {role: 200 if role in allowed else 403 for role in ROLES} | {"anonymous": 302},
        "POST": {role: post_status if role in allowed else 403 for role in ROLES}
        | {"anonymous": 302},
    }


# url name -> method -> role -> status code
MATRIX = {
    "progress:home": read_only(get_ok=302),
    "progress:my_actions": read_only(),
    "plans:plan_detail": read_only(),
    "plans:plan_export": read_only(),
    "plans:action_list": read_only(),
    "plans:priority_area_detail": read_only(),
    "plans:objective_detail": read_only(),
    "plans:action_detail": read_only(),
    "progress:evidence_download": read_only(),
    "indicators:list": read_only(),
    "indicators:detail": read_only(),
    "indicators:export": read_only(),
    "indicators:summary": {
        "GET": read_only()["GET"],
        "POST": {role: 302 if role in IMPORTERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    "plans:plan_import": importer_only(post_status=200),  # an empty upload shows the form's error
    "indicators:upload": importer_only(post_status=200),
    "indicators:choose": importer_only(post_status=302),  # nothing ticked: a valid choice
    "indicators:old_address": read_only(get_ok=302),  # on to the plan's own page
    "plans:audit_result_record": {
        "GET": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
        "POST": {role: 302 if role in IMPORTERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    "indicators:upload_confirm": {
        "GET": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
        # Only the uploader's own pending upload can be confirmed: a made-up one is not found.
        "POST": {role: 404 if role in IMPORTERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    "indicators:template": {
        "GET": importer_only(0)["GET"],
        "POST": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
    },
    "plans:import_template": {
        "GET": importer_only(0)["GET"],
        "POST": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
    },
    "progress:action_update": {
        "GET": {role: 200 if role in UPDATERS else 404 for role in ROLES} | {"anonymous": 302},
        "POST": {role: 302 if role in UPDATERS else 404 for role in ROLES} | {"anonymous": 302},
    },
    "boards:exception_report": read_only(),
    "boards:exception_report_download": read_only(),
    "boards:board_pack_download": read_only(),
    "boards:meeting_list": read_only(),
    "boards:meeting_detail": read_only(),
    "boards:published_download": read_only(),
    # A paper made in the background: its page, progress and file (someone else's build too).
    "boards:paper_build": read_only(),
    "boards:paper_build_status": read_only(),
    "boards:paper_build_download": read_only(),
    # The posted data is not a meeting: the form comes back with its errors.
    "boards:meeting_create": importer_only(post_status=400),
    "boards:word_template": importer_only(post_status=400),  # an empty upload: the form's error
    "boards:meeting_edit": importer_only(post_status=400),
    "boards:meeting_publish": {
        "GET": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
        "POST": {role: 302 if role in IMPORTERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    # Everyone reads the log (their own reminders, or all of them for performance managers).
    "reminders:log": read_only(),
    # The posted data holds no settings: the form comes back with its errors.
    "reminders:settings": importer_only(post_status=400),
    "reminders:send_again": {
        "GET": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
        "POST": {role: 302 if role in IMPORTERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    "recommendations:register": read_only(),
    "recommendations:detail": read_only(),
    "recommendations:monitoring_report": read_only(),
    "recommendations:monitoring_report_download": read_only(),
    # Performance managers and panel clerks record recommendations; nothing valid is posted.
    "recommendations:create": importer_only(post_status=400, allowed=CLERKS),
    "recommendations:edit": importer_only(post_status=400, allowed=CLERKS),
    "recommendations:from_plan": {
        "GET": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
        "POST": {role: 302 if role in CLERKS else 403 for role in ROLES} | {"anonymous": 302},
    },
    # Only they record the committee's decision: a head of service can never close one.
    "recommendations:decision": importer_only(post_status=400, allowed=CLERKS),
    # Action taken: the posts that answer for it (the own head's, via the objective) or a PM.
    "recommendations:update": importer_only(post_status=400, allowed=UPDATERS),
    # The area's lead (the own head's post) or a performance manager; no rating is posted.
    "boards:area_assessment": {
        "GET": {role: 200 if role in UPDATERS else 403 for role in ROLES} | {"anonymous": 302},
        "POST": {role: 400 if role in UPDATERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    # A decision is asked of the board by the action's owner or the area's lead (the own head
    # holds both) or a performance manager; nothing valid is posted.
    "boards:decision_ask_action": {
        "GET": {role: 200 if role in UPDATERS else 403 for role in ROLES} | {"anonymous": 302},
        "POST": {role: 400 if role in UPDATERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    "boards:decision_ask_area": {
        "GET": {role: 200 if role in UPDATERS else 403 for role in ROLES} | {"anonymous": 302},
        "POST": {role: 400 if role in UPDATERS else 403 for role in ROLES} | {"anonymous": 302},
    },
    # The board's decision is recorded by whoever keeps the meetings.
    "boards:decision": importer_only(post_status=400),
    # Every plan the person reads, and who reads a plan (board members and clerks are given it).
    "plans:plan_list": read_only(),
    "plans:plan_readers": importer_only(post_status=302),
    # The yearly rollover: nothing valid is posted, so the form comes back with its errors.
    "plans:plan_rollover": importer_only(post_status=400),
    # Someone with a role is sent on from the page for those without one.
    "access:no_role": {
        "GET": {role: 302 for role in ROLES},
        "POST": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
    },
    # Directory groups are mapped to roles by those who give roles; no group is posted.
    "access:directory_group_roles": importer_only(post_status=400),
    "access:directory_group_role_remove": {
        "GET": {role: 405 if role in SIGNED_IN else 302 for role in ROLES},
        "POST": {role: 404 if role in IMPORTERS else 403 for role in ROLES} | {"anonymous": 302},
    },
}


def test_every_url_is_in_the_matrix():
    """Every page of every product app (the admin and Django's sign-in pages aside)."""
    names = {
        f"{app.namespace}:{pattern.name}"
        for app in get_resolver().url_patterns
        if isinstance(app, URLResolver) and app.namespace not in (None, "admin")
        for pattern in app.url_patterns
        if pattern.name
    }
    assert names == set(MATRIX)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory(reference="plan")
    own_post, other_post = PostFactory(), PostFactory()
    area = PriorityAreaFactory(plan=plan, reference="1", lead=own_post)
    objective = ObjectiveFactory(
        priority_area=area, reference="1.1", responsible_posts=[own_post],
        target_date=timezone.localdate() + timedelta(days=60),
    )  # fmt: skip
    action = ActionFactory(objective=objective, reference="1.1.1")
    SuccessCriterion.objects.create(
        objective=objective, reference="1.1-a", criterion="Audits good or outstanding",
        direction=Direction.HIGHER_IS_BETTER, red=50, amber=60, green=70, unit="%",
    )  # fmt: skip
    indicator = Indicator.objects.create(
        reference="AS-01", area="Assessments", title="Assessments in time",
        unit=IndicatorUnit.PERCENTAGE, period_type=PeriodType.SNAPSHOT, upper_target=87,
        polarity=Direction.HIGHER_IS_BETTER,
    )  # fmt: skip
    indicator.plans.add(plan)
    IndicatorValue.objects.create(
        indicator=indicator, month=timezone.localdate().replace(day=1), value=80
    )
    users = {
        "board member": UserFactory(role=Role.BOARD_MEMBER),
        "own head": UserFactory(role=Role.HEAD_OF_SERVICE),
        "other head": UserFactory(role=Role.HEAD_OF_SERVICE),
        "performance manager": UserFactory(role=Role.PERFORMANCE_MANAGER),
        "admin": UserFactory(role=Role.ADMINISTRATOR),
        "panel clerk": UserFactory(role=Role.PANEL_CLERK),
    }
    own_post.holders.add(users["own head"])
    other_post.holders.add(users["other head"])
    update = action_record_progress(
        action=action, by=users["own head"], version=0, status=ActionStatus.ON_TRACK,
        evidence_file=SimpleUploadedFile("proof.pdf", b"%PDF-1.4"), today=timezone.localdate(),
    )  # fmt: skip
    meeting = BoardMeeting.objects.create(
        plan=plan, date=timezone.localdate(), papers_due=timezone.localdate()
    )
    published = PublishedPack(
        meeting=meeting, kind=PackKind.BOARD_PACK, as_at=meeting.date,
        sha256=sha256_hex(b"%PDF-1.4"), size=8,
        published_by=users["performance manager"],
    )  # fmt: skip
    published.file.save("pack.pdf", ContentFile(b"%PDF-1.4"))
    build, _ = paper_build_request(
        plan=plan, meeting=meeting, as_at=meeting.date, kind=PackKind.BOARD_PACK,
        file_format="pdf", by=users["performance manager"],
    )  # fmt: skip
    build.file.save("pack.pdf", ContentFile(b"%PDF-1.4"), save=False)
    PaperBuild.objects.filter(pk=build.pk).update(state=BuildState.READY, file=build.file.name)
    asked = DecisionRequest.objects.create(
        meeting=meeting, priority_area=area, action=action, title="Extend the date",
        problem="The team is short.", consequence="Audits slip.", options="Wait, or hire.",
        recommendation="Hire.", asked_by=users["own head"],
    )  # fmt: skip
    reminder = Reminder.objects.create(
        plan=plan, kind=ReminderKind.OVERDUE, recipient=users["own head"], subject_key="digest",
        period=str(timezone.localdate()), day=timezone.localdate(), email="head@example.org",
        state=ReminderState.FAILED, last_error="The address was refused",
    )  # fmt: skip
    recommendation = recommendation_create(
        Recommendation(
            plan=plan, source=RecommendationSource.MEETING, committee=meeting.committee,
            made_at=meeting, title="Sufficiency", action_proposed="Circulate the figures.",
        ),
        objectives=[objective], posts=[], by=users["performance manager"],
    )  # fmt: skip
    recommendation_record_update(
        recommendation, by=users["own head"], taken_on=meeting.date, action_taken="Circulated.",
        status=RecommendationStatus.COMPLETE_PROPOSED, today=timezone.localdate(),
    )  # fmt: skip
    urls = {
        "progress:home": "/",
        "progress:my_actions": "/my-actions/",
        "plans:plan_detail": "/plans/plan/",
        "plans:plan_export": "/plans/plan/export.json",
        "plans:action_list": "/plans/plan/actions/",
        "plans:priority_area_detail": "/plans/plan/areas/1/",
        "plans:objective_detail": "/plans/plan/objectives/1.1/",
        "plans:action_detail": "/plans/plan/actions/1.1.1/",
        "progress:evidence_download": f"/evidence/{update.pk}/",
        "plans:plan_import": "/plans/import/",
        "plans:import_template": "/plans/import/template.xlsx",
        "progress:action_update": "/plans/plan/actions/1.1.1/update/",
        "indicators:list": "/plans/plan/indicators/",
        "indicators:detail": "/plans/plan/indicators/AS-01/",
        "indicators:export": "/plans/plan/indicators/export.csv",
        "indicators:summary": "/plans/plan/indicators/summary/",
        "indicators:upload": "/plans/plan/indicators/load/",
        "indicators:upload_confirm": f"/plans/plan/indicators/load/{uuid.uuid4()}/confirm/",
        "indicators:template": "/plans/plan/indicators/template.xlsx",
        "indicators:choose": "/plans/plan/indicators/choose/",
        "indicators:old_address": "/indicators/AS-01/",
        "plans:audit_result_record": "/plans/plan/criteria/1.1-a/audit/",
        "boards:exception_report": "/plans/plan/report/",
        "boards:exception_report_download": "/plans/plan/report.csv",
        "boards:board_pack_download": "/plans/plan/board-pack.xlsx",
        "boards:meeting_list": "/plans/plan/meetings/",
        "boards:meeting_detail": f"/plans/plan/meetings/{meeting.pk}/",
        "boards:published_download": f"/published/{published.pk}.pdf",
        "boards:paper_build": f"/plans/plan/papers/{build.pk}/",
        "boards:paper_build_status": f"/plans/plan/papers/{build.pk}/status.json",
        "boards:paper_build_download": f"/plans/plan/papers/{build.pk}/file/",
        "boards:meeting_create": "/plans/plan/meetings/new/",
        "boards:word_template": "/papers/word-template/",
        "boards:meeting_edit": f"/plans/plan/meetings/{meeting.pk}/edit/",
        "boards:meeting_publish": f"/plans/plan/meetings/{meeting.pk}/publish/",
        "boards:area_assessment": f"/plans/plan/meetings/{meeting.pk}/areas/1/assessment/",
        "boards:decision_ask_action": "/plans/plan/actions/1.1.1/ask-the-board/",
        "boards:decision_ask_area": "/plans/plan/areas/1/ask-the-board/",
        "boards:decision": f"/plans/plan/decisions/{asked.pk}/",
        "reminders:log": "/plans/plan/reminders/",
        "reminders:settings": "/plans/plan/reminders/settings/",
        "reminders:send_again": f"/plans/plan/reminders/{reminder.pk}/send-again/",
        "recommendations:register": "/plans/plan/recommendations/",
        "recommendations:detail": "/plans/plan/recommendations/1/",
        "recommendations:monitoring_report": (
            f"/plans/plan/recommendations/monitoring/?meeting={meeting.pk}"
        ),
        "recommendations:monitoring_report_download": "/plans/plan/recommendations/monitoring.xlsx",
        "recommendations:create": "/plans/plan/recommendations/new/",
        "recommendations:from_plan": "/plans/plan/recommendations/from-plan/",
        "recommendations:edit": "/plans/plan/recommendations/1/edit/",
        "recommendations:update": "/plans/plan/recommendations/1/update/",
        "recommendations:decision": "/plans/plan/recommendations/1/decision/",
        "plans:plan_list": "/plans/",
        "plans:plan_readers": "/plans/plan/readers/",
        "plans:plan_rollover": "/plans/plan/rollover/",
        "access:no_role": "/access/no-role/",
        "access:directory_group_roles": "/access/directory-groups/",
        "access:directory_group_role_remove": "/access/directory-groups/999/remove/",
    }
    return users, urls, action


CASES = [(name, method, role) for name in MATRIX for method in ("GET", "POST") for role in ROLES]


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_access(client, world, name, method, role):
    users, urls, action = world
    if role != "anonymous":
        client.force_login(users[role])
    version = Action.objects.get(pk=action.pk).version
    data = {"status": "on_track", "commentary": "Checked.", "version": version}
    # Fields the form does not have are ignored, whoever sends them.
    data |= {"owners": "999", "due_date": "01/01/2030", "objective": "999"}

    response = getattr(client, method.lower())(urls[name], data if method == "POST" else None)

    assert response.status_code == MATRIX[name][method][role]
    action.refresh_from_db()
    updated = name == "progress:action_update" and method == "POST" and role in UPDATERS
    assert ProgressUpdate.objects.count() == (2 if updated else 1)
    assert action.due_date is None and list(action.owners.all()) == []
    # Nothing posted here is a valid update or decision: the register is as it was.
    assert (RecommendationUpdate.objects.count(), PanelDecision.objects.count()) == (1, 0)


# A plan's own pages, which need nothing in it: for the second plan below.
PLAN_PAGES = {
    "plans:plan_detail": "/plans/{}/",
    "plans:plan_export": "/plans/{}/export.json",
    "plans:action_list": "/plans/{}/actions/",
    "boards:exception_report": "/plans/{}/report/",
    "boards:exception_report_download": "/plans/{}/report.csv",
    "boards:meeting_list": "/plans/{}/meetings/",
    "recommendations:register": "/plans/{}/recommendations/",
    "reminders:log": "/plans/{}/reminders/",
    "indicators:list": "/plans/{}/indicators/",
    "indicators:summary": "/plans/{}/indicators/summary/",
}


@pytest.mark.parametrize("role", sorted(SIGNED_IN))
def test_board_members_and_clerks_read_only_the_plans_they_are_given(client, world, role):
    users, urls, action = world
    given, other = PlanFactory(reference="given"), PlanFactory(reference="other")
    given.members.add(users["board member"], users["panel clerk"])
    client.force_login(users[role])
    reads_all = role not in ("board member", "panel clerk")

    for name, address in PLAN_PAGES.items():
        assert client.get(address.format("given")).status_code == 200, name
        expected = 200 if reads_all else 404
        assert client.get(address.format("other")).status_code == expected, (name, role)
    listed = client.get("/plans/").content.decode()
    assert (other.title in listed) is reads_all and given.title in listed
    # The first plan's evidence, published packs and papers being made go with the first plan.
    action.objective.plan.members.remove(users[role])
    expected = 200 if reads_all else 404
    assert client.get(urls["progress:evidence_download"]).status_code == expected
    assert client.get(urls["boards:published_download"]).status_code == expected
    for name in ("boards:paper_build", "boards:paper_build_status", "boards:paper_build_download"):
        assert client.get(urls[name]).status_code == expected, name
