"""The preview (analysis) of a large upload runs in the background; small files stay in the request.

At or above IMPORT_BACKGROUND_BYTES the upload answers at once with the progress page (rows read
and checked); the worker analyses the file without writing anything; the preview page it leads to
is the one an in-request analysis shows (same counts, errors, rows and confirm form), and can be
opened again later.
"""

import pytest
from django.urls import reverse

from companies.models import Company
from programs.models import BackgroundJob, PendingUpload
from tests.companies.helpers import make_company, valid_brn
from tests.html_tables import tables
from tests.programs.test_jobs import DATABASE_TASKS, company_file, run_worker

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:companies_company_import")


@pytest.fixture
def worker_tasks(settings):
    """The database backend (jobs wait for `run_worker()`); every upload counts as large."""
    settings.TASKS = DATABASE_TASKS
    settings.IMPORT_BACKGROUND_BYTES = 1


def upload(client, path, capture):
    with open(path, "rb") as handle, capture(execute=True):
        return client.post(IMPORT_URL, {"file": handle})


def preview_tables(page: str) -> list:
    """The preview's tables: counts and errors (under "<file> 미리보기"), then the new and changed rows."""
    return [
        table
        for table in tables(page)
        if table.heading.endswith("미리보기") or table.heading.startswith(("신규 ", "변경 "))
    ]


def table_texts(page: str) -> list[list[list[str]]]:
    return [table.texts() for table in preview_tables(page)]


def test_a_large_upload_is_analysed_by_the_worker_with_progress_then_confirmed(
    admin_client, tmp_path, worker_tasks, django_capture_on_commit_callbacks
):
    brns = [valid_brn() for _ in range(3)]
    rows = [[brn, "미리보기기업", "경기", "주조", 1, 1, 0, None, "N", ""] for brn in brns]
    path = company_file(tmp_path, "big.xlsx", rows)

    response = upload(admin_client, path, django_capture_on_commit_callbacks)

    job = BackgroundJob.objects.get()
    assert job.action == BackgroundJob.Action.PREVIEW and job.get_action_display() == "가져오기 미리보기"
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:programs_backgroundjob_progress", args=[job.pk])
    assert not PendingUpload.objects.exists()  # not analysed yet: the request did not wait
    page = admin_client.get(response["Location"]).content.decode()
    assert "가져오기 미리보기 진행 상황" in page and "대기 중" in page and "읽은 행" in page and "검사한 행" in page
    assert "저장한 행" not in page  # a preview writes nothing

    run_worker()

    status = admin_client.get(reverse("admin:programs_backgroundjob_status", args=[job.pk])).json()
    assert status["state_label"] == "완료" and status["percent"] == 100
    assert (status["rows_read"], status["rows_checked"], status["rows_written"]) == (3, 3, 0)
    assert "신규 3건" in status["message"]
    assert not Company.objects.filter(brn__in=brns).exists()  # analysed, not written
    preview = admin_client.get(status["result_url"]).content.decode()
    assert "big.xlsx 미리보기" in preview
    assert preview_tables(preview)[0].texts() == [["신규", "변경", "변경 없음", "오류"], ["3", "0", "0", "0"]]
    token = PendingUpload.objects.get().token
    assert f'name="token" value="{token}"' in preview
    job.refresh_from_db()
    assert job.source is None  # the upload is kept once, for the confirmation

    # Staff may leave and come back: the same preview from the job list's link.
    again = admin_client.get(status["result_url"]).content.decode()
    assert table_texts(again) == table_texts(preview) and f'name="token" value="{token}"' in again
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin_client.post(IMPORT_URL, {"token": token})
    import_job = BackgroundJob.objects.get(action=BackgroundJob.Action.IMPORT)
    assert confirmed["Location"] == reverse("admin:programs_backgroundjob_progress", args=[import_job.pk])
    run_worker()
    assert Company.objects.filter(brn__in=brns, name="미리보기기업").count() == 3


