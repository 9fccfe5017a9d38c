"""Background tasks (Django's tasks API): the work behind BackgroundJob rows.

One task, `run_background_job`, runs a job by its action: the preview of a large import (the
pipeline's analysis, nothing written), an import (the all-or-nothing pipeline, so a failure or a
dying worker leaves nothing written), an export of a kind to .xlsx (kept on the
job for download), or a committee report (kept as a ReportSnapshot). Progress is written to the
job row every PROGRESS_EVERY rows: rows read, checked and written.
"""

import io
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from programs.live_progress import LiveProgress
from programs.models import BackgroundJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2000


class JobProgress:
    """Counters of one job, saved now and then (every PROGRESS_EVERY rows or stage) where the
    progress page sees them while the job's own transaction is still open (live_progress)."""

    def __init__(self, job: BackgroundJob):
        self.job = job
        self.live = LiveProgress(job)

    def stage(self, text: str, **counts) -> None:
        self.job.stage = text
        for name, value in counts.items():
            setattr(self.job, name, value)
        self._save()

    def add(self, name: str, count: int = 1) -> None:
        value = getattr(self.job, name) + count
        setattr(self.job, name, value)
        if value % PROGRESS_EVERY == 0:
            self._save()

    def _save(self) -> None:
        self.live.save()

    def close(self) -> None:
        self.live.close()


class ProgressKind:
    """An import kind that counts what the pipeline does with it: rows read (prepare gets each
    chunk), checked (resolve_row) and about to be written (stamp). Everything else is the kind's own."""

    def __init__(self, kind, progress: JobProgress):
        self._kind, self._progress = kind, progress

    def __getattr__(self, name):
        return getattr(self._kind, name)

    def for_run(self):
        return ProgressKind(self._kind.for_run(), self._progress)

    def expect_rows(self, count):
        self._progress.stage(self._progress.job.stage, rows_total=count)

    def prepare(self, rows):
        job = self._progress.job
        read = job.rows_read + len(rows)
        stage = job.stage if job.stage == "저장하는 중" else "검사하는 중"
        self._progress.stage(stage, rows_read=read, rows_total=max(job.rows_total or 0, read))
        return self._kind.prepare(rows)

    def resolve_row(self, row, present):
        self._progress.add("rows_checked")
        return self._kind.resolve_row(row, present)

    def stamp(self, values, user):
        if self._progress.job.stage != "저장하는 중":
            self._progress.stage("저장하는 중")
        self._progress.add("rows_written")
        return self._kind.stamp(values, user)


def run_import(job: BackgroundJob, progress: JobProgress) -> None:
    from programs.importing.kinds import get_kind
    from programs.importing.maintenance import refresh_after_import
    from programs.importing.pipeline import import_file

    progress.stage("파일을 읽는 중")
    job_kind = get_kind(job.kind)
    result = import_file(
        kind=ProgressKind(job_kind, progress),
        data=bytes(job.source),
        file_name=job.file_name,
        user=job.user,
        source="admin",
        expected=job.params.get("expected"),
    )
    job.source = None  # the upload is not kept once it has been imported or refused
    counts = result.counts
    read = job.rows_read  # the rows the pipeline read (ProgressKind.prepare)
    job.rows_read = job.rows_checked = sum(counts.values())
    job.rows_total = read or job.rows_read  # not the estimate of the size check (lines, formatted rows)
    if not result.written and not result.errors:  # every row as stored already (or changed to it meanwhile)
        job.rows_written = 0
        job.message = f"바뀐 내용이 없어 저장하지 않았습니다: {result.summary()}"
        return
    if not result.written:
        reasons = "\n".join(str(error) for error in result.errors[:20])
        more = f"\n… 외 {result.error_count - 20:,}건" if result.error_count > 20 else ""
        raise JobFailed(f"오류가 있어 아무것도 저장하지 않았습니다.\n{reasons}{more}")
    job.rows_written = counts["new"] + counts["updated"]
    progress.stage("목록 통계를 갱신하는 중")
    refresh_after_import(job_kind.model, rows_written=job.rows_written)
    job.message = f"가져왔습니다: {result.summary()}"
    job.result_url = reverse("admin:programs_importbatch_change", args=[result.batch.pk])


