"""Writers that really run at the same time, each in its own thread with its own connection to the
PostgreSQL test database (committed data, row locks): nothing one of them saved is lost.

Where the outcome would otherwise depend on timing, a barrier lines the writers up at the worst
moment (both imports analysed before either writes; both forms validated before either inserts).
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from companies.models import Company, Industry, Province
from programs import services
from programs.db_errors import LOCK_MESSAGE
from programs.importing import pipeline
from programs.importing.kinds import get_kind
from programs.importing.undo import UndoRefused, import_batch_undo
from programs.models import BudgetExecution, ImportBatch, Program
from tests.companies.helpers import valid_brn
from tests.programs.admin_forms import change_form_data
from tests.programs.conflicts import company_file, import_companies

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COMPANIES = 2000


@pytest.fixture
def plan(django_db_blocker):
    """Transactional tests empty the database after themselves: load the plan again when needed."""
    if not Program.objects.exists():
        call_command("load_plan", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.fixture
def staff(plan, django_user_model):
    return django_user_model.objects.create_superuser("동시관리자", "c@example.com", "pw")


def together(*functions, timeout: float = 60):
    """Start the functions at the same moment, each in its own thread (and database connection)."""
    start = threading.Barrier(len(functions), timeout=timeout)
    results, errors = [None] * len(functions), [None] * len(functions)

    def work(index, function):
        try:
            start.wait()
            results[index] = function()
        except BaseException as exc:  # re-raised in the test's thread
            errors[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a writer hung"
    for error in errors:
        if error is not None:
            raise error
    return results


def meeting_point(parties: int = 2, timeout: float = 30):
    """A barrier each thread passes at most once (retries go straight through)."""
    barrier, passed = threading.Barrier(parties, timeout=timeout), threading.local()

    def wait():
        if not getattr(passed, "done", False):
            passed.done = True
            barrier.wait()

    return wait


def stored_companies(count=COMPANIES, employees=1) -> list[str]:
    province, industry = Province.objects.get(short_name="경기"), Industry.objects.get(name="주조")
    brns = [valid_brn(serial) for serial in range(count)]
    Company.objects.bulk_create(
        Company(brn=brn, name=f"동시{i}", province=province, industry=industry, employees=employees)
        for i, brn in enumerate(brns)
    )
    return brns


def file_setting(brns, employees) -> bytes:
    return company_file([[brn, f"동시{i}", "경기", "주조", employees] for i, brn in enumerate(brns)])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_imports_of_the_same_companies_one_is_refused_by_row_and_undo_restores_exactly(monkeypatch, staff):
    brns = stored_companies()
    both_compared = meeting_point()
    real = pipeline.compare

    def compare(*args, **kwargs):
        compared = real(*args, **kwargs)
        both_compared()  # both read the same versions and `before` values
        return compared

    monkeypatch.setattr(pipeline, "compare", compare)
    ten, twenty = file_setting(brns, 10), file_setting(brns, 20)
    results = together(
        lambda: import_companies(ten, user=staff, file_name="열.xlsx"),
        lambda: import_companies(twenty, user=staff, file_name="스물.xlsx"),
    )
    written = [result for result in results if result.written]
    refused = [result for result in results if not result.written]
    assert len(written) == 1 and len(refused) == 1
    message = str(refused[0].errors[0])
    assert message.startswith(
        "검사한 뒤 다른 사용자나 다른 가져오기가 바꾸거나 만든 행이 있어 아무것도 저장하지 않았습니다: 2행, 3행"
    )
    assert f"외 {COMPANIES - 20:,}행" in message
    winner = 10 if written[0].file_name == "열.xlsx" else 20
    assert set(Company.objects.values_list("employees", flat=True)) == {winner}
    assert ImportBatch.objects.count() == 1
    import_batch_undo(batch=written[0].batch, user=staff)
    assert set(Company.objects.values_list("employees", flat=True)) == {1}


def test_two_imports_creating_the_same_companies_one_is_refused_by_row(monkeypatch, staff):
    brns = [valid_brn(serial) for serial in range(COMPANIES)]
    both_checked = meeting_point()
    real = pipeline.recheck_compared_rows

    def recheck(*args, **kwargs):
        stale = real(*args, **kwargs)
        both_checked()  # both found the keys free; now both INSERT
        return stale

    monkeypatch.setattr(pipeline, "recheck_compared_rows", recheck)
    results = together(
        lambda: import_companies(file_setting(brns, 10), user=staff, file_name="열.xlsx"),
        lambda: import_companies(file_setting(brns, 20), user=staff, file_name="스물.xlsx"),
    )
    written = [result for result in results if result.written]
    refused = [result for result in results if not result.written]
    assert len(written) == 1 and len(refused) == 1
    assert "아무것도 저장하지 않았습니다: 2행, 3행" in str(refused[0].errors[0])
    winner = 10 if written[0].file_name == "열.xlsx" else 20
    assert Company.objects.count() == COMPANIES
    assert set(Company.objects.values_list("employees", flat=True)) == {winner}
    assert ImportBatch.objects.count() == 1


def test_an_import_and_a_stale_form_at_once_never_lose_the_other(staff):
    brn = stored_companies(count=1, employees=2)[0]
    company = Company.objects.get(brn=brn)
    url = reverse("admin:companies_company_change", args=[company.pk])
    client = logged_in(staff)
    data = change_form_data(client.get(url))
    data["employees"] = 5
    response, result = together(
        lambda: client.post(url, data),
        lambda: import_companies(file_setting([brn], 99), user=staff),
    )
    company.refresh_from_db()
    if response.status_code == 302:  # the form won the race
        if result.written:  # the import read the form's value: undo gives it back
            assert result.batch.rows.get().before == {"employees": 5} and company.employees == 99
            import_batch_undo(batch=result.batch, user=staff)
            company.refresh_from_db()
        assert company.employees == 5
    else:  # the import won: the stale form is refused, and says by which import
        assert response.status_code == 200 and result.written
        assert f"가져오기 #{result.batch.pk}" in response.content.decode()
        assert company.employees == 99 and result.batch.rows.get().before == {"employees": 2}


def test_two_staff_saving_the_same_company_at_once_one_is_told(staff, django_user_model):
    brn = stored_companies(count=1, employees=2)[0]
    company = Company.objects.get(brn=brn)
    url = reverse("admin:companies_company_change", args=[company.pk])
    first, second = logged_in(staff), logged_in(django_user_model.objects.create_superuser("둘째", "", "pw"))
    first_data, second_data = change_form_data(first.get(url)), change_form_data(second.get(url))
    first_data["employees"], second_data["employees"] = 3, 4
    responses = together(lambda: first.post(url, first_data), lambda: second.post(url, second_data))
    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert "이 화면을 연 뒤 다른 곳에서 뿌리기업" in refused.content.decode()
    saved = 3 if responses[0].status_code == 302 else 4
    company.refresh_from_db()
    assert (company.employees, company.version) == (saved, 2)


def test_undo_and_a_later_change_at_once_exactly_one_wins(staff):
    brn = stored_companies(count=1, employees=2)[0]
    batch = import_companies(file_setting([brn], 9), user=staff).batch
    company = Company.objects.get(brn=brn)
    url = reverse("admin:companies_company_change", args=[company.pk])
    client = logged_in(staff)
    data = change_form_data(client.get(url))
    data["memo"] = "나중 변경"

    def undo():
        try:
            return import_batch_undo(batch=ImportBatch.objects.get(pk=batch.pk), user=staff)
        except UndoRefused as refusal:
            return refusal

    undone, response = together(undo, lambda: client.post(url, data))
    company.refresh_from_db()
    if isinstance(undone, UndoRefused):
        assert "가져온 뒤 바뀐 행이 있어 되돌릴 수 없습니다: 2행" in str(undone)
        assert response.status_code == 302 and (company.employees, company.memo) == (9, "나중 변경")
    else:
        assert response.status_code == 200 and f"가져오기 #{batch.pk} 되돌리기" in response.content.decode()
        assert (company.employees, company.memo) == (2, "")


def test_two_staff_adding_the_same_execution_month_get_a_form_error_not_a_500(monkeypatch, staff):
    program = Program.objects.get(code="polytech")
    url = reverse("admin:programs_budgetexecution_add")
    for trial in range(3):
        both_validated = meeting_point()
        real = services.execution_record

        def record(*args, _real=real, _wait=both_validated, **kwargs):
            _wait()  # both passed validation (no such month yet); now both INSERT
            return _real(*args, **kwargs)

        monkeypatch.setattr(services, "execution_record", record)
        clients = [logged_in(staff), logged_in(staff)]
        posts = [
            {"program": program.pk, "year": 2025, "month": 7, "amount": amount, "memo": ""} for amount in (100, 200)
        ]
        responses = together(*(lambda c=c, p=p: c.post(url, p) for c, p in zip(clients, posts, strict=True)))
        assert sorted(response.status_code for response in responses) == [200, 302], trial
        refused = next(response for response in responses if response.status_code == 200)
        assert "이 사업의 같은 연월 집행이 이미 있습니다." in refused.content.decode()
        assert BudgetExecution.objects.filter(program=program, month=7).count() == 1
        monkeypatch.setattr(services, "execution_record", real)
        BudgetExecution.objects.all().delete()


def test_two_chunked_imports_locking_rows_in_opposite_orders_one_is_refused_in_korean(monkeypatch, staff):
    """A: chunk 1 changes the first half, chunk 2 the second; B the other way round. Both write their
    first chunk, then each waits for the rows the other holds: PostgreSQL breaks the deadlock by
    aborting one. That one writes nothing and says why in Korean; the other writes everything."""
    monkeypatch.setattr(get_kind("companies"), "chunk_rows", 50)
    brns = stored_companies(count=100)
    first_chunks_written = meeting_point()
    real = pipeline.write_chunk

    def write_chunk(*args, **kwargs):
        real(*args, **kwargs)
        first_chunks_written()

    monkeypatch.setattr(pipeline, "write_chunk", write_chunk)
    forwards = file_setting(brns, 10)
    backwards = file_setting(brns[50:] + brns[:50], 20)
    results = together(
        lambda: import_companies(forwards, user=staff, file_name="앞.xlsx"),
        lambda: import_companies(backwards, user=staff, file_name="뒤.xlsx"),
    )
    written = [result for result in results if result.written]
    refused = [result for result in results if not result.written]
    assert len(written) == 1 and len(refused) == 1
    winner = 10 if written[0].file_name == "앞.xlsx" else 20
    assert set(Company.objects.values_list("employees", flat=True)) == {winner}
    assert ImportBatch.objects.count() == 1
    [error] = refused[0].errors
    assert error.message == f"데이터베이스가 저장을 거부하여 아무것도 저장하지 않았습니다: {LOCK_MESSAGE}"
