"""Import previews that outlive their request, and the uploads waiting for confirmation.

A file at or above IMPORT_BACKGROUND_BYTES is analysed by the task worker (`import_file` with
dry_run=True, programs/tasks.py) as a background job with progress (rows read / checked), so the
request answers at once and staff may leave and come back. The job keeps what the preview page
shows — counts, the first rows, the errors, the warnings and the confirmation token — as plain
data (`preview_payload`), and the admin's import page renders it again from the job
(`preview_context`) exactly as it renders an analysis done in the request. Smaller files keep
the immediate path.

Either way a file that can be imported is kept as a PendingUpload (in the database, so any server
process can confirm it) for UPLOAD_TTL; confirming takes it from there.
"""

import uuid
from datetime import timedelta

from django.utils import timezone
from django.utils.formats import localize

from programs.models import PendingUpload

UPLOAD_TTL = timedelta(hours=1)  # a preview not confirmed within this is discarded
ERRORS_SHOWN = 500


def pending_upload_store(*, kind_name: str, user, data: bytes, file_name: str, result) -> str:
    """Keep a previewed file until it is confirmed (in the database: any server process confirms);
    the token the confirm form sends back. The versions of the rows the preview compared go with
    it: rows changed since are refused at confirmation."""
    PendingUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_TTL).delete()
    token = uuid.uuid4().hex
    PendingUpload.objects.create(
        token=token,
        kind=kind_name,
        user=user if getattr(user, "pk", None) else None,
        file_name=file_name[:255],
        sha256=result.sha256,
        content=data,
        snapshot=result.snapshot(),
    )
    return token


def _shown(value) -> str:
    # As the template would print the value (localized numbers and dates, None as "None").
    return str(localize(value))


def preview_payload(result, *, preview_rows: int, token: str = "") -> dict:
    """What the preview page shows of an ImportResult, as JSON-safe data."""
    return {
        "file_name": result.file_name,
        "counts": result.counts,
        "warnings": [str(warning) for warning in result.warnings],
        "ignored_headers": [str(header) for header in result.ignored_headers],
        "errors": [
            {
                "row_number": error.row_number,
                "column": str(error.column),
                "value_display": error.value_display,
                "message": str(error.message),
            }
            for error in result.errors[:ERRORS_SHOWN]
        ],
        "new_rows": [
            {"row": {"row_number": change.row.row_number}, "label": str(change.label)}
            for change in result.new[:preview_rows]
        ],
        "updated_rows": [
            {
                "row": {"row_number": change.row.row_number},
                "label": str(change.label),
                "fields": [[str(header), _shown(before), _shown(after)] for header, before, after in change.fields],
            }
            for change in result.updated[:preview_rows]
        ],
        "token": token,
    }


def preview_context(payload: dict, *, preview_rows: int) -> dict:
    """The import page's context for a stored preview (the same names an in-request preview uses)."""
    return {
        "result": {
            "file_name": payload["file_name"],
            "warnings": payload["warnings"],
            "ignored_headers": payload["ignored_headers"],
        },
        "counts": payload["counts"],
        "preview_limit": preview_rows,
        "new_rows": payload["new_rows"],
        "updated_rows": payload["updated_rows"],
        "errors": payload["errors"],
        "token": payload["token"],
    }
