"""Writes of the plan app: committee report snapshots and budget execution."""

import hashlib

from django.conf import settings
from django.utils import timezone

from programs.models import Ministry, ReportSnapshot
from programs.reports.committee import committee_report_bytes


def report_file_name(*, year: int, ministry: Ministry | None, generated_at) -> str:
    scope = f"_{ministry.short_name or ministry.name}" if ministry else ""
    stamp = timezone.localtime(generated_at).strftime("%Y%m%d_%H%M")
    return f"뿌리산업발전위원회_{year}{scope}_{stamp}.xlsx"


def report_snapshot_create(*, year: int | None = None, ministry: Ministry | None = None, user=None) -> ReportSnapshot:
    """Build the committee workbook and keep it, unchanged, as a dated snapshot."""
    year = year or settings.PLAN_YEAR
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
