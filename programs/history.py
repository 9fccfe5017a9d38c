"""Audit trail: every create, change and delete of the audited models is kept with who and when.

Built on django-simple-history. Admin edits record the user through its middleware; imports
write history rows in bulk (see programs.importing) with the batch's user and file name as reason.
"""

from simple_history.models import HistoricalRecords


def audit_trail(label: str, *, excluded_fields: list[str] | None = None) -> HistoricalRecords:
    """History for a model, labelled in Korean (e.g. '예산 집행 이력').

    Values the database derives (GeneratedField) are left out: they follow from the recorded ones."""
    return HistoricalRecords(
        verbose_name=f"{label} 이력",
        verbose_name_plural=f"{label} 이력",
        excluded_fields=excluded_fields,
    )


def import_reason(batch) -> str:
    return f"가져오기 #{batch.pk} ({batch.file_name})"[:100]


def record_import_history(model, batch, *, user=None, action=None, reason: str | None = None) -> int:
    """History rows for every object an import batch created or changed, in one INSERT … SELECT.

    Imports write with raw bulk statements (no signals), so the audit trail is written the same
    way: copied from the rows just written, keyed by the batch's ImportBatchRow entries.
    """
    history = getattr(model, "history", None)
    if history is None or batch is None:
        return 0
    from django.db import connection
    from django.utils import timezone

    from programs.choices import ImportRowAction
    from programs.models import ImportBatchRow

    historical = history.model
    source_columns = {field.name: field.column for field in model._meta.concrete_fields if not field.generated}
    target, select = [], []
    for field in historical._meta.concrete_fields:
        if field.name in source_columns:
            target.append(connection.ops.quote_name(field.column))
            select.append(connection.ops.quote_name(source_columns[field.name]))
    history_date = historical._meta.get_field("history_date").get_db_prep_value(timezone.now(), connection)
    quote = connection.ops.quote_name
    actions = [action] if action else [ImportRowAction.NEW, ImportRowAction.UPDATED]
    written = 0
    with connection.cursor() as cursor:
        for row_action in actions:
            history_type = "+" if row_action == ImportRowAction.NEW else "~"
            cursor.execute(
                f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(target)}, "
                f"{quote('history_date')}, {quote('history_type')}, {quote('history_user_id')}, "
                f"{quote('history_change_reason')}) "
                f"SELECT {', '.join(select)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN (SELECT {quote('object_id')} "
                f"FROM {quote(ImportBatchRow._meta.db_table)} WHERE {quote('batch_id')} = %s "
                f"AND {quote('action')} = %s)",
                [
                    history_date,
                    history_type,
                    getattr(user, "pk", None),
                    reason or import_reason(batch),
                    batch.pk,
                    row_action,
                ],
            )
            written += cursor.rowcount
    return written
