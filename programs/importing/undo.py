"""Undo a whole import from its batch page: created rows are removed, changed rows restored.

All in one transaction, which first claims the batch (so two undos of it cannot both run) and then
refuses, naming the rows, when:
- any row the import wrote changed after it: its version (programs.versioning) is read under a row
  lock (pk order, as imports lock) and must still be the one the import left (ImportBatchRow.version;
  batches from before versions are judged from the audit trail instead);
- removing the rows it created would remove or change anything else — found with Django's deletion
  collector, so cascades (a course under an imported institution), SET_NULL references and protected
  references all count — whoever made that data (another import or a staff member), named;
- the user may not change or delete those rows;
- the kind refuses (`ImportExportKind.undo_refusal`, e.g. a 지원예산 표 whose year was confirmed since).

A batch may hold rows of several tables: the file's, and those its kind's `after_write` wrote
(the 지원예산 표 adds 전년 budgets and renumbers that year's placements). All are undone together,
under the same checks; rows of other tables are named in a refusal (they have no row of the file).
Permissions and scope are those of the kind's own table: the other rows are the import's own
side effects, undone under the authority that let the import make them. A write the database
refuses (a constraint or a trigger, e.g. the year-agreement rule) refuses the undo in words.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, router, transaction
from django.db.models import Max, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from programs import access
from programs.choices import ImportRowAction
from programs.db_errors import database_message
from programs.history import import_reason, latest_change_since, record_import_history
from programs.importing.bulk import bump_versions, fast_update
from programs.importing.kinds import get_kind
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
    kind = get_kind(batch.kind)
    model = kind.model
    groups = _by_model(rows, first=model)
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
        own_ids = [object_id for _, object_id, *_ in groups.get(model, [])]
        if not access.all_changeable(user, model.objects.filter(pk__in=own_ids)):
            raise UndoRefused("담당 범위 밖의 행이 포함되어 있어 되돌릴 수 없습니다.")
        if refusal := kind.undo_refusal(batch):
            raise UndoRefused(refusal)
        _refuse_if_changed_since(groups, batch, own=model)
        collectors = [(table, found) for table, group in groups.items() for found in _collect_created(table, group)]
        try:
            restored = sum(_restore_updated(kind, table, batch, group, user) for table, group in groups.items())
            removed = sum(collector.delete()[1].get(table._meta.label, 0) for table, collector in collectors)
        except DatabaseError as exc:
            raise UndoRefused(
                f"데이터베이스가 되돌리기를 거부하여 아무것도 바꾸지 않았습니다: {database_message(exc)}"
            ) from exc
    batch.refresh_from_db(fields=["undone_at"])
    return {"restored": restored, "removed": removed}


def _by_model(rows, *, first) -> dict:
    """The batch's rows by model, the kind's own first (legacy batches hold only those)."""
    by_type = defaultdict(list)
    for row in rows:
        by_type[row[0]].append(row)
    groups = {ContentType.objects.get_for_id(type_id).model_class(): group for type_id, group in by_type.items()}
    return dict(sorted(groups.items(), key=lambda item: item[0] is not first))


def _refuse_if_changed_since(groups: dict, batch, *, own) -> None:
    """Rows whose version moved since the import wrote them (locked until the undo commits): the
    kind's own rows by row number, the other tables' rows by name."""
    parts = []
    for model, rows in groups.items():
        changed = _changed_rows(model, batch, rows)
        if not changed:
            continue
        details = []
        for row_number, object_id, version in changed[:3]:
            count, note = latest_change_since(model, object_id, version) if version is not None else (0, None)
            if note is not None:
                text = f"그 뒤 {count:,}번 바뀜, 마지막: {note}" if count > 1 else str(note)
                details.append(f"{row_number}행 — {text}" if model is own else text)
        suffix = f" ({'; '.join(details)})" if details else ""
        if model is own:
            parts.append(f"가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: {_row_list([c[0] for c in changed])}{suffix}")
            continue
        shown = model._base_manager.in_bulk([object_id for _, object_id, _ in changed[:SHOWN]])
        names = ", ".join(f"「{shown.get(object_id, object_id)}」" for _, object_id, _ in changed[:SHOWN])
        more = f" 외 {len(changed) - SHOWN:,}건" if len(changed) > SHOWN else ""
        parts.append(
            f"이 가져오기가 함께 바꾼 {model._meta.verbose_name} 중 그 뒤 바뀐 것이 있어 되돌릴 수 없습니다: "
            f"{names}{more}{suffix}"
        )
    if parts:
        raise UndoRefused(" ".join(parts))


def _changed_rows(model, batch, rows) -> list[tuple[int, int, int | None]]:
    """(row number, pk, version recorded) of `rows` changed since the import, in row order."""
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
    return sorted(changed, key=lambda change: (change[0], change[1]))


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


def _restore_updated(kind, model, batch, rows, user) -> int:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    m2m = {field.name: field for field in model._meta.many_to_many}
    groups = defaultdict(list)
    sets, m2m_only, before_values = [], [], {}
    for _, object_id, action, before, *_ in rows:
        if action != ImportRowAction.UPDATED or not before:
            continue
        plain = {name: _stored_value(fields[name], value) for name, value in before.items() if name in fields}
        if plain:
            groups[tuple(sorted(plain))].append((object_id, plain))
            before_values[object_id] = plain
        else:
            m2m_only.append(object_id)
        sets += [(m2m[name], object_id, value) for name, value in before.items() if name in m2m]
    if before_values and (refusal := kind.before_undo_restore(model, before_values)):
        raise UndoRefused(refusal)
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
