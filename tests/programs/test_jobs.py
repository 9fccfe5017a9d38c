"""Long imports, exports and committee reports run as background jobs with a progress page.

These tests use the database task backend and run its worker (`db_worker --batch`), as `make run`
and `bin/serve` do in another process.
"""

import io
import re
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from companies.models import Company
from programs.jobs import STALE_MESSAGE
from programs.models import BackgroundJob, ImportBatch, ReportSnapshot
from tests.companies.helpers import COMPANY_HEADERS, make_company, valid_brn, write_xlsx

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def worker_tasks(settings):
    """The database backend: enqueued jobs wait for `run_worker()`."""
    settings.TASKS = DATABASE_TASKS
    settings.IMPORT_BACKGROUND_BYTES = 1  # every confirmed import goes to the worker
    settings.EXPORT_BACKGROUND_ROWS = 2


def run_worker():
    """Run the waiting jobs with the configured backend's worker, until none is left.

    tests/programs/test_jobs_rq.py runs these tests again with Redis (RQ) instead of the database."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
        from tests.programs.test_jobs_rq import run_rq_worker

        run_rq_worker()
        return
    # The worker recycles its database connection between tasks; inside a test's transaction that
    # would close the test's own connection (in production the worker is its own process).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def preview_page(client, path, capture) -> str:
    """Upload `path` for a preview; a large file is analysed by the worker, then its preview opened."""
    with open(path, "rb") as handle, capture(execute=True):
        response = client.post(reverse("admin:companies_company_import"), {"file": handle})
    if response.status_code == 302:
        job = BackgroundJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))
        assert job.action == BackgroundJob.Action.PREVIEW
        run_worker()
        job.refresh_from_db()
        response = client.get(job.result_url)
    assert response.status_code == 200
    return response.content.decode()


def preview_token(client, path, capture) -> str:
    return re.search(r'name="token" value="(\w+)"', preview_page(client, path, capture)).group(1)


def company_file(tmp_path, name, rows):
    return write_xlsx(tmp_path / name, COMPANY_HEADERS, rows)


def test_large_import_waits_for_the_worker_then_writes_with_progress(
    admin_client, tmp_path, worker_tasks, django_capture_on_commit_callbacks
):
    brns = [valid_brn() for _ in range(3)]
    path = company_file(
        tmp_path, "big.xlsx", [[brn, "백그라운드기업", "경기", "주조", 1, 1, 0, None, "N", ""] for brn in brns]
    )
    token = preview_token(admin_client, path, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:companies_company_import"), {"token": token})
    job = BackgroundJob.objects.get(action="import")
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:programs_backgroundjob_progress", args=[job.pk]
    )
    assert not Company.objects.filter(brn__in=brns).exists()  # nothing until the worker runs
    page = admin_client.get(response["Location"]).content.decode()
    assert "대기 중" in page and "읽은 행" in page and "검사한 행" in page and "저장한 행" in page

    run_worker()

    assert Company.objects.filter(brn__in=brns).count() == 3
    status = admin_client.get(reverse("admin:programs_backgroundjob_status", args=[job.pk])).json()
    assert status["state_label"] == "완료" and status["percent"] == 100
    assert (status["rows_read"], status["rows_checked"], status["rows_written"]) == (3, 3, 3)
    assert "신규 3건" in status["message"]
    assert status["result_url"] == reverse("admin:programs_importbatch_change", args=[ImportBatch.objects.get().pk])
    job.refresh_from_db()
    assert job.source is None  # the upload is not kept


def test_a_second_import_of_the_same_kind_is_refused_while_one_waits(
    admin_client, tmp_path, worker_tasks, django_capture_on_commit_callbacks
):
    first = company_file(tmp_path, "a.xlsx", [[valid_brn(), "첫째", "경기", "주조", 1, 1, 0, None, "N", ""]])
    second = company_file(tmp_path, "b.xlsx", [[valid_brn(), "둘째", "경기", "주조", 1, 1, 0, None, "N", ""]])
    first_token = preview_token(admin_client, first, django_capture_on_commit_callbacks)
    second_token = preview_token(admin_client, second, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:companies_company_import"), {"token": first_token})
        refused = admin_client.post(reverse("admin:companies_company_import"), {"token": second_token}, follow=True)
    assert "같은 종류의 가져오기가 이미 진행 중입니다" in refused.content.decode()
    assert BackgroundJob.objects.filter(action="import").count() == 1


def test_an_import_refused_by_the_worker_writes_nothing_and_says_why(
    admin_user, tmp_path, worker_tasks, django_capture_on_commit_callbacks
):
    from programs.jobs import job_start

    brn, other = valid_brn(), valid_brn()
    # The second row's 외국인 종사자 수 (7) is above its 종사자 수 (3): the whole file is refused.
    path = company_file(
        tmp_path,
        "bad.xlsx",
        [
            [brn, "정상 기업", "경기", "주조", 1, 3, 0, None, "N", ""],
            [other, "잘못된 기업", "경기", "주조", 1, 3, 7, None, "N", ""],
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            action="import", kind="companies", user=admin_user, file_name="bad.xlsx", source=path.read_bytes()
        )

    run_worker()

    job.refresh_from_db()
    assert job.state == BackgroundJob.State.FAILED and job.get_state_display() == "실패"
    assert "아무것도 저장하지 않았습니다" in job.message and "3행 [외국인 종사자 수]" in job.message
    assert not Company.objects.filter(brn__in=[brn, other]).exists()
    assert not ImportBatch.objects.exists()


def test_a_job_whose_worker_died_shows_as_failed_and_frees_its_kind(admin_client, worker_tasks):
    stuck = BackgroundJob.objects.create(action="import", kind="companies", state="running", file_name="x.xlsx")
    BackgroundJob.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    from programs.jobs import job_start

    job = job_start(action="import", kind="companies", user=None, file_name="y.xlsx", source=b"")
    stuck.refresh_from_db()
    assert stuck.state == "failed" and stuck.message == STALE_MESSAGE
    assert job.state == "waiting"


def test_large_export_is_written_by_the_worker_and_downloaded(
    admin_client, worker_tasks, django_capture_on_commit_callbacks
):
    companies = [make_company(name=f"내보낼기업 {i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.get(reverse("admin:companies_company_export"), {"q": "내보낼기업"})
    job = BackgroundJob.objects.get(action="export")
    assert response["Location"] == reverse("admin:programs_backgroundjob_progress", args=[job.pk])

    run_worker()

    status = admin_client.get(reverse("admin:programs_backgroundjob_status", args=[job.pk])).json()
    assert status["state_label"] == "완료" and status["rows_written"] == 3 and status["rows_total"] == 3
    download = admin_client.get(status["result_url"])
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    names = sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted(company.name for company in companies)


def test_committee_report_is_built_by_the_worker(admin_client, worker_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025})
    job = BackgroundJob.objects.get(action="report")
    assert response["Location"] == reverse("admin:programs_backgroundjob_progress", args=[job.pk])
    assert not ReportSnapshot.objects.exists()

    run_worker()

    status = admin_client.get(reverse("admin:programs_backgroundjob_status", args=[job.pk])).json()
    snapshot = ReportSnapshot.objects.get()
    assert status["state_label"] == "완료"
    assert status["result_url"] == reverse("admin:programs_reportsnapshot_download", args=[snapshot.pk])
    workbook = openpyxl.load_workbook(io.BytesIO(admin_client.get(status["result_url"]).content))
    assert len(workbook.sheetnames) > 3


def test_staff_see_only_their_own_jobs(admin_client, django_user_model, worker_tasks):
    from django.test import Client

    other = django_user_model.objects.create_user("다른담당자", password="pw-for-tests", is_staff=True)
    job = BackgroundJob.objects.create(action="export", kind="companies", user=None, state="waiting")
    client = Client()
    client.force_login(other)
    assert client.get(reverse("admin:programs_backgroundjob_status", args=[job.pk])).status_code == 404
    assert admin_client.get(reverse("admin:programs_backgroundjob_status", args=[job.pk])).status_code == 200


def test_a_job_taken_by_one_worker_is_not_run_again_by_another(admin_user, tmp_path, worker_tasks):
    """Two workers handed the same job (a redelivered queue message, several workers on one
    database or one Redis): the second finds it taken and writes nothing."""
    from programs.jobs import job_start
    from programs.tasks import run_background_job

    brn = valid_brn()
    path = company_file(tmp_path, "once.xlsx", [[brn, "한번만기업", "경기", "주조", 1, 1, 0, None, "N", ""]])
    job = job_start(action="import", kind="companies", user=admin_user, file_name="once.xlsx", source=path.read_bytes())
    BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.RUNNING)  # the first worker has it

    assert run_background_job.call(job.pk) == BackgroundJob.State.RUNNING

    assert not Company.objects.filter(brn=brn).exists() and not ImportBatch.objects.exists()
    BackgroundJob.objects.filter(pk=job.pk).update(state=BackgroundJob.State.WAITING)
    assert run_background_job.call(job.pk) == BackgroundJob.State.DONE  # the job itself was fine
    assert run_background_job.call(job.pk) == BackgroundJob.State.DONE  # and a finished job is not redone
    assert Company.objects.filter(brn=brn).count() == 1 and ImportBatch.objects.count() == 1
