"""Every upload path reads spreadsheets through the one safe reader (plans.spreadsheets): a file
over the size limit is refused before it is read, a dense file is refused at the first limit
it meets, formatting out to the last column costs nothing, and nothing is ever half-written."""

import io
import zipfile
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from bench.management.commands.bench import indicator_file
from bench.workbooks import dense_xlsx, formatted_to_last_column
from indicators.importers import load_indicator_file, only_plan
from indicators.models import Indicator, IndicatorValue, PendingIndicatorUpload
from plans import spreadsheets
from plans.accounts import system_account
from plans.importers import import_plan_file
from plans.models import Action, Plan
from plans.roles import Role
from plans.spreadsheets import WorkbookError, read_sheets
from plans.workbook import write_csv_zip, write_json
from tests.factories import PlanFactory, UserFactory
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db
PAGES = "/plans/TEST-PLAN/indicators/"  # the test plan's indicator pages


@pytest.fixture(scope="module")
def dense():
    """The two shapes of a few-hundred-kilobyte file holding 3.2 million cells: wide (on the
    plan's first sheet) and tall (on the indicators' values sheet)."""
    return {
        "plan": dense_xlsx(sheet="Plan", rows=200, columns=16_000),
        "indicators": dense_xlsx(sheet="Values", rows=100_000, columns=32),
    }


def test_the_dense_files_are_small_and_unpack_to_millions_of_cells_under_the_unpacked_limit(dense):
    for content in dense.values():
        assert len(content) < 500_000
        spreadsheets._check_unpacked_size("dense.xlsx", content)  # not what refuses them


def test_a_dense_sheet_is_refused_from_its_first_rows_never_read_to_the_end(dense, monkeypatch):
    """Neither file says its size (no <dimension> element): nothing reads the whole sheet to
    find it out before the rows are read and the first limit refuses the file."""
    sheet = "xl/worksheets/sheet1.xml"
    read = Counter()
    real_read = zipfile.ZipExtFile.read

    def counted_read(self, size=-1):
        data = real_read(self, size)
        read[self.name] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted_read)
    for content in dense.values():
        read.clear()
        with pytest.raises(WorkbookError):
            read_sheets("dense.xlsx", content)
        assert 0 < read[sheet] < zipfile.ZipFile(io.BytesIO(content)).getinfo(sheet).file_size / 10


def signed_in(client, role=Role.PERFORMANCE_MANAGER):
    client.force_login(UserFactory(role=role))
    return client


def test_a_wide_dense_plan_is_refused_at_the_column_limit_on_every_path(client, dense, tmp_path):
    content = dense["plan"]
    with pytest.raises(WorkbookError, match="has data in column CW .*at most 100 columns"):
        import_plan_file(by=system_account(), filename="plan.xlsx", content=content)

    page = signed_in(client).post("/plans/import/", {"file": SimpleUploadedFile("p.xlsx", content)})
    assert "at most 100 columns" in page.content.decode()

    (tmp_path / "plan.xlsx").write_bytes(content)
    with pytest.raises(CommandError, match="at most 100 columns"):
        call_command("import_plan", str(tmp_path / "plan.xlsx"), stdout=io.StringIO())
    assert not Plan.objects.exists() and not Action.objects.exists()


def test_a_tall_dense_indicator_file_is_refused_at_the_cell_limit_on_every_path(
    client, dense, tmp_path
):
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))
    content = dense["indicators"]
    with pytest.raises(WorkbookError, match="more than 250,000 filled cells"):
        load_indicator_file(
            plan=only_plan(), by=system_account(), filename="i.xlsx", content=content
        )

    page = signed_in(client).post(f"{PAGES}load/", {"file": SimpleUploadedFile("i.xlsx", content)})
    assert "more than 250,000 filled cells" in page.content.decode()
    assert not PendingIndicatorUpload.objects.exists()

    (tmp_path / "i.xlsx").write_bytes(content)
    with pytest.raises(CommandError, match="more than 250,000 filled cells"):
        call_command("import_indicators", str(tmp_path / "i.xlsx"), stdout=io.StringIO())
    assert not Indicator.objects.exists() and not IndicatorValue.objects.exists()


def test_a_sheet_with_rows_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 1)
    with pytest.raises(WorkbookError, match="Sheet 'Plan' has data in row 3; a sheet may have at"):
        read_sheets("plan.xlsx", xlsx(small_plan()))


def test_a_file_listing_millions_of_empty_cells_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_PARTS", 50)
    with pytest.raises(
        WorkbookError, match="lists more than 50 rows and cells, most of them empty"
    ):
        read_sheets("plan.xlsx", formatted_to_last_column(xlsx(small_plan())))


def test_formatting_out_to_the_last_column_costs_nothing_and_changes_nothing():
    formatted = formatted_to_last_column(xlsx(small_plan()))
    with zipfile.ZipFile(io.BytesIO(formatted)) as archive:
        first_sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:XFD' in first_sheet and '<c r="XFD2" s="0"/>' in first_sheet
    assert read_sheets("p.xlsx", formatted) == read_sheets("p.xlsx", xlsx(small_plan()))
    import_plan_file(by=system_account(), filename="plan.xlsx", content=formatted)
    assert Plan.objects.count() == 1


def test_a_real_size_indicator_file_formatted_to_the_last_column_loads():
    import_plan_file(by=system_account(), filename="plan.xlsx", content=xlsx(small_plan()))
    sheets = indicator_file(values=10_000, today=timezone.localdate())
    content = formatted_to_last_column(xlsx(sheets))
    summary = load_indicator_file(
        plan=only_plan(), by=system_account(), filename="i.xlsx", content=content
    )
    assert summary.created["values"] == 10_000


@override_settings(UPLOAD_MAX_BYTES=2_000)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read_on_every_path(client, tmp_path):
    content = xlsx(small_plan())
    assert len(content) > 2_000
    with pytest.raises(WorkbookError, match=r"'plan.xlsx' is \d+ KB; a file may be at most 2 KB"):
        read_sheets("plan.xlsx", content)

    page = signed_in(client).post("/plans/import/", {"file": SimpleUploadedFile("p.xlsx", content)})
    assert "a file may be at most" in page.content.decode()
    plan = PlanFactory(reference="TEST-PLAN")
    page = client.post(f"{PAGES}load/", {"file": SimpleUploadedFile("i.xlsx", content)})
    assert "a file may be at most" in page.content.decode()

    (tmp_path / "plan.xlsx").write_bytes(content)
    with pytest.raises(CommandError, match="a file may be at most"):
        call_command("import_plan", str(tmp_path / "plan.xlsx"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="a file may be at most"):
        call_command("import_indicators", str(tmp_path / "plan.xlsx"), stdout=io.StringIO())
    assert list(Plan.objects.all()) == [plan] and not PendingIndicatorUpload.objects.exists()


def test_the_readers_of_csv_and_json_keep_the_same_limits(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_CELLS", 20)
    for name, content in [
        ("plan.zip", write_csv_zip(small_plan())),
        ("plan.json", write_json(small_plan())),
    ]:
        with pytest.raises(WorkbookError, match="more than 20 filled cells"):
            read_sheets(name, content)
