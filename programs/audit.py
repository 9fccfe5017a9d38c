"""Audit trail: every create, change and delete of the audited models is kept with who and when.

Built on django-simple-history; models declare `history = audit_trail("예산 집행")`. Admin edits
record the user through its middleware; imports write their history rows in bulk
(programs.history). This module imports no model, so every model can use it.
"""

from simple_history.models import HistoricalRecords


class _AllButId:
    """The copied fields whose index the history table does without: all but `id`.

    django-simple-history copies each field's index (db_index, unique, foreign keys) into the
    history table; the history is read by object (`id`) and date only (its own indexes), so the
    other copies would only slow every bulk import's INSERT … SELECT (7 indexes a row for
    뿌리기업). Passed as `no_db_index`, which simple-history tests with `in`."""

    def __contains__(self, name) -> bool:
        return name != "id"


def audit_trail(label: str, *, excluded_fields: list[str] | None = None) -> HistoricalRecords:
    """History for a model, labelled in Korean (e.g. '예산 집행 이력').

    Values the database derives (GeneratedField) are left out: they follow from the recorded ones."""
    return HistoricalRecords(
        verbose_name=f"{label} 이력",
        verbose_name_plural=f"{label} 이력",
        excluded_fields=excluded_fields,
        no_db_index=_AllButId(),
    )
