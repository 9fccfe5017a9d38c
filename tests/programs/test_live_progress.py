"""A running import's progress is seen by other sessions while its transaction is still open
(programs/live_progress.py), and SQLite databases let staff read while an import writes."""

import sqlite3
import threading

import pytest

from companies.models import Company
from config.settings.base import database_settings
from programs import live_progress, tasks
from programs.importing import pipeline
from programs.importing.kinds import get_kind
from programs.jobs import job_status
from programs.models import BackgroundJob
from tests.companies.helpers import valid_brn
from tests.programs.conflicts import company_file
from tests.programs.test_concurrency_postgres import plan, staff  # noqa: F401 (fixtures)


def elsewhere(function):
    """`function()` in another thread, with its own database connection (another session)."""
    out = {}

    def work():
        try:
            out["value"] = function()
        finally:
            from django.db import connections

            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    return out["value"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_job_shows_its_progress_to_others_before_it_commits(monkeypatch, staff):  # noqa: F811
    monkeypatch.setattr(get_kind("companies"), "chunk_rows", 40)
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 10)
    brns = [valid_brn(serial) for serial in range(3000, 3200)]
    data = company_file([[brn, f"진행{i}", "경기", "주조", i] for i, brn in enumerate(brns)])
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.IMPORT, kind="companies", user=staff, file_name="진행.xlsx", source=data
    )
    seen = []
    real = pipeline.write_chunk

    def write_chunk(run, new, updated):
        real(run, new, updated)
        seen.append(
            elsewhere(
                lambda: (
                    BackgroundJob.objects.values_list("stage", "rows_total", "rows_read", "rows_written").get(
                        pk=job.pk
                    ),
                    Company.objects.filter(brn__in=brns).count(),
                )
            )
        )

    monkeypatch.setattr(pipeline, "write_chunk", write_chunk)
    assert tasks.run_background_job.call(job.pk) == BackgroundJob.State.DONE
    assert len(seen) == 5
    (stage, total, read, written), visible = seen[2]  # after the third chunk of 40
    assert (stage, total, visible) == ("저장하는 중", 200, 0)  # nothing committed yet
    assert read == 120 and 110 <= written <= 120
    assert [row[0][2] for row in seen] == [40, 80, 120, 160, 200]
    job.refresh_from_db()
    assert (job.rows_read, job.rows_written, job.percent) == (200, 200, 100)
    assert Company.objects.filter(brn__in=brns).count() == 200


@pytest.mark.django_db
def test_on_sqlite_progress_goes_to_a_side_file_while_the_import_holds_the_database(monkeypatch, tmp_path, staff):  # noqa: F811
    side = tmp_path / "db.sqlite3-jobs"
    monkeypatch.setattr(live_progress, "side_file", lambda: side)
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.IMPORT, kind="companies", state=BackgroundJob.State.RUNNING, user=staff
    )
    progress = tasks.JobProgress(job)
    progress.stage("검사하는 중", rows_total=64061, rows_read=5000)
    for _ in range(3000):
        progress.add("rows_checked")
    stored = BackgroundJob.objects.get(pk=job.pk)
    assert stored.rows_read == 0  # the row itself is left alone until the job ends
    status = job_status(stored)
    assert (status["stage"], status["rows_total"], status["rows_read"], status["rows_checked"]) == (
        "검사하는 중",
        64061,
        5000,
        2000,  # saved every PROGRESS_EVERY rows
    )
    assert status["percent"] == int((5000 + 2000) / 3 * 100 / 64061)
    progress.close()
    assert job_status(BackgroundJob.objects.get(pk=job.pk))["rows_read"] == 0
    assert sqlite3.connect(side).execute("SELECT count(*) FROM live").fetchone() == (0,)


@pytest.mark.django_db
def test_progress_that_cannot_be_saved_never_fails_the_job(monkeypatch, tmp_path, staff):  # noqa: F811
    monkeypatch.setattr(live_progress, "side_file", lambda: tmp_path / "missing-dir" / "db-jobs")
    job = BackgroundJob.objects.create(action=BackgroundJob.Action.EXPORT, kind="companies", user=staff)
    progress = tasks.JobProgress(job)
    progress.stage("내보내는 중", rows_total=10)  # the side file's folder does not exist: skipped
    progress.close()
    assert live_progress.live_counts(job) is None