def test_the_background_preview_shows_what_the_immediate_one_shows(
    admin_client, tmp_path, settings, worker_tasks, django_capture_on_commit_callbacks
):
    """New, changed and invalid rows: counts, errors (row, column, value, reason) and the rows."""
    stored = make_company(name="바뀔기업", employees=10)
    new_brn = valid_brn()
    path = company_file(
        tmp_path,
        "mixed.xlsx",
        [
            [stored.brn, "바뀐기업", "경기", "주조", 700_000_000, 12, 0, None, "N", ""],
            [new_brn, "새기업", "경기", "주조", 1, 3, 7, None, "N", ""],  # 외국인 종사자 수 above 종사자 수
            ["123", "번호틀린기업", "경기", "주조", 1, 3, 0, None, "N", ""],
        ],
    )
    settings.IMPORT_BACKGROUND_BYTES = 10**9
    immediate = upload(admin_client, path, django_capture_on_commit_callbacks)
    assert immediate.status_code == 200 and not BackgroundJob.objects.exists()
    settings.IMPORT_BACKGROUND_BYTES = 1
    queued = upload(admin_client, path, django_capture_on_commit_callbacks)
    run_worker()
    job = BackgroundJob.objects.get()
    background = admin_client.get(job.result_url)

    immediate_page, background_page = immediate.content.decode(), background.content.decode()
    assert queued.status_code == 302 and background.status_code == 200
    assert table_texts(background_page) == table_texts(immediate_page)
    errors = preview_tables(background_page)[1].texts()
    assert errors[0] == ["행", "열", "값", "사유"]
    assert [row[:2] for row in errors[1:]] == [["3", "외국인 종사자 수"], ["4", "사업자등록번호"]]
    assert "오류가 있어 저장할 수 없습니다" in background_page and 'name="token"' not in background_page
    assert "오류가 있어 저장할 수 없습니다" in job.message
    stored.refresh_from_db()
    assert stored.name == "바뀔기업" and not Company.objects.filter(brn=new_brn).exists()


def test_changed_rows_are_listed_as_in_the_request(
    admin_client, tmp_path, settings, worker_tasks, django_capture_on_commit_callbacks
):
    stored = make_company(name="이전이름", employees=10, sales_amount=1_500_000_000)
    path = company_file(
        tmp_path, "changed.xlsx", [[stored.brn, "새이름", "경기", "주조", 2_500_000_000, 12, 0, None, "N", ""]]
    )
    settings.IMPORT_BACKGROUND_BYTES = 10**9
    immediate = upload(admin_client, path, django_capture_on_commit_callbacks).content.decode()
    settings.IMPORT_BACKGROUND_BYTES = 1
    upload(admin_client, path, django_capture_on_commit_callbacks)
    run_worker()
    background = admin_client.get(BackgroundJob.objects.get().result_url).content.decode()

    changed = preview_tables(background)[1].texts()
    assert preview_tables(background)[1].heading == "변경 1건"
    assert changed == preview_tables(immediate)[1].texts()
    assert changed[0] == ["행", "대상", "바뀌는 값"]
    assert changed[1][0] == "2" and "업체명: 이전이름 → 새이름" in changed[1][2]
    assert "매출액(원): 1,500,000,000 → 2,500,000,000" in changed[1][2]


def test_a_small_upload_is_still_analysed_in_the_request(admin_client, tmp_path, settings):
    settings.IMPORT_BACKGROUND_BYTES = 10**9
    path = company_file(tmp_path, "small.xlsx", [[valid_brn(), "작은기업", "경기", "주조", 1, 1, 0, None, "N", ""]])
    with open(path, "rb") as handle:
        response = admin_client.post(IMPORT_URL, {"file": handle})
    assert response.status_code == 200 and "small.xlsx 미리보기" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_someone_elses_preview_is_not_shown(
    admin_client, tmp_path, django_user_model, worker_tasks, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission
    from django.test import Client

    path = company_file(tmp_path, "mine.xlsx", [[valid_brn(), "남의기업", "경기", "주조", 1, 1, 0, None, "N", ""]])
    upload(admin_client, path, django_capture_on_commit_callbacks)
    run_worker()
    job = BackgroundJob.objects.get()
    other = django_user_model.objects.create_user("다른담당자", password="pw-for-tests", is_staff=True)
    other.user_permissions.set(
        Permission.objects.filter(content_type__app_label="companies", codename__in=["add_company", "change_company"])
    )
    client = Client()
    client.force_login(other)

    response = client.get(job.result_url, follow=True)

    page = response.content.decode()
    assert "미리보기를 찾을 수 없습니다" in page and 'name="token"' not in page and "남의기업" not in page
