"""Break-it tests, PostgreSQL: the statements an import sends ahead (bulk.send_later) against
late errors, concurrent writers, rows deleted meanwhile, other kinds, undo and exceptions."""

import threading

import pytest
from django.db import connection, connections

from centers.models import SupportCenter
from companies.models import Application, Company, Province
from programs.importing import bulk, pipeline
from programs.importing.kinds import get_kind
from programs.importing.undo import import_batch_undo
from programs.models import ImportBatch, ImportBatchRow, Program
from tests.centers.helpers import xlsx_bytes
from tests.companies.helpers import valid_brn
from tests.programs.conflicts import company_file, import_companies
from tests.programs.test_concurrency_postgres import plan, staff, together  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_chunks(monkeypatch):
    for name in ("companies", "applications", "centers"):
        monkeypatch.setattr(get_kind(name), "chunk_rows", 3)


def rows(brns, province="경기", start=0):
    return [[brn, f"기업{start + i}", province, "주조", i] for i, brn in enumerate(brns)]


def nothing_left(brns):
    return (
        not Company.objects.filter(brn__in=brns).exists()
        and not ImportBatch.objects.exists()
        and not ImportBatchRow.objects.exists()
        and not Company.history.filter(brn__in=brns).exists()
    )


def still_usable():
    assert not getattr(connection, bulk._PENDING, False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_an_invalid_row_in_a_late_chunk_leaves_nothing(small_chunks, staff):  # noqa: F811
    brns = [valid_brn(serial) for serial in range(4000, 4020)]
    data = rows(brns)
    data[-1][3] = "없는업종"
    result = import_companies(company_file(data), user=staff)
    assert not result.written and [(e.row_number, e.column) for e in result.errors] == [(21, "업종")]
    assert nothing_left(brns)
    still_usable()


def test_two_imports_at_once_each_write_their_own_history(small_chunks, staff):  # noqa: F811
    first = [valid_brn(serial) for serial in range(4100, 4130)]
    second = [valid_brn(serial) for serial in range(4200, 4230)]
    a, b = together(
        lambda: import_companies(company_file(rows(first)), user=staff, file_name="가.xlsx"),
        lambda: import_companies(company_file(rows(second, start=100)), user=staff, file_name="나.xlsx"),
    )
    assert a.written and b.written, [str(e) for e in a.errors + b.errors]
    for brns, name in ((first, "가.xlsx"), (second, "나.xlsx")):
        history = Company.history.filter(brn__in=brns)
        assert history.count() == 30 and set(history.values_list("history_type", flat=True)) == {"+"}
        batch = ImportBatch.objects.get(file_name=name)
        assert set(history.values_list("history_change_reason", flat=True)) == {f"가져오기 #{batch.pk} ({name})"}


def test_a_province_deleted_by_another_session_during_the_import_refuses_it(small_chunks, staff, monkeypatch):  # noqa: F811
    # The file's later rows name a 시·도 that another session deletes (and commits) after the
    # import looked it up: the foreign-key check refuses the import, in words, and nothing stays.
    region = Province.objects.get(short_name="경기").region
    spare = Province.objects.create(region=region, order=99, name="시험특별자치도", short_name="시험")
    brns = [valid_brn(serial) for serial in range(4300, 4312)]
    data = rows(brns[:6]) + rows(brns[6:], province="시험", start=6)
    real, calls = pipeline.write_chunk, []

    def write_chunk(run, new, updated):
        calls.append(len(new))
        if len(calls) == 2:  # after the first chunk was written: the other session deletes
            worker = threading.Thread(
                target=lambda: (Province.objects.filter(pk=spare.pk).delete(), connections.close_all())
            )
            worker.start()
            worker.join(10)
            assert not worker.is_alive()
        real(run, new, updated)

    monkeypatch.setattr(pipeline, "write_chunk", write_chunk)
    result = import_companies(company_file(data), user=staff)
    assert not result.written
    assert [str(e) for e in result.errors][0].startswith("데이터베이스가 저장을 거부하여 아무것도 저장하지 않았습니다")
    assert nothing_left(brns)
    still_usable()
    monkeypatch.setattr(pipeline, "write_chunk", real)
    assert import_companies(company_file(rows(brns[:6])), user=staff).written


def test_chunked_applications_get_one_history_row_per_created_and_changed_object_and_undo(small_chunks, staff):  # noqa: F811
    brns = [valid_brn(serial) for serial in range(4400, 4410)]
    assert import_companies(company_file(rows(brns)), user=staff).written
    program = Program.objects.get(code="polytech")
    headers = ["사업자등록번호", "사업", "연도", "상태"]
    created = pipeline.import_file(
        kind=get_kind("applications"),
        data=xlsx_bytes(headers, [[brn, program.name, 2025, "접수"] for brn in brns]),
        file_name="신청.xlsx",
        user=staff,
    )
    assert created.written and created.counts["new"] == 10, [str(e) for e in created.errors]
    changed = pipeline.import_file(
        kind=get_kind("applications"),
        data=xlsx_bytes(headers, [[brn, program.name, 2025, "검토"] for brn in brns[:4]]),
        file_name="신청변경.xlsx",
        user=staff,
    )
    assert changed.written and changed.counts["updated"] == 4, [str(e) for e in changed.errors]
    history = Application.history.all()
    assert history.filter(history_type="+").count() == 10
    assert history.filter(history_type="~").count() == 4
    assert set(Application.history.filter(history_type="~").values_list("status", flat=True)) == {"reviewing"}
    import_batch_undo(batch=changed.batch, user=staff)  # the creation cannot be undone after it: changed since
    assert set(Application.objects.values_list("status", flat=True)) == {"received"}
    still_usable()


def test_chunked_centers_with_sets_get_one_history_row_each(small_chunks, staff):  # noqa: F811
    headers = ["센터명", "종류", "지역", "시·도", "지원 분야", "제공 서비스"]
    names = [f"지역뿌리기술지원센터(시험{i})" for i in range(8)]
    data = xlsx_bytes(
        headers, [[name, "지역뿌리기술지원센터", "안산", "경기도", "주조, 용접", "시험분석"] for name in names]
    )
    result = pipeline.import_file(kind=get_kind("centers"), data=data, file_name="센터.xlsx", user=staff)
    assert result.written and result.counts["new"] == 8, [str(e) for e in result.errors]
    centers = SupportCenter.objects.filter(name__in=names)
    assert all(set(c.industries.values_list("name", flat=True)) == {"주조", "용접"} for c in centers)
    assert SupportCenter.history.filter(name__in=names, history_type="+").count() == 8
    assert SupportCenter.history.filter(name__in=names).count() == 8
    import_batch_undo(batch=result.batch, user=staff)
    assert not SupportCenter.objects.filter(name__in=names).exists()


def test_an_exception_in_the_pass_while_a_statement_is_pending_leaves_the_connection_usable(
    small_chunks,
    staff,  # noqa: F811
    monkeypatch,
):
    kind = get_kind("companies")
    real, calls = type(kind).prepare, []

    def prepare(self, chunk):
        calls.append(len(chunk))
        if len(calls) == 3:
            assert getattr(connection, bulk._PENDING, False)  # the second chunk's statement
            raise RuntimeError("파싱 중 예기치 않은 오류")
        return real(self, chunk)

    monkeypatch.setattr(type(kind), "prepare", prepare)
    brns = [valid_brn(serial) for serial in range(4500, 4512)]
    with pytest.raises(RuntimeError):
        import_companies(company_file(rows(brns)), user=staff)
    still_usable()
    assert nothing_left(brns)
    monkeypatch.setattr(type(kind), "prepare", real)
    assert import_companies(company_file(rows(brns)), user=staff).written
    assert Company.history.filter(brn__in=brns, history_type="+").count() == 12


def _killed_import(path, *, env_extra: dict, after_send: bool = False):
    import os
    import subprocess
    import sys

    from django.conf import settings

    from tests.programs.test_import_fault import database_url

    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env_extra}
    # after_send: the process kills itself right after a chunk's statement left without waiting.
    script = (
        "import os, signal, sys, django; django.setup()\n"
        "from programs.importing import bulk, pipeline\n"
        "real = bulk.send_later\n"
        "def send_later(sql, params):\n"
        "    sent = real(sql, params)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return sent\n"
        f"if {after_send!r}: pipeline.send_later = send_later\n"
        "from django.core.management import call_command\n"
        "call_command('import_excel', 'companies', sys.argv[1])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=settings.BASE_DIR, env=env, capture_output=True, timeout=180
    )


