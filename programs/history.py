"""Reading and writing the audit trail outside forms (the trail itself: programs.audit).

Imports write history rows in bulk, with the batch's user and file name as reason
(`record_import_history`); conflict messages read who changed a row since a version (`changes_since`).
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from programs.choices import ImportRowAction
from programs.models import ImportBatchRow


def import_reason(batch) -> str:
    return f"가져오기 #{batch.pk} ({batch.file_name})"[:100]


def _history_insert(model, *, history_type: str, user, reason: str) -> tuple[str, list]:
    """ "INSERT INTO <history> (…) SELECT <the row's columns>, date, type, user, reason FROM <table>"
    and its parameters; the caller adds the WHERE that picks the rows."""
    historical = model.history.model
    quote = connection.ops.quote_name
    source_columns = {field.name: field.column for field in model._meta.concrete_fields if not field.generated}
    target, select = [], []
    for field in historical._meta.concrete_fields:
        if field.name in source_columns:
            target.append(quote(field.column))
            select.append(quote(source_columns[field.name]))
    history_date = historical._meta.get_field("history_date").get_db_prep_value(timezone.now(), connection)
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(target)}, "
        f"{quote('history_date')}, {quote('history_type')}, {quote('history_user_id')}, "
        f"{quote('history_change_reason')}) "
        f"SELECT {', '.join(select)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)}"
    )
    return sql, [history_date, history_type, getattr(user, "pk", None), reason]


def record_import_history(model, batch, *, user=None, action=None, reason: str | None = None) -> int:
    """History rows for every object an import batch created or changed, in one INSERT … SELECT.

    Imports write with raw bulk statements (no signals), so the audit trail is written the same
    way: copied from the rows just written, keyed by the batch's ImportBatchRow entries.
    """
    if getattr(model, "history", None) is None or batch is None:
        return 0
    quote = connection.ops.quote_name
    actions = [action] if action else [ImportRowAction.NEW, ImportRowAction.UPDATED]
    content_type_id = ContentType.objects.get_for_model(model).pk  # a batch may record rows of several tables
    written = 0
    with connection.cursor() as cursor:
        for row_action in actions:
            history_type = "+" if row_action == ImportRowAction.NEW else "~"
            sql, params = _history_insert(
                model, history_type=history_type, user=user, reason=reason or import_reason(batch)
            )
            cursor.execute(
                f"{sql} WHERE {quote(model._meta.pk.column)} IN (SELECT {quote('object_id')} "
                f"FROM {quote(ImportBatchRow._meta.db_table)} WHERE {quote('batch_id')} = %s "
                f"AND {quote('content_type_id')} = %s AND {quote('action')} = %s)",
                [*params, batch.pk, content_type_id, row_action],
            )
            written += cursor.rowcount
    return written


def created_history_statement(model, batch, pks: list[int], *, user=None) -> tuple[str, list] | None:
    """The INSERT … SELECT of the history rows ("+") of rows `batch` just created (`pks`), for an
    import that writes them a chunk at a time (pipeline.write_chunk); None if `model` keeps none."""
    if getattr(model, "history", None) is None or not pks:
        return None
    sql, params = _history_insert(model, history_type="+", user=user, reason=import_reason(batch))
    return f"{sql} WHERE {connection.ops.quote_name(model._meta.pk.column)} = ANY(%s)", [*params, list(pks)]


@dataclass
class ChangeNote:
    """One recorded change of a row: when, by whom (user and, for imports, the batch), what."""

    when: datetime.datetime
    who: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)
    deleted: bool = False

    def __str__(self) -> str:
        stamp = timezone.localtime(self.when).strftime("%Y-%m-%d %H:%M")
        if self.deleted:
            return f"{stamp} {self.who}: 삭제"
        shown = ", ".join(f"{label} {before} → {after}" for label, before, after in self.changes[:6])
        more = f" 외 {len(self.changes) - 6}개 항목" if len(self.changes) > 6 else ""
        return f"{stamp} {self.who}: {shown or '내용 변경 없음(저장만 됨)'}{more}"


def changes_since(model, pk, version: int, *, limit: int = 5) -> list[ChangeNote]:
    """What the audit trail says happened to row `pk` after `version`: the changes that a form
    opened at `version` (or an import that read it) has not seen, oldest first."""
    history = getattr(model, "history", None)
    if history is None:
        return []
    key = {model._meta.pk.attname: pk}
    later = list(
        history.filter(**key, version__gt=version)
        .select_related("history_user")
        .order_by("version", "history_date", "history_id")[:limit]
    )
    deleted = history.filter(**key, history_type="-").select_related("history_user").order_by("-history_date").first()
    previous = history.filter(**key, version__lte=version).order_by("-version", "-history_date", "-history_id").first()
    notes = []
    for record in later:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"])
            changes = [
                (_label(model, c.field), _shown(model, c.field, c.old), _shown(model, c.field, c.new))
                for c in delta.changes
            ]
        notes.append(ChangeNote(record.history_date, _who(record), changes))
        previous = record
    if deleted is not None and (not later or deleted.history_date >= later[-1].history_date):
        notes.append(ChangeNote(deleted.history_date, _who(deleted), [], deleted=True))
    return notes


def latest_change_since(model, pk, version: int) -> tuple[int, ChangeNote | None]:
    """How many history records row `pk` has after `version`, and the last change among them
    (what it is now: a change that was undone later shows as the undo, not as the change)."""
    history = getattr(model, "history", None)
    if history is None:
        return 0, None
    later = history.filter(**{model._meta.pk.attname: pk}, version__gt=version)
    count = later.count()
    last = later.order_by("-version", "-history_date", "-history_id").first()
    if last is None:
        return 0, None
    notes = changes_since(model, pk, max(version, last.version - 1), limit=1)
    return count, (notes[-1] if notes else None)


def _who(record) -> str:
    user = record.history_user
    name = (user.get_full_name() or user.get_username()) if user is not None else "사용자 기록 없음"
    reason = record.history_change_reason
    return f"{name}({reason})" if reason else name


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _shown(model, name: str, value) -> str:
    if value is None or value == "":
        return "(빈 칸)"
    try:
        field = model._meta.get_field(name)
    except Exception:
        return str(value)
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, int) and not name.endswith(("year", "month", "order")):
        return f"{value:,}"
    return str(value)
