"""Audit trail: every create, change and delete of the audited models is kept with who and when.

Built on django-simple-history. Admin edits record the user through its middleware; imports
write history rows in bulk (see programs.importing) with the batch's user and file name as reason.
"""

from simple_history.models import HistoricalRecords


def audit_trail(label: str) -> HistoricalRecords:
    """History for a model, labelled in Korean (e.g. '예산 집행 이력')."""
    return HistoricalRecords(
        verbose_name=f"{label} 이력",
        verbose_name_plural=f"{label} 이력",
        history_change_reason_field=None,
    )
