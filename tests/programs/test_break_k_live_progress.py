"""Break-it tests of the live progress of background jobs (programs/live_progress.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs import live_progress, tasks
from programs.jobs import JobRefused, fail_stale_jobs, job_start
from programs.models import BackgroundJob
from tests.programs.test_concurrency_postgres import plan, staff  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_long_import_that_keeps_saving_progress_on_sqlite_is_not_taken_for_dead(monkeypatch, tmp_path, staff):  # noqa: F811
    # On SQLite the counters go to the side file while the import holds the database; the job's
    # row keeps the updated_at of its claim. A job that moved a second ago is not stale.
    monkeypatch.setattr(live_progress, "side_file", lambda: tmp_path / "db.sqlite3-jobs")
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.IMPORT, kind="companies", state=BackgroundJob.State.RUNNING, user=staff
    )
    started = timezone.now() - timedelta(minutes=20)
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=started)
    progress = tasks.JobProgress(job)
    progress.stage("저장하는 중", rows_total=600_000, rows_read=590_000)  # just now
    try:
        assert fail_stale_jobs() == 0
        assert BackgroundJob.objects.get(pk=job.pk).state == BackgroundJob.State.RUNNING
        with pytest.raises(JobRefused):  # still one import of a kind at a time
            job_start(action=BackgroundJob.Action.IMPORT, user=staff, kind="companies", source=b"x")
    finally:
        progress.close()


def test_a_job_whose_side_file_progress_stopped_is_still_failed(monkeypatch, tmp_path, staff):  # noqa: F811
    side = tmp_path / "db.sqlite3-jobs"
    monkeypatch.setattr(live_progress, "side_file", lambda: side)
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.IMPORT, kind="companies", state=BackgroundJob.State.RUNNING, user=staff
    )
    progress = tasks.JobProgress(job)
    progress.stage("저장하는 중", rows_total=10, rows_read=5)
    long_ago = timezone.now() - timedelta(minutes=20)
    progress.live.side.execute("UPDATE live SET updated_at = ?", [long_ago.isoformat()])
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    try:
        assert fail_stale_jobs() == 1
        assert BackgroundJob.objects.get(pk=job.pk).state == BackgroundJob.State.FAILED
    finally:
        progress.close()


def _csv_with_line_breaks(count: int) -> bytes:
    import csv
    import io

    from tests.companies.helpers import valid_brn

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["사업자등록번호", "업체명", "시·도", "업종", "종사자 수", "메모"])
    for i in range(count):
        writer.writerow([valid_brn(7000 + i), f"줄바꿈{i}", "경기", "주조", i, "첫 줄\n둘째 줄\n셋째 줄"])
    return out.getvalue().encode("utf-8")


def test_a_finished_csv_import_job_counts_its_records_not_its_lines(staff):  # noqa: F811
    # The size check counts lines (a quoted field may hold line breaks): an estimate for the bar
    # while the job runs; the finished job says how many rows the file had.
    from companies.models import Company

    data = _csv_with_line_breaks(30)
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.IMPORT, kind="companies", user=staff, file_name="줄바꿈.csv", source=data
    )
    assert tasks.run_background_job.call(job.pk) == BackgroundJob.State.DONE
    assert Company.objects.filter(memo="첫 줄\n둘째 줄\n셋째 줄").count() == 30
    job.refresh_from_db()
    assert (job.rows_total, job.rows_read, job.percent) == (30, 30, 100)
    preview = BackgroundJob.objects.create(
        action=BackgroundJob.Action.PREVIEW, kind="companies", user=staff, file_name="줄바꿈.csv", source=data
    )
    assert tasks.run_background_job.call(preview.pk) == BackgroundJob.State.DONE
    preview.refresh_from_db()
    assert (preview.rows_total, preview.rows_read) == (30, 30)


@pytest.mark.parametrize("failure", ["refused", "crashed"])
def test_a_failed_job_leaves_no_side_file_row_and_a_final_row(monkeypatch, tmp_path, staff, failure):  # noqa: F811
    import sqlite3

    from companies.models import Company

    side = tmp_path / "db.sqlite3-jobs"
    monkeypatch.setattr(live_progress, "side_file", lambda: side)
    data = _csv_with_line_breaks(5)
    if failure == "refused":
        data = data.replace("경기".encode(), "없는도".encode(), 1)
    else:
        from programs.importing import pipeline

        def broken(*args, **kwargs):
            raise RuntimeError("작업자 안의 예기치 않은 오류")

        monkeypatch.setattr(pipeline, "write_chunk", broken)
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.IMPORT, kind="companies", user=staff, file_name="실패.csv", source=data
    )
    assert tasks.run_background_job.call(job.pk) == BackgroundJob.State.FAILED
    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED and job.finished_at and job.source is None
    assert job.stage == "실패" and job.message
    assert job_status_of(job)["finished"] and live_progress.live_counts(job) is None
    assert sqlite3.connect(side).execute("SELECT count(*) FROM live").fetchone() == (0,)
    assert not Company.objects.filter(name__startswith="줄바꿈").exists()
    # The next import of the kind is not refused by the failed one.
    again = job_start(action=BackgroundJob.Action.IMPORT, user=staff, kind="companies", source=b"", file_name="a.csv")
    assert again.pk != job.pk


def job_status_of(job):
    from programs.jobs import job_status

    return job_status(job)
