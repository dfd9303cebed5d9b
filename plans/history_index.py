"""The index every history table has, for reading each object's newest row before a moment
(plans.as_at.latest_rows): by id, then newest first. simple_history's models cannot declare it,
so each app's migration creates it for its own history tables; tests/test_history_index.py
checks that every history table has one."""

from django.db import migrations


def newest_row_index_name(table: str) -> str:
    return f"{table}_newest"


def newest_row_index(table: str) -> migrations.RunSQL:
    name = newest_row_index_name(table)
    return migrations.RunSQL(
        f'CREATE INDEX "{name}" ON "{table}" (id, history_date DESC, history_id DESC)',
        reverse_sql=f'DROP INDEX "{name}"',
    )


def newest_row_index_kept(table: str) -> migrations.RunSQL:
    """For a migration that changes a history table's columns: SQLite rebuilds such a table
    and drops the indexes Django does not know of, so the index is made again if it is gone."""
    name = newest_row_index_name(table)
    return migrations.RunSQL(
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        "(id, history_date DESC, history_id DESC)",
        reverse_sql=migrations.RunSQL.noop,
    )


def newest_row_index_back_when_undone(table: str) -> migrations.RunSQL:
    """First in a migration that adds an indexed column (a foreign key) to a history table:
    undoing it, SQLite rebuilds the table without the index, which this then makes again, so
    the migration before can drop it."""
    name = newest_row_index_name(table)
    return migrations.RunSQL(
        migrations.RunSQL.noop,
        reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        "(id, history_date DESC, history_id DESC)",
    )
