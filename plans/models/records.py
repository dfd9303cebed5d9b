"""Records only ever added to: progress updates and published papers build on these."""

from django.db import models


class RecordIsFinal(Exception):
    """Progress updates and published packs are never changed or deleted: a correction is new."""


class FinalQuerySet(models.QuerySet):
    """For records that are only ever added to: no bulk change or deletion either."""

    def update(self, **kwargs):
        raise RecordIsFinal(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self):
        raise RecordIsFinal(f"{self.model._meta.verbose_name_plural} cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise RecordIsFinal(f"{self.model._meta.verbose_name_plural} cannot be changed.")


class FinalRecord(models.Model):
    """A record only ever added to: saving it again or deleting it raises RecordIsFinal."""

    # What to do instead, for the message: "add a new one", "publish a new one".
    instead = "add a new one"

    objects = FinalQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RecordIsFinal(f"A {self._meta.verbose_name} cannot be changed; {self.instead}.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsFinal(f"A {self._meta.verbose_name} cannot be deleted; {self.instead}.")
