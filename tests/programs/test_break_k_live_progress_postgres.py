"""Break-it tests, PostgreSQL: the second connection that saves a job's progress never waits on a
lock for long (lock_timeout), even when its first connection attempt failed."""

import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.backends.postgresql.base import DatabaseWrapper

from programs import tasks
from programs.models import BackgroundJob
from tests.programs.test_concurrency_postgres import plan, staff  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def locked_for(job, seconds: float) -> threading.Event:
    """Another session holds the job's row (FOR UPDATE) for `seconds`; set once it holds it."""
    holding = threading.Event()

    def hold():
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SELECT id FROM programs_backgroundjob WHERE id = %s FOR UPDATE", [job.pk])
                holding.set()
                time.sleep(seconds)
                cursor.execute("ROLLBACK")
        finally:
            other.close()

    threading.Thread(target=hold, daemon=True).start()
    assert holding.wait(10)
    return holding


def timed_save(progress) -> float:
    started = time.monotonic()
    progress.stage("검사하는 중", rows_read=10)
    return time.monotonic() - started


@pytest.mark.parametrize("first_connect_fails", [False, True])
def test_progress_never_waits_long_on_a_locked_job_row(staff, monkeypatch, first_connect_fails):  # noqa: F811
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.EXPORT, kind="companies", state=BackgroundJob.State.RUNNING, user=staff
    )
    progress = tasks.JobProgress(job)
    if first_connect_fails:  # the database did not answer the first time (a restart, a full pool)
        real, failures = DatabaseWrapper.get_new_connection, []

        def get_new_connection(self, conn_params):
            if not failures:
                failures.append(1)
                raise OperationalError("connection refused")
            return real(self, conn_params)

        monkeypatch.setattr(DatabaseWrapper, "get_new_connection", get_new_connection)
        progress.stage("시작하는 중")  # skipped (logged)
        assert failures
    try:
        locked_for(job, seconds=6)
        assert timed_save(progress) < 3  # given up after lock_timeout: skipped, the job goes on
    finally:
        progress.close()
