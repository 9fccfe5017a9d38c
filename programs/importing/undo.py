"""Undo a whole import from its batch page: created rows are removed, changed rows restored.

All in one transaction, which first claims the batch (so two undos of it cannot both run) and then
refuses, naming the rows, when:
- any row the import wrote changed after it: its version (programs.versioning) is read under a row
  lock (pk order, as imports lock) and must still be the one the import left (ImportBatchRow.version;
  batches from before versions are judged from the audit trail instead);
- removing the rows it created would remove or change anything else — found with Django's deletion
  collector, so cascades (a course under an imported institution), SET_NULL references and protected
  references all count — whoever made that data (another import or a staff member), named;
- the user may not change or delete those rows.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from programs import access
from programs.choices import ImportRowAction
from programs.history import changes_since, import_reason, record_import_history
from programs.importing.bulk import bump_versions, fast_update
from programs.models import ImportBatch, ImportBatchRow
from programs.versioning import is_versioned, lock_versions

SHOWN = 10
CHUNK = 2000


class UndoRefused(Exception):
    pass


def _row_list(rows) -> str:
    numbers = [f"{row_number}행" for row_number in rows[:SHOWN]]
    more = f" 외 {len(rows) - SHOWN:,}행" if len(rows) > SHOWN else ""
    return ", ".join(numbers) + more


def _stored_value(field, value):
    return None if value is None else field.to_python(value)


def import_batch_undo(*, batch: ImportBatch, user) -> dict[str, int]:
    if batch.undone_at:
        raise UndoRefused("이미 되돌린 가져오기입니다.")
    rows = list(batch.rows.values_list("content_type_id", "object_id", "action", "before", "row_number", "version"))
    if not rows:
        raise UndoRefused("이 가져오기로 만들거나 바꾼 행이 없습니다.")
    model = ContentType.objects.get_for_id(rows[0][0]).model_class()
    ids = [object_id for _, object_id, *_ in rows]
    if not (
        user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        and user.has_perm(f"{model._meta.app_label}.delete_{model._meta.model_name}")
    ):
        raise UndoRefused("이 자료를 바꾸거나 지울 권한이 없습니다.")
    with transaction.atomic():
        # The claim comes first: a second undo of this batch waits here (PostgreSQL) and then finds
        # it undone; on SQLite this UPDATE takes the write lock before anything is read.
        if not ImportBatch.objects.filter(pk=batch.pk, undone_at__isnull=True).update(undone_at=timezone.now()):
            raise UndoRefused("이미 되돌린 가져오기입니다.")
        if not access.all_changeable(user, model.objects.filter(pk__in=ids)):
            raise UndoRefused("담당 범위 밖의 행이 포함되어 있어 되돌릴 수 없습니다.")
        _refuse_if_changed_since(model, batch, rows)
        collectors = _collect_created(model, rows)
        restored = _restore_updated(model, batch, rows, user)
        removed = sum(collector.delete()[1].get(model._meta.label, 0) for collector in collectors)
    batch.refresh_from_db(fields=["undone_at"])
    return {"restored": restored, "removed": removed}


def _refuse_if_changed_since(model, batch, rows) -> None:
    """Rows whose version moved since the import wrote them (locked until the undo commits)."""
    recorded = {object_id: (row_number, version) for _, object_id, _, _, row_number, version in rows}
    with_version = [object_id for object_id, (_, version) in recorded.items() if version is not None]
    current = lock_versions(model, with_version) if is_versioned(model) else {}
    changed = [
        (row_number, object_id, version)
        for object_id, (row_number, version) in recorded.items()
        if version is not None and current.get(object_id) != version
    ]
    legacy = [row for row in rows if row[5] is None]
    changed += [(row_number, object_id, None) for row_number, object_id in _changed_by_history(model, batch, legacy)]
    if not changed:
        return
    changed.sort()
    details = []
    for row_number, object_id, version in changed[:3]:
        notes = changes_since(model, object_id, version, limit=1) if version is not None else []
        if notes:
            details.append(f"{row_number}행 — {notes[0]}")
    suffix = f" ({'; '.join(details)})" if details else ""
    raise UndoRefused(f"가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: {_row_list([c[0] for c in changed])}{suffix}")


def _changed_by_history(model, batch, rows) -> list[tuple[int, int]]:
    """For batch rows without a recorded version: a history record later than the import's own."""
    history = getattr(model, "history", None)
    if history is None or not rows:
        return []
    imported_at = history.filter(history_change_reason=import_reason(batch)).aggregate(at=Max("history_date"))["at"]
    if imported_at is None:
        return []
    ids = [object_id for _, object_id, *_ in rows]
    changed = set()
    for start in range(0, len(ids), 5000):
        changed |= set(
            history.filter(id__in=ids[start : start + 5000], history_date__gt=imported_at).values_list("id", flat=True)
        )
    return [(row_number, object_id) for _, object_id, _, _, row_number, _ in rows if object_id in changed]


