"""Reading history back: any model as it stood at a moment (`objects_as_at`, `rows_as_at`), for
the snapshots built on it (the plan: progress.as_at; the indicators: indicators.as_at).

Every report is built from here, for today as for any past date, so a report "as at" a date
says exactly what it said then: later updates, corrections and indicator reloads are later
history rows, which a snapshot of an earlier moment never reads.

The snapshot is made of ordinary model instances with their related rows attached as if
prefetched, so the model methods (`Action.rag`, `Objective.rag_parts`, ...) work on it unchanged.
"""

import json
from collections import defaultdict, namedtuple
from datetime import date, datetime, time, timedelta
from functools import cache

from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.db.models.base import ModelState
from django.utils import timezone


def end_of_day(day: date) -> datetime:
    """The first moment after `day` in London time: a report "as at" a day includes all of it."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def latest_rows(model: type[Model], before: datetime, fields: list[str], **filters) -> list:
    """`fields` (attnames, or "history_id") of the history row of each object that was current
    just before `before` (deleted ones left out), narrowed by `filters` on that row: each
    `name=value` or `name__in=values` (ids, text or dates; never None).

    In SQL of its own, not the ORM's: a report reads a dozen moments of history, and building
    each windowed queryset cost the ORM more than the database took to run it."""
    opts = _history_model(model)._meta
    table = connection.ops.quote_name(opts.db_table)
    conditions, condition_params = [], []  # each condition names its table as {alias}
    for key, value in filters.items():
        name, _, lookup = key.partition("__")
        if lookup not in ("", "in") or value is None:
            raise ValueError(
                f"Filter history by name=value or name__in=values, not {key}={value!r}"
            )
        field = opts.get_field(name)
        column = "{alias}." + connection.ops.quote_name(field.column)
        if lookup == "in":
            condition, param = _in_list(
                column, [field.get_db_prep_value(v, connection) for v in value]
            )
            conditions.append(condition)
            condition_params.append(param)
        else:
            conditions.append(f"{column} = %s")
            condition_params.append(field.get_db_prep_value(value, connection))

    def where(alias: str) -> str:
        return "".join(f" AND {condition.format(alias=alias)}" for condition in conditions)

    selected = ", ".join(
        f"chosen.{connection.ops.quote_name(opts.get_field(f).column)}" for f in fields
    )
    # Objects with a row matching `filters` at some point; whether it is still the current row
    # is decided on the newest row, so an action moved out of the plan is not taken for one in it.
    candidates = f"SELECT DISTINCT id FROM {table} seen WHERE history_date < %s{where('seen')}"  # noqa: S608 (names from the models)
    if connection.vendor == "postgresql":
        # Each candidate's newest row, one probe of the (id, history_date, history_id) index
        # every history table has (plans.history_index).
        sql = (
            f"SELECT {selected} FROM ({candidates}) candidate CROSS JOIN LATERAL ("  # noqa: S608 (as above)
            f"SELECT * FROM {table} newest WHERE newest.id = candidate.id "
            "AND newest.history_date < %s "
            "ORDER BY newest.history_date DESC, newest.history_id DESC LIMIT 1) chosen "
            f"WHERE chosen.history_type <> '-'{where('chosen')}"
        )
    else:
        # No LATERAL in SQLite: one pass over the candidates' rows, newest first per object.
        sql = (
            f"SELECT {selected} FROM {table} chosen WHERE history_id IN ("  # noqa: S608 (as above)
            "SELECT history_id FROM (SELECT history_id, ROW_NUMBER() OVER (PARTITION BY id "
            f"ORDER BY history_date DESC, history_id DESC) AS newest FROM {table} "
            f"WHERE id IN ({candidates}) AND history_date < %s) ranked WHERE newest = 1"
            f") AND chosen.history_type <> '-'{where('chosen')}"
        )
    moment = opts.get_field("history_date").get_db_prep_value(before, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment, *condition_params, moment, *condition_params])
        rows = cursor.fetchall()
    # The conversions the ORM makes (SQLite's text to dates and decimals, JSON, ...).
    columns = [opts.get_field(name) for name in fields]
    expressions = [column.get_col(opts.db_table) for column in columns]
    converters = [
        (index, converter, expression)
        for index, expression in enumerate(expressions)
        for converter in [
            *connection.ops.get_db_converters(expression),
            *expression.get_db_converters(connection),
        ]
    ]
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for index, converter, expression in converters:
            row[index] = converter(row[index], expression, connection)
        converted.append(tuple(row))
    return converted


def _history_model(model: type[Model]) -> type[Model]:
    # From the app registry: `model.history` builds a manager class on every access.
    return apps.get_model(model._meta.app_label, f"Historical{model.__name__}")


def _in_list(column: str, values: list) -> tuple[str, object]:
    """`column` among `values`, given as one parameter whatever their number: an array on
    PostgreSQL, JSON on SQLite (which limits a query's parameters)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", values
    return f"{column} IN (SELECT value FROM json_each(%s))", json.dumps(values)  # noqa: S608 (a column's name)


def objects_as_at(model: type[Model], before: datetime, **filters) -> list:
    """Model instances with the field values of their history rows (never to be saved)."""
    names = [field.attname for field in model._meta.concrete_fields]
    instances = []
    for history_id, *values in latest_rows(model, before, ["history_id", *names], **filters):
        # What Model.from_db leaves after __init__, without __init__'s work per field (a report
        # builds hundreds; no model here has a custom __init__ or init signal).
        instance = model.__new__(model)
        instance.__dict__.update(zip(names, values, strict=True))
        instance._state = ModelState()
        instance._state.adding = False
        instance._history_id = history_id  # for the many-to-many rows of the same moment
        instances.append(instance)
    return instances


def rows_as_at(model: type[Model], before: datetime, fields: list[str], **filters) -> list:
    """Only `fields` of the objects at `before`, as named rows: lighter than `objects_as_at`
    where hundreds are read and no model method is needed."""
    row = _row_class(tuple(fields))
    return [row(*values) for values in latest_rows(model, before, fields, **filters)]


@cache
def _row_class(fields: tuple[str, ...]):
    return namedtuple("Row", fields)  # one class per set of fields, as the ORM's named rows


def related_ids(model: type[Model], field_name: str, instances: list) -> dict[int, list[int]]:
    """For each instance, the ids its many-to-many field held in its history row. In SQL of
    its own, as `latest_rows`: the ORM's list of hundreds of ids cost more than the query."""
    through = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field_name}")
    target = model._meta.get_field(field_name).related_model._meta.model_name
    by_history = {instance._history_id: instance.pk for instance in instances}
    related = defaultdict(list)
    if not by_history:
        return related
    opts, quote = through._meta, connection.ops.quote_name
    history_column = quote(opts.get_field("history").column)
    condition, param = _in_list(history_column, list(by_history))
    target_column = quote(opts.get_field(target).column)
    sql = f"SELECT {history_column}, {target_column} FROM {quote(opts.db_table)} WHERE {condition}"  # noqa: S608 (names from the models)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param])
        rows = cursor.fetchall()
    for history_id, target_id in rows:
        related[by_history[history_id]].append(target_id)
    return related


def attach_related(instance: Model, name: str, related: list):
    """Give `instance.<name>.all()` these rows, as a prefetch would."""
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = related


def attach_parent(instance: Model, name: str, parent: Model):
    """Give `instance.<name>` this object, as select_related would: setting it through the
    field's descriptor checks it first, a few µs each, and a snapshot sets hundreds."""
    instance._meta.get_field(name).set_cached_value(instance, parent)


def group_by(items, key) -> dict:
    grouped = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped
