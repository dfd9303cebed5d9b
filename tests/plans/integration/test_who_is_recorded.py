"""Figures and plans always record who brought them: a person, or a named system account that
cannot sign in. The import commands take --user; without it they record the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from indicators.models import IndicatorValue
from plans.accounts import COMMAND_LINE
from plans.models import Action
from plans.roles import Role
from tests.factories import UserFactory
from tests.indicator_files import small_indicators
from tests.plan_files import small_plan, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path):
    (tmp_path / "plan.xlsx").write_bytes(xlsx(small_plan()))
    (tmp_path / "i.xlsx").write_bytes(xlsx(small_indicators()))
    return tmp_path


def run(*arguments):
    call_command(*map(str, arguments), stdout=io.StringIO())


def test_without_user_the_commands_record_the_command_line_account(files):
    run("import_plan", files / "plan.xlsx")
    run("import_indicators", files / "i.xlsx")

    for history in [Action.history.earliest("history_date"), IndicatorValue.history.first()]:
        who = history.history_user
        assert (who.username, who.get_full_name()) == COMMAND_LINE
        assert not who.is_active and not who.has_usable_password()


def test_with_user_the_commands_record_that_person(files):
    manager = UserFactory(role=Role.PERFORMANCE_MANAGER)
    run("import_plan", files / "plan.xlsx", "--user", manager.username)
    run("import_indicators", files / "i.xlsx", "--user", manager.username)

    assert Action.history.earliest("history_date").history_user == manager
    assert {h.history_user for h in IndicatorValue.history.all()} == {manager}


def test_an_unknown_user_is_refused_and_nothing_is_written(files):
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        run("import_indicators", files / "i.xlsx", "--user", "nobody")
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        run("import_plan", files / "plan.xlsx", "--user", "nobody")
    assert not Action.objects.exists() and not IndicatorValue.objects.exists()
