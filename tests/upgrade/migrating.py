"""Moving a test database to a migration and back, for the upgrade tests."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets`; the apps (historical models) as they stand there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaf_nodes():
    """The newest migration of every app: where the project's models are."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