def run_preview(job: BackgroundJob, progress: JobProgress) -> None:
    """The analysis of a large upload (nothing written): the preview page's data and, when the file
    can be imported, the upload kept for confirmation (programs/importing/previews.py)."""
    from programs.importing.kinds import get_kind
    from programs.importing.pipeline import PREVIEW_ROWS, import_file
    from programs.importing.previews import pending_upload_store, preview_payload

    progress.stage("파일을 읽는 중")
    kind = get_kind(job.kind)
    data = bytes(job.source)
    result = import_file(
        kind=ProgressKind(kind, progress), data=data, file_name=job.file_name, user=job.user, dry_run=True
    )
    token = ""
    if result.is_valid and result.has_changes:
        token = pending_upload_store(
            kind_name=kind.name, user=job.user, data=data, file_name=job.file_name, result=result
        )
    job.params = {**job.params, "preview": preview_payload(result, preview_rows=PREVIEW_ROWS, token=token)}
    read = job.rows_read  # the rows the pipeline read (ProgressKind.prepare)
    job.rows_read = job.rows_checked = sum(result.counts.values())
    job.rows_total = read or job.rows_read  # not the estimate of the size check (lines, formatted rows)
    outcome = "오류가 있어 저장할 수 없습니다. " if result.errors else ""
    job.message = f"미리보기를 만들었습니다: {result.summary()}. {outcome}미리보기에서 확인하세요."
    opts = kind.model._meta
    job.result_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import") + f"?preview={job.pk}"


def run_export(job: BackgroundJob, progress: JobProgress) -> None:
    from programs.importing.export import export_kind
    from programs.importing.kinds import get_kind

    kind = get_kind(job.kind)
    queryset = kind.model._default_manager.all()
    if job.params.get("pks") is not None:
        queryset = queryset.filter(pk__in=job.params["pks"])
    progress.stage("내보내는 중", rows_total=queryset.count())
    original_rows = kind.export_rows

    def counted(queryset):
        for row in original_rows(queryset):
            progress.add("rows_written")
            yield row

    stream = io.BytesIO()
    export_kind(kind=_Exporting(kind, counted), stream=stream, file_format="xlsx", queryset=queryset)
    job.result = stream.getvalue()
    job.message = f"{job.rows_written:,}행을 내보냈습니다."
    job.result_url = reverse("admin:programs_backgroundjob_download", args=[job.pk])


class _Exporting:
    """The kind with its export rows counted."""

    def __init__(self, kind, export_rows):
        self._kind, self.export_rows = kind, export_rows

    def __getattr__(self, name):
        return getattr(self._kind, name)


def run_report(job: BackgroundJob, progress: JobProgress) -> None:
    from programs import services
    from programs.models import Ministry

    progress.stage("보고서를 만드는 중")
    ministry = Ministry.objects.filter(pk=job.params.get("ministry")).first() if job.params.get("ministry") else None
    snapshot = services.report_snapshot_create(year=job.params.get("year"), ministry=ministry, user=job.user)
    job.params = {**job.params, "snapshot": snapshot.pk}
    job.message = f"보고서를 만들었습니다: {snapshot.file_name}"
    job.result_url = reverse("admin:programs_reportsnapshot_download", args=[snapshot.pk])


class JobFailed(Exception):
    """The job ran and was refused (e.g. rows with errors); the message is for the user."""


RUNNERS = {
    BackgroundJob.Action.IMPORT: run_import,
    BackgroundJob.Action.PREVIEW: run_preview,
    BackgroundJob.Action.EXPORT: run_export,
    BackgroundJob.Action.REPORT: run_report,
}


@task(queue_name=settings.TASKS_QUEUE)  # jobs.job_start enqueues on the configured queue too
def run_background_job(job_id: int) -> str:
    # Claim the job in one UPDATE: of two workers handed the same job (a queue that redelivers it,
    # several workers on one database or one Redis), only the first runs it.
    claimed = BackgroundJob.objects.filter(pk=job_id, state=BackgroundJob.State.WAITING).update(
        state=BackgroundJob.State.RUNNING, updated_at=timezone.now()
    )
    job = BackgroundJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        logger.warning("job not run: already taken or finished", extra={"job_id": job.pk, "state": job.state})
        return job.state
    progress = JobProgress(job)
    progress.live.start_heartbeat()
    progress.stage("시작하는 중")
    logger.info("job started", extra={"job_id": job.pk, "action": job.action, "kind": job.kind})
    try:
        RUNNERS[job.action](job, progress)
    except JobFailed as refusal:
        job.state, job.message = BackgroundJob.State.FAILED, str(refusal)
    except Exception as exc:
        logger.exception("job failed", extra={"job_id": job.pk})
        job.state, job.message = BackgroundJob.State.FAILED, f"작업이 실패했습니다: {exc}"
    else:
        job.state = BackgroundJob.State.DONE
    job.stage = job.get_state_display()
    job.source = None
    job.finished_at = timezone.now()
    try:
        job.save()
    finally:
        progress.close()  # the progress connection, the side file's row
    logger.info("job finished", extra={"job_id": job.pk, "state": job.state})
    return job.state
