"""PostgreSQL: each chunk's history rows and foreign-key checks are sent without waiting
(bulk.send_later) and collected before the connection's next statement. The audit trail stays
exact, a failure of the statement sent ahead refuses the whole import, and the connection is
usable afterwards."""

import pytest
from django.db import connection

from companies.models import Company
from programs.importing import bulk, pipeline
from programs.importing.kinds import get_kind
from programs.models import ImportBatch
from tests.companies.helpers import valid_brn
from tests.programs.conflicts import company_file, import_companies
from tests.programs.test_concurrency_postgres import plan, staff  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(get_kind("companies"), "chunk_rows", 40)


def rows(brns, employees):
    return [[brn, f"기업{i}", "경기", "주조", employees + i] for i, brn in enumerate(brns)]


def test_each_company_gets_one_creation_and_one_change_record_across_chunks(small_chunks, staff):  # noqa: F811
    sent = []
    real = bulk.send_later
    pipeline.send_later = lambda sql, params: sent.append(sql) or real(sql, params)
    try:
        brns = [valid_brn(serial) for serial in range(130)]
        created = import_companies(company_file(rows(brns, 1)), user=staff, file_name="처음.xlsx")
        assert created.written and created.counts["new"] == 130
        assert len(sent) == 4  # one statement ahead for each chunk with new rows (40, 40, 40, 10)
        changed = brns[:30] + brns[100:]  # in the first and the last chunk
        data = [[brn, f"기업{i}", "경기", "주조", 100 + i] for i, brn in enumerate(changed)]
        updated = import_companies(company_file(data), user=staff, file_name="변경.xlsx")
    finally:
        pipeline.send_later = real
    assert updated.written and updated.counts["updated"] == 60
    history = Company.history.filter(brn__in=brns)
    assert sorted(history.filter(history_type="+").values_list("brn", flat=True)) == sorted(brns)
    assert sorted(history.filter(history_type="~").values_list("brn", flat=True)) == sorted(changed)
    first, second = ImportBatch.objects.order_by("pk")
    assert set(history.filter(history_type="+").values_list("history_change_reason", "history_user")) == {
        (f"가져오기 #{first.pk} (처음.xlsx)", staff.pk)
    }
    assert set(history.filter(history_type="~").values_list("history_change_reason", flat=True)) == {
        f"가져오기 #{second.pk} (변경.xlsx)"
    }
    # The history row of a changed company holds its values after the change.
    company = Company.objects.get(brn=brns[100])
    assert company.employees == 130 and history.get(brn=brns[100], history_type="~").employees == 130


def test_a_failing_statement_sent_ahead_refuses_the_whole_import(small_chunks, staff, monkeypatch):  # noqa: F811
    # The second chunk's statement breaks a foreign key (a batch row of a batch that does not
    # exist): found by its SET CONSTRAINTS … IMMEDIATE, on the server, while Python reads on.
    calls = []
    real = pipeline.created_history_statement

    def statement(model, batch, pks, *, user=None):
        calls.append(len(pks))
        if len(calls) == 2:
            return (
                "INSERT INTO programs_importbatchrow (batch_id, row_number, action, content_type_id,"
                " object_id, object_repr) SELECT 987654321, 1, 'new', content_type_id, %s, ''"
                " FROM programs_importbatchrow LIMIT 1",
                [pks[0]],
            )
        return real(model, batch, pks, user=user)

    monkeypatch.setattr(pipeline, "created_history_statement", statement)
    brns = [valid_brn(serial) for serial in range(1000, 1100)]
    result = import_companies(company_file(rows(brns, 1)), user=staff)
    assert not result.written and len(calls) >= 2
    assert "데이터베이스가 저장을 거부" in str(result.errors[0])
    assert not Company.objects.filter(brn__in=brns).exists()
    assert not ImportBatch.objects.exists() and not Company.history.filter(brn__in=brns).exists()
    # Nothing is left pending: the connection answers, and the next import goes through.
    assert not getattr(connection, bulk._PENDING, False)
    monkeypatch.setattr(pipeline, "created_history_statement", real)
    again = import_companies(company_file(rows(brns, 1)), user=staff)
    assert again.written and Company.objects.filter(brn__in=brns).count() == 100
    assert Company.history.filter(brn__in=brns, history_type="+").count() == 100


def test_a_statement_left_pending_is_never_skipped_silently(staff):  # noqa: F811
    # Sent ahead and then followed by a Django query: the query collects it first (and raises its
    # error); psycopg itself refuses any statement sent while one is pending.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    with bulk.collecting():
        assert bulk.send_later("SELECT %s::int / 0", [1])
        with pytest.raises(Exception, match="division by zero"):
            Company.objects.count()
    assert Company.objects.count() == 0  # the connection is usable again (outside a transaction)
    assert bulk.send_later("SELECT 1", [])
    with pytest.raises(Exception, match="another command is already in progress"):
        connection.connection.execute("SELECT 2")  # past Django: psycopg refuses it
    bulk.collect_pending()
    assert Company.objects.count() == 0
