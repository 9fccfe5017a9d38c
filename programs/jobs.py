"""Starting and following background jobs (imports, exports, committee reports).

`job_start` records a BackgroundJob and hands it to the task worker (programs/tasks.py) once the
row is committed; the worker updates the row as it goes, and the progress page reads it. Small
work keeps the immediate path: `import_in_background` / `export_in_background` say when a file or
a list is large enough (IMPORT_BACKGROUND_BYTES, EXPORT_BACKGROUND_ROWS).

A job whose worker stopped answering counts as failed — a running job whose heartbeat stopped for
RUNNING_STALE_AFTER (the worker beats every 20 s while it runs one), a waiting one no worker took
for STALE_AFTER: its import wrote nothing (imports are one transaction), and it no longer blocks
the next import of its kind.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from programs.live_progress import live_counts, moved_since
from programs.models import BackgroundJob

STALE_AFTER = timedelta(minutes=15)  # a job no worker has taken (the one worker may be busy with another)
RUNNING_STALE_AFTER = timedelta(minutes=3)  # a running job's heartbeat (live_progress) stopped
NO_WORKER_AFTER = timedelta(minutes=1)
NO_WORKER_STAGE = (
    "작업자를 기다리는 중 — 1분 넘게 이 작업을 받은 작업자가 없습니다. 작업자(python manage.py db_worker)가 "
    "실행 중인지 확인하세요(make run·bin/serve는 함께 띄웁니다)."
)
STALE_MESSAGE = "작업자가 응답하지 않아 실패로 처리했습니다. 저장된 것은 없습니다. 다시 시도해 주세요."


class JobRefused(Exception):
    """The job cannot start now; the message is for the user, in Korean."""


def import_in_background(size: int) -> bool:
    return size >= settings.IMPORT_BACKGROUND_BYTES


def export_in_background(rows: int) -> bool:
    return rows >= settings.EXPORT_BACKGROUND_ROWS


def _stale_jobs(now):
    """Jobs no worker took for STALE_AFTER, and running jobs whose worker stopped beating for
    RUNNING_STALE_AFTER (live_progress: every HEARTBEAT_SECONDS while a job runs)."""
    State = BackgroundJob.State  # noqa: N806
    stale = BackgroundJob.objects.filter(
        Q(state=State.WAITING, updated_at__lt=now - STALE_AFTER)
        | Q(state=State.RUNNING, updated_at__lt=now - RUNNING_STALE_AFTER)
    )
    if moving := moved_since(now - RUNNING_STALE_AFTER):  # SQLite: running jobs beat in the side file
        stale = stale.exclude(pk__in=moving)
    return stale


def fail_stale_jobs() -> int:
    """Mark jobs that stopped moving as failed (a worker that died leaves its row running)."""
    now = timezone.now()
    return _stale_jobs(now).update(state=BackgroundJob.State.FAILED, message=STALE_MESSAGE, finished_at=now)


def job_start(*, action: str, user, kind: str = "", file_name: str = "", source: bytes | None = None, params=None):
    """Record the job and enqueue it; refuse a second import of a kind while one waits or runs."""
    from programs.tasks import run_background_job

    fail_stale_jobs()
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.create(
                action=action,
                kind=kind,
                user=user if getattr(user, "pk", None) else None,
                file_name=file_name[:255],
                source=source,
                params=params or {},
                stage="작업자를 기다리는 중",
            )
    except IntegrityError:
        raise JobRefused(
            "같은 종류의 가져오기가 이미 진행 중입니다. 끝난 뒤에 다시 시도해 주세요"
            "(진행 상황은 「백그라운드 작업」에서 볼 수 있습니다)."
        ) from None
    if runs_in_request():
        # No worker (tests, scripts): the job runs now, and the caller answers with its result.
        _enqueue(run_background_job, job)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _enqueue(run_background_job, job))
    return job


def runs_in_request() -> bool:
    from django_tasks import task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(task_backends["default"], ImmediateBackend)


def _enqueue(task, job: BackgroundJob) -> None:
    result = task.using(queue_name=settings.TASKS_QUEUE).enqueue(job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def visible_jobs(user):
    jobs = BackgroundJob.objects.all()
    return jobs if user.is_superuser else jobs.filter(user=user)


def job_status(job: BackgroundJob) -> dict:
    """What the progress page shows, as JSON (a running job's counters as it saved them last).

    Read only (the page polls it every second, and on SQLite an import holds the write lock): a
    job no worker has taken for a minute says so, and a stale one (`_stale_jobs`) shows as failed,
    as fail_stale_jobs will record it at the next job_start."""
    if job.state == BackgroundJob.State.RUNNING and (live := live_counts(job)):
        for name, value in live.items():
            setattr(job, name, value)
    now = timezone.now()
    if not job.finished and _stale_jobs(now).filter(pk=job.pk).exists():
        job.state, job.message, job.stage = BackgroundJob.State.FAILED, STALE_MESSAGE, "실패"
    elif job.state == BackgroundJob.State.WAITING and job.updated_at and job.updated_at < now - NO_WORKER_AFTER:
        job.stage = NO_WORKER_STAGE
    return {
        "id": job.pk,
        "action": job.get_action_display(),
        "state": job.state,
        "state_label": job.get_state_display(),
        "stage": job.stage,
        "rows_total": job.rows_total,
        "rows_read": job.rows_read,
        "rows_checked": job.rows_checked,
        "rows_written": job.rows_written,
        "percent": job.percent,
        "message": job.message,
        "finished": job.finished,
        "result_url": job.result_url,
    }