@pytest.mark.parametrize(("env_extra", "after_send"), [({"IMPORT_TEST_KILL_AFTER_BATCHES": "3"}, False), ({}, True)])
def test_an_import_killed_after_a_chunk_sent_its_history_leaves_nothing(plan, tmp_path, env_extra, after_send):  # noqa: F811
    import signal

    brns = [valid_brn(serial) for serial in range(5000, 5030)]
    path = tmp_path / "기업.xlsx"
    path.write_bytes(company_file(rows(brns)))
    process = _killed_import(path, env_extra={"IMPORT_CHUNK_ROWS": "10", **env_extra}, after_send=after_send)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()[-2000:]
    assert nothing_left(brns)
    assert not Company.history.exists()


def test_the_admin_import_flow_on_postgresql(small_chunks, staff):  # noqa: F811
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(staff)
    brns = [valid_brn(serial) for serial in range(5100, 5110)]
    url = reverse("admin:companies_company_import")
    upload = company_file(rows(brns))
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(url, {"file": SimpleUploadedFile("관리자.xlsx", upload)})
    assert preview.status_code == 200
    token = preview.context["token"]
    confirmed = client.post(url, {"token": token})
    assert confirmed.status_code == 302, confirmed.content[:500]
    assert Company.objects.filter(brn__in=brns).count() == 10
    assert Company.history.filter(brn__in=brns, history_type="+").count() == 10
    batch = ImportBatch.objects.get()
    assert client.get(reverse("admin:programs_importbatch_change", args=[batch.pk])).status_code == 200
    assert client.get(reverse("admin:companies_company_changelist")).status_code == 200


