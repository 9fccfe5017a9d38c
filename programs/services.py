"""Writes of the plan app: committee report snapshots and budget execution."""

import hashlib

from django.utils import timezone

from programs.models import BudgetExecution, Ministry, ReportSnapshot
from programs.reports.committee import committee_report_bytes
from programs.years import current_year


def report_file_name(*, year: int, ministry: Ministry | None, generated_at) -> str:
    scope = f"_{ministry.short_name or ministry.name}" if ministry else ""
    stamp = timezone.localtime(generated_at).strftime("%Y%m%d_%H%M")
    return f"뿌리산업발전위원회_{year}{scope}_{stamp}.xlsx"


def report_snapshot_create(*, year: int | None = None, ministry: Ministry | None = None, user=None) -> ReportSnapshot:
    """Build the committee workbook and keep it, unchanged, as a dated snapshot."""
    year = year or current_year()
    generated_at = timezone.now()
    content = committee_report_bytes(year=year, ministry=ministry, generated_at=generated_at)
    return ReportSnapshot.objects.create(
        year=year,
        ministry=ministry,
        created_by=user,
        file_name=report_file_name(year=year, ministry=ministry, generated_at=generated_at),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def execution_entry_values(*, user) -> dict:
    """Who entered a budget execution entry: the fields every write path (form, inline, import) sets."""
    return {"entered_by_id": user.pk} if getattr(user, "pk", None) else {}


def execution_record(*, execution: BudgetExecution, user) -> BudgetExecution:
    """Save an execution entry typed by `user` (change form, inline) as entered by them."""
    for attname, value in execution_entry_values(user=user).items():
        setattr(execution, attname, value)
    execution.save()
    return execution
