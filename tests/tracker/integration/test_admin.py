import pytest
from django.contrib import admin

from plans.models import Plan
from tests.demo.integration.test_demo_plan import import_demo_file
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_model_has_a_working_admin_list_and_change_page(client):
    import_demo_file()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    models = [
        m
        for m in admin.site._registry
        if m._meta.app_label
        in ("plans", "progress", "indicators", "reminders", "recommendations", "boards", "auth")
    ]
    assert {m.__name__ for m in models} >= {
        "Plan", "PriorityArea", "Objective", "Action", "Post", "Partner",
        "SuccessCriterion", "InspectionReference", "User", "Group", "AreaAssessment",
        "PublishedPack", "ProgressUpdate", "Indicator", "Recommendation", "ReminderSettings",
        "Reminder",
    }  # fmt: skip
    for model in models:
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(f"/admin/{info[0]}/{info[1]}/").status_code == 200, info
        first = model.objects.first()
        if first is not None:
            page = client.get(f"/admin/{info[0]}/{info[1]}/{first.pk}/change/")
            assert page.status_code == 200, info
            if hasattr(model, "history"):
                history = client.get(f"/admin/{info[0]}/{info[1]}/{first.pk}/history/")
                assert history.status_code == 200, info
    assert Plan.objects.exists()