def test_two_application_imports_at_once_each_find_their_own_companies(small_chunks, staff, monkeypatch):  # noqa: F811
    # get_kind() hands every import the same kind object; a chunk's look-ups (ApplicationKind's
    # companies of the chunk) must not be replaced by another import's running at the same time
    # (two staff on one threaded web worker).
    from companies.resources import ApplicationKind

    first = [valid_brn(serial) for serial in range(5200, 5206)]
    second = [valid_brn(serial) for serial in range(5300, 5306)]
    assert import_companies(company_file(rows(first + second)), user=staff).written
    program = Program.objects.get(code="polytech")
    headers = ["사업자등록번호", "사업", "연도", "상태"]
    real, both_prepared = ApplicationKind.prepare, threading.Barrier(2, timeout=20)

    def prepare(self, chunk):
        real(self, chunk)
        try:
            both_prepared.wait()  # the first chunks of the two imports looked up, neither resolved yet
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(ApplicationKind, "prepare", prepare)

    def preview(brns):
        data = xlsx_bytes(headers, [[brn, program.name, 2025, "접수"] for brn in brns])
        return pipeline.import_file(kind=get_kind("applications"), data=data, file_name="신청.xlsx", dry_run=True)

    a, b = together(lambda: preview(first), lambda: preview(second))
    assert [str(e) for e in a.errors + b.errors] == []
    assert a.counts["new"] == b.counts["new"] == 6