def test_sqlite_databases_let_staff_read_while_an_import_writes(tmp_path):
    path = tmp_path / "db.sqlite3"
    config = database_settings(f"sqlite:///{path}", conn_max_age=0, parallel_workers=0)
    commands = [command for command in config["OPTIONS"]["init_command"].split(";") if command.strip()]

    def connect(**options):
        opened = sqlite3.connect(path, isolation_level=None, **options)
        for command in commands:
            opened.execute(command)
        return opened

    writer = connect()
    writer.execute("CREATE TABLE company (id INTEGER PRIMARY KEY, name TEXT)")
    writer.execute("INSERT INTO company (name) VALUES ('기존')")
    writer.execute("PRAGMA cache_size = 20")  # the import's changes outgrow its cache at once
    writer.execute("BEGIN IMMEDIATE")
    writer.executemany("INSERT INTO company (name) VALUES (?)", [(f"가져오는 기업 {i:06d}" * 4,) for i in range(20000)])
    reader = connect(timeout=0.2)
    assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert reader.execute("SELECT count(*) FROM company").fetchone() == (1,)  # not "database is locked"
    writer.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM company").fetchone() == (20001,)


@pytest.mark.django_db
def test_an_import_job_of_a_file_already_stored_is_done_not_failed(staff):  # noqa: F811
    brns = [valid_brn(serial) for serial in range(3300, 3305)]
    data = company_file([[brn, f"같은{i}", "경기", "주조", i] for i, brn in enumerate(brns)])
    states = []
    for _ in range(2):  # one after the other: one import of a kind at a time
        job = BackgroundJob.objects.create(
            action=BackgroundJob.Action.IMPORT, kind="companies", user=staff, file_name="같은.xlsx", source=data
        )
        states.append(tasks.run_background_job.call(job.pk))
    assert states == [BackgroundJob.State.DONE] * 2
    first, second = BackgroundJob.objects.order_by("pk")
    assert first.message.startswith("가져왔습니다: 신규 5건")
    assert second.message == "바뀐 내용이 없어 저장하지 않았습니다: 신규 0건, 변경 0건, 변경 없음 5건, 오류 0건"
    assert (second.rows_read, second.rows_written, second.result_url) == (5, 0, "")


def test_on_sqlite_a_save_made_while_an_import_writes_waits_for_it(tmp_path):
    path = tmp_path / "db.sqlite3"
    options = database_settings(f"sqlite:///{path}", conn_max_age=0, parallel_workers=0)["OPTIONS"]
    importer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    importer.execute("CREATE TABLE company (id INTEGER PRIMARY KEY, name TEXT)")
    importer.execute("BEGIN IMMEDIATE")
    importer.execute("INSERT INTO company (name) VALUES ('가져오는 중')")
    done = threading.Timer(6, lambda: importer.execute("COMMIT"))  # longer than SQLite's own 5 s
    done.start()
    staff_member = sqlite3.connect(path, isolation_level=None, timeout=options["timeout"])
    staff_member.execute("INSERT INTO company (name) VALUES ('직접 저장')")  # waits, then succeeds
    done.join()
    assert [name for (name,) in staff_member.execute("SELECT name FROM company ORDER BY id")] == [
        "가져오는 중",
        "직접 저장",
    ]


@pytest.mark.django_db
def test_the_progress_page_of_a_finished_job_leads_back_to_the_job_list(admin_client, staff):  # noqa: F811
    from django.urls import reverse

    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.EXPORT,
        kind="companies",
        user=staff,
        state=BackgroundJob.State.DONE,
        stage="완료",
        message="내보냈습니다:\n뿌리기업 5건",
    )
    page = admin_client.get(reverse("admin:programs_backgroundjob_progress", args=[job.pk])).content.decode()
    breadcrumbs = page[page.index('<div class="breadcrumbs">') :].split("</div>")[0]
    assert f'href="{reverse("admin:programs_backgroundjob_changelist")}">백그라운드 작업</a>' in breadcrumbs
    assert '<span id="job-stage-part" hidden>' in page and '<p class="help" id="job-leave-help" hidden>' in page
    assert '<p id="job-message" style="white-space: pre-line;">내보냈습니다:\n뿌리기업 5건</p>' in page


