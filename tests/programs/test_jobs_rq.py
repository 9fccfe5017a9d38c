"""The background job tests again, with Redis and RQ (TASKS_BACKEND=rq) instead of the database.

Runs when Redis answers at REDIS_URL (default redis://127.0.0.1:6379/0) and django-tasks-rq is
installed; skipped otherwise, with the reason (with REQUIRE_REDIS=1, as CI sets it, a missing
Redis is an error instead). Each test gets a queue of its own (TASKS_QUEUE), so
test runs sharing one Redis do not take each other's jobs; the worker runs in this process in
burst mode (rq's SimpleWorker: no fork, so it sees the test's uncommitted rows, as the database
worker does).
"""

import os
import uuid

import pytest

from tests.programs.test_import_preview_jobs import (  # noqa: F401  (the same, RQ fixture below)
    test_a_large_upload_is_analysed_by_the_worker_with_progress_then_confirmed,
)
from tests.programs.test_jobs import (  # noqa: F401  (collected here again, with the RQ fixture below)
    test_a_job_taken_by_one_worker_is_not_run_again_by_another,
    test_a_second_import_of_the_same_kind_is_refused_while_one_waits,
    test_an_import_refused_by_the_worker_writes_nothing_and_says_why,
    test_committee_report_is_built_by_the_worker,
    test_large_export_is_written_by_the_worker_and_downloaded,
    test_large_import_waits_for_the_worker_then_writes_with_progress,
)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_unavailable() -> str:
    """Why these tests cannot run here, or "" when they can."""
    try:
        import django_tasks_rq  # noqa: F401
        import redis
    except ImportError as exc:
        return f"django-tasks-rq is not installed ({exc.name})"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return f"Redis does not answer at {REDIS_URL} ({exc})"
    return ""


REASON = redis_unavailable()
if REASON and os.environ.get("REQUIRE_REDIS"):
    # CI says Redis is there: a missing Redis must fail, not skip quietly.
    raise RuntimeError(f"REQUIRE_REDIS is set: {REASON}")
pytestmark = [pytest.mark.django_db, pytest.mark.skipif(bool(REASON), reason=REASON or "Redis answers")]


@pytest.fixture
def worker_tasks(settings):
    """RQ backend on a queue of this test's own; enqueued jobs wait for `run_rq_worker()`."""
    queue = f"ppuri-test-{uuid.uuid4().hex[:12]}"
    settings.TASKS_QUEUE = queue
    settings.RQ_QUEUES = {queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}
    settings.IMPORT_BACKGROUND_BYTES = 1
    settings.EXPORT_BACKGROUND_ROWS = 2
    yield queue
    import django_rq

    django_rq.get_queue(queue).empty()


def run_rq_worker() -> int:
    """Run every job of the test's queue in this process; the number of jobs run."""
    import django_rq
    from django.conf import settings
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue(settings.TASKS_QUEUE, job_class=Job)
    waiting = queue.count
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True, with_scheduler=False)
    return waiting


def test_the_job_went_through_redis(admin_user, worker_tasks, django_capture_on_commit_callbacks):
    """Not the immediate backend by accident: the job waits in the Redis queue until the worker runs."""
    import django_rq

    from programs.jobs import job_start
    from programs.models import BackgroundJob

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(action="report", user=admin_user, params={"year": 2025})
    assert django_rq.get_queue(worker_tasks).count == 1
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.WAITING and job.task_id

    assert run_rq_worker() == 1

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.DONE and django_rq.get_queue(worker_tasks).count == 0
