"""Writing many records of one kind at once, only what differs, each with its one history row
(the plan import and the indicator load)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from plans.models import Plan


@dataclass
class ImportSummary:
    plan: Plan
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def __str__(self):
        def describe(counter):
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "nothing"

        if not self.changed:
            return f"'{self.plan.title}' is already up to date: nothing changed."
        return (
            f"Imported '{self.plan.title}'. Created: {describe(self.created)}. "
            f"Updated: {describe(self.updated)}. Removed: {describe(self.removed)}."
        )


def _differs(instance, name: str, value) -> bool:
    if isinstance(value, models.Model):
        # Compare keys, not objects: loading each related row would cost a query.
        return getattr(instance, f"{name}_id") != value.pk
    return getattr(instance, name) != value


def _insert(objs: list):
    """INSERT records of one model in bulk, setting their keys; no history is written here.

    PostgreSQL and SQLite 3.35+ return the new keys from a bulk insert; older SQLite saves one
    by one instead.
    """
    if not objs:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        type(objs[0])._default_manager.bulk_create(objs)
        return
    for obj in objs:
        obj.skip_history_when_saving = True  # read by django-simple-history's post_save
        obj.save(force_insert=True)
        del obj.skip_history_when_saving


@dataclass
class WriteRow:
    """One record of the file: its instance (new or loaded), field values and many-to-many
    targets (field name -> the records it should hold)."""

    instance: models.Model
    values: dict
    many: dict[str, list] = field(default_factory=dict)


class BulkWriter:
    """Writes the records of one kind at a time, in bulk, and only what differs (so a re-import
    changes nothing): a few queries per kind, however many rows the file has.

    Each created or changed record gets one history row, as django-simple-history's
    create_historical_record writes it (the same user, the record's field values, and a copy of
    its many-to-many rows as they stand after the change), all at the moment the import began.
    (Its bulk_create_with_history would copy no many-to-many rows. Saving one record at a time
    wrote the same last row for each record, after a row per save() and many-to-many change.)
    """

    def __init__(self, summary: ImportSummary, by):
        self.summary = summary
        self.by = by
        self.moment = timezone.now()

    def save(self, kind: str, model, rows: list[WriteRow]) -> list:
        """Create or update each row's record where it differs; count the changes."""
        relations = sorted({name for row in rows for name in row.many})
        existing = [row.instance.pk for row in rows if row.instance.pk is not None]
        links = {name: self._links(model, name, existing) for name in relations}
        created, updated = [], []
        by_fields = defaultdict(list)  # the changed fields -> the records to UPDATE
        added = defaultdict(list)  # many-to-many field -> (record, target key) pairs
        removed = defaultdict(list)  # many-to-many field -> keys of through rows
        for row in rows:
            instance = row.instance
            is_new = instance.pk is None
            changed = (
                list(row.values)
                if is_new
                else [name for name, value in row.values.items() if _differs(instance, name, value)]
            )
            for name in changed:
                setattr(instance, name, row.values[name])
            relinked = False
            for name, targets in row.many.items():
                current = {} if is_new else links[name].get(instance.pk, {})
                wanted = list(dict.fromkeys(target.pk for target in targets))
                if set(wanted) != set(current):
                    relinked = True
                    removed[name] += [key for pk, key in current.items() if pk not in wanted]
                    added[name] += [(instance, pk) for pk in wanted if pk not in current]
            if is_new:
                created.append(instance)
            elif changed or relinked:
                updated.append(instance)
                if changed:
                    by_fields[tuple(changed)].append(instance)

        _insert(created)
        for fields, instances in by_fields.items():
            model._default_manager.bulk_update(instances, fields)
        for name in relations:
            field_ = model._meta.get_field(name)
            through = field_.remote_field.through
            if removed[name]:
                through.objects.filter(pk__in=removed[name]).delete()
            through.objects.bulk_create(
                through(**{field_.m2m_column_name(): instance.pk, field_.m2m_reverse_name(): pk})
                for instance, pk in added[name]
            )
        self._history(model, created, "+")
        self._history(model, updated, "~")
        if created:
            self.summary.created[kind] += len(created)
        if updated:
            self.summary.updated[kind] += len(updated)
        return [row.instance for row in rows]

    @staticmethod
    def _links(model, name: str, pks: list) -> dict:
        """The many-to-many field's rows for these records: {record key: {target key: row key}}."""
        links = defaultdict(dict)
        if pks:
            field_ = model._meta.get_field(name)
            source, target = field_.m2m_column_name(), field_.m2m_reverse_name()
            through_rows = field_.remote_field.through.objects.filter(**{f"{source}__in": pks})
            for key, source_pk, target_pk in through_rows.values_list("pk", source, target):
                links[source_pk][target_pk] = key
        return links

    def _history(self, model, instances: list, history_type: str):
        """One history row per record, with a copy of its many-to-many rows."""
        if not instances or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        history = model.history.model
        rows = [
            history(
                history_date=self.moment,
                history_type=history_type,
                history_user=self.by,
                history_change_reason=None,
                **{f.attname: getattr(instance, f.attname) for f in history.tracked_fields},
            )
            for instance in instances
        ]
        _insert(rows)
        row_of = {instance.pk: row for instance, row in zip(instances, rows, strict=True)}
        for field_ in history._history_m2m_fields:
            m2m_history = getattr(history, field_.name).model
            through = field_.remote_field.through
            source = field_.m2m_column_name()
            names = [f.attname for f in through._meta.fields]
            links = through.objects.filter(**{f"{source}__in": list(row_of)}).values(*names)
            m2m_history.objects.bulk_create(
                m2m_history(history=row_of[link[source]], **link) for link in links
            )

    def remove(self, kind: str, instances):
        for instance in instances:
            instance._history_user = self.by
            instance.delete()
            self.summary.removed[kind] += 1
