import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.models import Action, Plan
from plans.rag import Rag
from plans.roles import Role
from plans.workbook import SHEETS
from tests.demo.integration.test_demo_plan import import_demo_file
from tests.factories import UserFactory
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_plan():
    import_demo_file()
    return Plan.objects.get()


def signed_in(client, role):
    client.force_login(UserFactory(role=role))
    return client


@pytest.mark.parametrize("url", ["/", "/plans/IP-2021-22/", "/plans/IP-2021-22/actions/"])
def test_every_page_asks_for_sign_in(client, demo_plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@time_machine.travel(date(2022, 1, 10))
def test_plan_overview_shows_vision_areas_and_rag_counts_in_words(client, demo_plan):
    page = signed_in(client, Role.BOARD_MEMBER).get("/", follow=True).content.decode()

    assert demo_plan.vision[:40] in page
    for area in demo_plan.priority_areas.all():
        assert area.title in page
    for word in ["Red", "Amber", "Green", "Complete", "Not rated", "Overdue"]:
        assert f">{word}<" in page


@time_machine.travel(date(2022, 1, 10))
def test_objective_page_shows_everything_the_plan_row_holds(client, demo_plan):
    objective = demo_plan.objectives.get(outcome__startswith="15 new carers per year")
    page = signed_in(client, Role.HEAD_OF_SERVICE).get(objective.get_absolute_url())
    text = page.content.decode()

    assert "Service Manager Fostering" in text
    assert "15 new carers per year" in text
    for action in objective.actions.all():
        assert action.description.replace("'", "&#x27;") in text
    # The plan gives this row no date; the page says so rather than inventing one.
    assert objective.target_date is None
    assert "No date given" in text


@time_machine.travel(date(2022, 1, 10))
def test_objective_page_shows_bands_and_inspection_references(client, demo_plan):
    objective = demo_plan.objectives.filter(
        success_criteria__direction="higher", inspection_references__year=2019
    ).first()
    text = signed_in(client, Role.BOARD_MEMBER).get(objective.get_absolute_url()).content.decode()

    assert "Green at 70% or more; Amber from 60% to under 70%; Red under 60%." in text
    assert "Ofsted core recommendation (2019)" in text


@time_machine.travel(date(2022, 1, 10))
def test_priority_area_page_lists_its_objectives(client, demo_plan):
    area = demo_plan.priority_areas.get(reference="5")
    text = signed_in(client, Role.BOARD_MEMBER).get(area.get_absolute_url()).content.decode()

    assert area.assurance[:30] in text
    for objective in area.objectives.all():
        assert objective.get_absolute_url() in text


def test_only_performance_managers_and_administrators_may_import(client):
    assert signed_in(client, Role.HEAD_OF_SERVICE).get("/plans/import/").status_code == 403
    assert signed_in(client, Role.BOARD_MEMBER).get("/plans/import/").status_code == 403
    assert signed_in(client, Role.PERFORMANCE_MANAGER).get("/plans/import/").status_code == 200
    assert signed_in(client, Role.ADMINISTRATOR).get("/plans/import/").status_code == 200


def upload(client, content, name="plan.xlsx"):
    return client.post("/plans/import/", {"file": SimpleUploadedFile(name, content)})


def test_uploading_a_plan_imports_it_and_records_who_did(client):
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    response = upload(client, xlsx(small_plan()))

    assert response.status_code == 302
    plan = Plan.objects.get()
    assert response.url == plan.get_absolute_url()
    history = Action.history.filter(reference="1.1.1").earliest("history_date")
    assert history.history_user.groups.filter(name=Role.PERFORMANCE_MANAGER.value).exists()


def test_uploading_a_bad_plan_lists_every_problem_and_writes_nothing(client):
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    response = upload(
        client, xlsx(small_plan(**{"Actions!3!4": "31/13/24", "Objectives!2!2": "Nobody"}))
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "2 problems found. Nothing was changed." in text
    assert "31/13/24" in text and "is not a date. Use DD/MM/YYYY" in text
    assert "Nobody" in text and "is not on the &#x27;Posts&#x27; sheet" in text
    assert not Plan.objects.exists()


def test_uploading_something_that_is_not_a_workbook_says_what_to_use(client):
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    response = upload(client, b"%PDF-1.4", name="plan.pdf")
    assert "Use the .xlsx import template" in response.content.decode()


@pytest.mark.parametrize("file_format", ["xlsx", "csv", "json"])
def test_any_reader_can_download_the_plan_and_it_imports_back_unchanged(
    client, demo_plan, file_format
):
    response = signed_in(client, Role.BOARD_MEMBER).get(
        f"/plans/{demo_plan.reference}/export.{file_format}"
    )

    assert response.status_code == 200
    filename = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert filename.startswith(demo_plan.reference)
    assert not import_plan_file(
        by=system_account(), filename=filename, content=response.content
    ).changed


def test_the_empty_template_has_every_sheet_and_heading(client):
    response = signed_in(client, Role.PERFORMANCE_MANAGER).get("/plans/import/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == list(SHEETS)
    for name, columns in SHEETS.items():
        assert [cell.value for cell in book[name][1]] == columns


def test_pages_that_are_missing_or_forbidden_say_what_to_do_next(client, demo_plan):
    client = signed_in(client, Role.BOARD_MEMBER)

    missing = client.get("/plans/IP-2021-22/areas/99/")
    forbidden = client.get("/plans/import/")

    assert missing.status_code == 404 and "Go to the plan overview" in missing.content.decode()
    assert forbidden.status_code == 403
    assert "Ask a performance manager or an administrator" in forbidden.content.decode()


def test_uploading_no_file_says_what_to_do(client):
    response = signed_in(client, Role.PERFORMANCE_MANAGER).post("/plans/import/", {})
    assert "Select the plan workbook to upload." in response.content.decode()


def test_a_performance_manager_records_audit_results_and_the_objective_shows_the_band_rag(
    client, demo_plan
):
    objective = demo_plan.objectives.filter(success_criteria__direction="higher").first()
    criterion = objective.success_criteria.get(direction="higher")
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    url = f"/plans/{demo_plan.reference}/criteria/{criterion.reference}/audit/"

    client.post(url, {"month": "31/01/2022", "audited": 20, "good_or_outstanding": 13})
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "65.0% (January 2022, 13 of 20)" in page and ">Amber<" in page

    client.post(url, {"month": "15/01/2022", "audited": 20, "good_or_outstanding": 15})  # corrected
    criterion.refresh_from_db()
    assert criterion.audit_results.get().percentage == Decimal("75.0")
    assert criterion.audit_results.get().history.count() == 2
    assert criterion.rag == Rag.GREEN

    refused = client.post(
        url, {"month": "28/02/2022", "audited": 10, "good_or_outstanding": 12}, follow=True
    )
    assert "Enter no more than the 10 cases audited." in refused.content.decode()
    assert criterion.audit_results.count() == 1


def test_an_audit_result_for_a_future_month_is_refused(client, demo_plan):
    criterion = demo_plan.objectives.filter(success_criteria__direction="higher").first()
    criterion = criterion.success_criteria.get(direction="higher")
    client = signed_in(client, Role.PERFORMANCE_MANAGER)
    response = client.post(
        f"/plans/{demo_plan.reference}/criteria/{criterion.reference}/audit/",
        {"month": "01/01/2099", "audited": 10, "good_or_outstanding": 5},
        follow=True,
    )
    assert "Enter this month or an earlier one" in response.content.decode()
    assert not criterion.audit_results.exists()


def test_the_error_page_renders_without_the_request_context(rf):
    """Django renders 500.html with an empty context: it must not need the navigation's plan."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
