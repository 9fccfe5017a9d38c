"""Undo a whole import from its batch page: created rows are removed, changed rows restored.

Refused (with the reason) when any touched row changed after the import — judged from the audit
trail: a history record of that row later than the import's own — or when a created row is now
referred to by other data, or the user may not change those rows.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from programs import access
from programs.choices import ImportRowAction
from programs.history import import_reason, record_import_history
from programs.importing.bulk import fast_update
from programs.models import ImportBatch

SHOWN = 10


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
    rows = list(batch.rows.values_list("content_type_id", "object_id", "action", "before", "row_number"))
    if not rows:
        raise UndoRefused("이 가져오기로 만들거나 바꾼 행이 없습니다.")
    model = ContentType.objects.get_for_id(rows[0][0]).model_class()
    ids = [object_id for _, object_id, *_ in rows]
    if not (
        user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        and user.has_perm(f"{model._meta.app_label}.delete_{model._meta.model_name}")
    ):
        raise UndoRefused("이 자료를 바꾸거나 지울 권한이 없습니다.")
    if not access.all_changeable(user, model.objects.filter(pk__in=ids)):
        raise UndoRefused("담당 범위 밖의 행이 포함되어 있어 되돌릴 수 없습니다.")
    _refuse_if_changed_since(model, batch, rows)
    with transaction.atomic():
        restored = _restore_updated(model, batch, rows, user)
        removed = _remove_created(model, rows)
        batch.undone_at = timezone.now()
        batch.save(update_fields=["undone_at"])
    return {"restored": restored, "removed": removed}


def _refuse_if_changed_since(model, batch, rows) -> None:
    history = getattr(model, "history", None)
    if history is None:
        return
    reason = import_reason(batch)
    ids = [object_id for _, object_id, *_ in rows]
    imported_at = history.filter(history_change_reason=reason).aggregate(at=Max("history_date"))["at"]
    if imported_at is None:
        return
    changed = set()
    for start in range(0, len(ids), 5000):
        changed |= set(
            history.filter(id__in=ids[start : start + 5000], history_date__gt=imported_at).values_list("id", flat=True)
        )
    if changed:
        numbers = sorted(row_number for _, object_id, _, _, row_number in rows if object_id in changed)
        raise UndoRefused(f"가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: {_row_list(numbers)}")


def _restore_updated(model, batch, rows, user) -> int:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    m2m = {field.name: field for field in model._meta.many_to_many}
    groups = defaultdict(list)
    sets = []
    for _, object_id, action, before, _ in rows:
        if action != ImportRowAction.UPDATED or not before:
            continue
        plain = {name: _stored_value(fields[name], value) for name, value in before.items() if name in fields}
        if plain:
            groups[tuple(sorted(plain))].append((object_id, plain))
        sets += [(m2m[name], object_id, value) for name, value in before.items() if name in m2m]
    for names, changes in groups.items():
        fast_update(model, list(names), changes)
    for field, object_id, ids in sets:
        getattr(model.objects.get(pk=object_id), field.name).set(ids)
    restored = sum(len(changes) for changes in groups.values())
    if restored:
        record_import_history(
            model, batch, user=user, action=ImportRowAction.UPDATED, reason=f"가져오기 #{batch.pk} 되돌리기"[:100]
        )
    return restored


def _remove_created(model, rows) -> int:
    created = [object_id for _, object_id, action, *_ in rows if action == ImportRowAction.NEW]
    removed = 0
    try:
        for start in range(0, len(created), 2000):
            removed += model.objects.filter(pk__in=created[start : start + 2000]).delete()[1].get(model._meta.label, 0)
    except ProtectedError as exc:
        labels = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        raise UndoRefused(
            f"가져오기로 만든 행을 다른 자료({', '.join(labels)})가 참조하고 있어 되돌릴 수 없습니다."
        ) from exc
    return removed