def _collect_created(model, rows) -> list[Collector]:
    """Deletion collectors for the created rows; refused when they would reach anything else."""
    created = sorted(object_id for _, object_id, action, *_ in rows if action == ImportRowAction.NEW)
    created_set = set(created)
    own_links = {field.remote_field.through for field in model._meta.many_to_many}
    using = router.db_for_write(model)
    collectors, others, more = [], [], 0
    for start in range(0, len(created), CHUNK):
        collector = Collector(using=using, origin=None)
        try:
            collector.collect(model._base_manager.filter(pk__in=created[start : start + CHUNK]))
        except ProtectedError as exc:
            others += list(exc.protected_objects)
            continue
        except RestrictedError as exc:
            others += list(exc.restricted_objects)
            continue
        for related_model, instances in collector.data.items():
            if related_model._meta.concrete_model is model:
                others += [obj for obj in instances if obj.pk not in created_set]
            elif related_model not in own_links:
                others += list(instances)
        for queryset in collector.fast_deletes:
            if queryset.model not in own_links:
                count = queryset.count()
                others += list(queryset[:SHOWN])
                more += max(count - SHOWN, 0)
        for instance_lists in collector.field_updates.values():
            for instances in instance_lists:
                others += [obj for obj in instances if not (type(obj) is model and obj.pk in created_set)]
        collectors.append(collector)
    if others:
        raise UndoRefused(_dependents_message(others, more))
    return collectors


def _dependents_message(objects, more: int) -> str:
    unique = list({(type(obj), obj.pk): obj for obj in objects}.values())
    named = [f"{obj._meta.verbose_name} 「{obj}」({_origin(obj)})" for obj in unique[:SHOWN]]
    rest = len(unique) - SHOWN + more
    tail = f" 외 {rest:,}건" if rest > 0 else ""
    return (
        "이 가져오기로 만든 행에 다른 자료가 딸려 있어 되돌릴 수 없습니다(되돌리면 그 자료도 지워지거나 바뀝니다): "
        f"{', '.join(named)}{tail}. 그 자료를 먼저 정리한 뒤(가져오기로 만든 것이면 그 가져오기를 먼저 되돌린 뒤) "
        "다시 시도하세요."
    )


def _origin(obj) -> str:
    """Who made `obj`: the import that created it, or the user of its first history record."""
    content_type = ContentType.objects.get_for_model(obj)
    created_by_import = (
        ImportBatchRow.objects.filter(
            content_type=content_type, object_id=obj.pk, action=ImportRowAction.NEW, batch__undone_at__isnull=True
        )
        .select_related("batch")
        .order_by("-batch_id")
        .first()
    )
    if created_by_import is not None:
        batch = created_by_import.batch
        return f"가져오기 #{batch.pk} {batch.file_name}로 만듦"
    history = getattr(type(obj), "history", None)
    first = None
    if history is not None:
        first = history.filter(id=obj.pk).order_by("history_date").select_related("history_user").first()
    if first is not None and first.history_user is not None:
        user = first.history_user
        return f"{user.get_full_name() or user.get_username()} 입력"
    return "입력자 기록 없음"


def _restore_updated(model, batch, rows, user) -> int:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    m2m = {field.name: field for field in model._meta.many_to_many}
    groups = defaultdict(list)
    sets, m2m_only = [], []
    for _, object_id, action, before, *_ in rows:
        if action != ImportRowAction.UPDATED or not before:
            continue
        plain = {name: _stored_value(fields[name], value) for name, value in before.items() if name in fields}
        if plain:
            groups[tuple(sorted(plain))].append((object_id, plain))
        else:
            m2m_only.append(object_id)
        sets += [(m2m[name], object_id, value) for name, value in before.items() if name in m2m]
    for names, changes in groups.items():
        fast_update(model, list(names), changes)
    for field, object_id, ids in sets:
        getattr(model._base_manager.get(pk=object_id), field.name).set(ids)
    bump_versions(model, m2m_only)
    restored = sum(len(changes) for changes in groups.values()) + len(m2m_only)
    if restored:
        record_import_history(
            model, batch, user=user, action=ImportRowAction.UPDATED, reason=f"가져오기 #{batch.pk} 되돌리기"[:100]
        )
    return restored
