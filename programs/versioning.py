"""Optimistic concurrency: a version on every row that both forms and imports change.

A `Versioned` model carries `version` (1 when created). Every write raises it by one:
- `Model.save()` of a loaded row is a compare-and-swap, `UPDATE … SET version = v + 1 WHERE pk = …
  AND version = v`, where v is the version the instance holds — for an admin form, the version the
  form was opened at (a hidden field). No row matched while the row exists → `VersionConflict`,
  and nothing is written. `update_fields` without "version" still raises it.
- `QuerySet.update()` (and so `bulk_update`) adds `version = version + 1` unless told otherwise.
- Imports and undo write with raw statements (programs.importing.bulk): they raise it themselves
  and check it under row locks (`lock_versions`).

Not raised: many-to-many changes made outside a form or an import, and SET_NULL updates when a
referenced row is deleted (Django writes those through the base manager).

Why not django-concurrency (2.8.1, supports Django 5.2): it does the same compare-and-swap in
`Model._do_update`, but its admin layer has English messages without what changed or who changed it,
replaces `response_action` with a copy of an older Django, has no inline support, and skips the
version raise for `save(update_fields=[...])` without the version field. Imports write with raw SQL,
so they had to raise and check the version themselves in any case. The part worth taking (the
compare-and-swap) is the twenty lines below.
"""

from django import forms
from django.db import models
from django.db.models import F


class VersionConflict(Exception):
    """A save based on an older version of the row than the one stored."""

    def __init__(self, instance, expected: int):
        self.model = type(instance)
        self.pk = instance.pk
        self.expected = expected
        name = self.model._meta.verbose_name
        super().__init__(f"{name} #{self.pk}: 버전 {expected}에서 연 내용을 저장하려 했지만 그 뒤 바뀌었습니다.")


class VersionField(models.PositiveIntegerField):
    """The row's version. In forms: a hidden field holding the version the form was opened at."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 1)
        kwargs.setdefault("verbose_name", "버전")
        kwargs.setdefault("help_text", "저장할 때마다 1씩 늘어납니다(동시 수정 확인용).")
        super().__init__(*args, **kwargs)

    def save_form_data(self, instance, data):
        # A form that carries no version (a new inline row, an older page) leaves the instance's:
        # the default 1 for a new row, the loaded version for a stored one.
        if data is not None:
            super().save_form_data(instance, data)

    def formfield(self, **kwargs):
        # Not required: a POST without it is compared with the row as loaded (no staleness check).
        return forms.IntegerField(
            label=self.verbose_name, widget=forms.HiddenInput, required=False, min_value=1
        )


class VersionedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        kwargs.setdefault("version", F("version") + 1)
        return super().update(**kwargs)

    update.alters_data = True


class Versioned(models.Model):
    version = VersionField()

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update, *args, **kwargs):
        field = self._meta.get_field("version")
        values = [value for value in values if value[0] is not field]
        if self._state.adding:
            # An instance built with the pk of an existing row (fixtures): a blind write, a new version.
            values.append((field, None, F("version") + 1))
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update, *args, **kwargs)
        expected = self.version
        values.append((field, None, expected + 1))
        guarded = base_qs.filter(version=expected)
        updated = super()._do_update(guarded, using, pk_val, values, update_fields, forced_update, *args, **kwargs)
        if updated:
            self.version = expected + 1
        elif base_qs.filter(pk=pk_val).exists():
            raise VersionConflict(self, expected)
        return updated


def is_versioned(model) -> bool:
    return issubclass(model, Versioned)


LOCK_CHUNK = 5000


def lock_versions(model, pks, *, lock: bool = True) -> dict[int, int]:
    """Current versions of the rows `pks`, locked (SELECT … FOR UPDATE) in pk order, in chunks.

    Locking in pk order keeps two writers of the same rows from deadlocking: the second waits for
    the first to commit and then reads its versions. SQLite has no row locks (Django skips FOR
    UPDATE there); its writers are serialised by the database lock that the caller's transaction
    takes before reading (see programs.importing.pipeline.write). Missing pks are absent."""
    found: dict[int, int] = {}
    ordered = sorted(set(pks))
    for start in range(0, len(ordered), LOCK_CHUNK):
        queryset = model._base_manager.filter(pk__in=ordered[start : start + LOCK_CHUNK]).order_by("pk")
        if lock:
            queryset = queryset.select_for_update()
        found.update(queryset.values_list("pk", "version"))
    return found
