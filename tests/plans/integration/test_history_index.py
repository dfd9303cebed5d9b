"""Every history table has the index that reading an object's newest row before a moment
probes (plans.history_index), on SQLite and PostgreSQL alike."""

import pytest
from django.apps import apps
from django.db import connection

from plans.history_index import newest_row_index_name

pytestmark = pytest.mark.django_db


def history_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if any(field.name == "history_date" for field in model._meta.fields)
    )


def test_there_are_history_tables_to_check():
    assert "plans_historicalaction" in history_tables()
    assert "boards_historicaldecisionrequest" in history_tables()


@pytest.mark.parametrize("table", history_tables())
def test_each_history_table_has_the_newest_row_index(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    index = constraints.get(newest_row_index_name(table))
    assert index is not None, f"{table} lacks the index: add newest_row_index in a migration"
    assert index["columns"] == ["id", "history_date", "history_id"]
    assert index["orders"] == ["ASC", "DESC", "DESC"]