@pytest.mark.django_db
def test_a_job_no_worker_took_says_so_and_one_that_stopped_shows_as_failed(staff):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from programs.jobs import NO_WORKER_STAGE, STALE_MESSAGE

    fresh, waiting, stopped = (
        BackgroundJob.objects.create(action=BackgroundJob.Action.REPORT, user=staff, stage="작업자를 기다리는 중")
        for _ in range(3)
    )
    BackgroundJob.objects.filter(pk=waiting.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    BackgroundJob.objects.filter(pk=stopped.pk).update(
        state=BackgroundJob.State.RUNNING, updated_at=timezone.now() - timedelta(minutes=16)
    )
    statuses = [job_status(BackgroundJob.objects.get(pk=job.pk)) for job in (fresh, waiting, stopped)]
    assert [status["stage"] for status in statuses[:2]] == ["작업자를 기다리는 중", NO_WORKER_STAGE]
    assert not statuses[1]["finished"]
    assert (statuses[2]["state"], statuses[2]["finished"], statuses[2]["message"]) == ("failed", True, STALE_MESSAGE)
    # Reading wrote nothing: the rows are as they were until the next job_start records it.
    assert BackgroundJob.objects.get(pk=stopped.pk).state == BackgroundJob.State.RUNNING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_never_brings_back_a_job_recorded_as_failed(staff):  # noqa: F811
    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.IMPORT, kind="companies", state=BackgroundJob.State.RUNNING, user=staff
    )
    progress = tasks.JobProgress(job)
    try:
        progress.stage("검사하는 중", rows_read=10)
        assert BackgroundJob.objects.get(pk=job.pk).rows_read == 10  # seen at once (another connection)
        BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.FAILED)  # as fail_stale_jobs
        progress.stage("저장하는 중", rows_read=20)
        stored = BackgroundJob.objects.get(pk=job.pk)
        assert (stored.state, stored.rows_read) == (BackgroundJob.State.FAILED, 10)
    finally:
        progress.close()


def _old_running_job(user, minutes: int) -> BackgroundJob:
    from datetime import timedelta

    from django.utils import timezone

    job = BackgroundJob.objects.create(
        action=BackgroundJob.Action.EXPORT, kind="companies", state=BackgroundJob.State.RUNNING, user=user
    )
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))
    return BackgroundJob.objects.get(pk=job.pk)


@pytest.mark.django_db
def test_a_running_job_without_a_heartbeat_fails_in_minutes_a_waiting_one_waits_its_turn(staff):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from programs.jobs import fail_stale_jobs

    dead = _old_running_job(staff, minutes=4)  # its worker stopped beating 4 minutes ago
    queued = BackgroundJob.objects.create(action=BackgroundJob.Action.REPORT, user=staff)
    BackgroundJob.objects.filter(pk=queued.pk).update(updated_at=timezone.now() - timedelta(minutes=4))
    assert job_status(BackgroundJob.objects.get(pk=dead.pk))["state"] == "failed"
    assert fail_stale_jobs() == 1
    assert BackgroundJob.objects.get(pk=dead.pk).state == BackgroundJob.State.FAILED
    assert BackgroundJob.objects.get(pk=queued.pk).state == BackgroundJob.State.WAITING  # behind a long job


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_while_no_counter_moves(monkeypatch, staff):  # noqa: F811
    from programs.jobs import fail_stale_jobs

    monkeypatch.setattr(live_progress, "HEARTBEAT_SECONDS", 0.1)
    job = _old_running_job(staff, minutes=4)
    progress = tasks.JobProgress(job)
    progress.live.start_heartbeat()
    try:
        deadline = threading.Event()
        for _ in range(50):  # up to 5 s
            if BackgroundJob.objects.get(pk=job.pk).updated_at > job.updated_at:
                break
            deadline.wait(0.1)
        assert fail_stale_jobs() == 0
    finally:
        progress.close()
    assert BackgroundJob.objects.get(pk=job.pk).state == BackgroundJob.State.RUNNING


@pytest.mark.django_db
def test_on_sqlite_the_heartbeat_goes_to_the_side_file(monkeypatch, tmp_path, staff):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr(live_progress, "side_file", lambda: tmp_path / "db.sqlite3-jobs")
    monkeypatch.setattr(live_progress, "HEARTBEAT_SECONDS", 0.1)
    job = _old_running_job(staff, minutes=4)
    progress = tasks.JobProgress(job)
    progress.stage("파일을 읽는 중")
    long_ago = (timezone.now() - timedelta(minutes=4)).isoformat()
    progress.live.side.execute("UPDATE live SET updated_at = ?", [long_ago])
    assert job.pk not in live_progress.moved_since(timezone.now() - timedelta(minutes=1))
    progress.live.start_heartbeat()
    try:
        for _ in range(50):
            if job.pk in live_progress.moved_since(timezone.now() - timedelta(minutes=1)):
                break
            threading.Event().wait(0.1)
        assert job.pk in live_progress.moved_since(timezone.now() - timedelta(minutes=1))
    finally:
        progress.close()
