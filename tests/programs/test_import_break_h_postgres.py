"""Reserved ids under real concurrency (PostgreSQL, threads with their own connections): two imports
creating companies at the same moment, with a third writer creating companies through the ORM,
each get their own ids; every ImportBatchRow and history row names the company of its file row,
and undo removes exactly the rows of its own import."""

import pytest

from companies.models import Company, Industry, Province
from programs.importing import pipeline
from programs.importing.kinds import get_kind
from programs.importing.undo import import_batch_undo
from programs.models import ImportBatch
from tests.companies.helpers import valid_brn
from tests.programs.conflicts import company_file, import_companies
from tests.programs.test_concurrency_postgres import meeting_point, plan, staff, together  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def check_batch(result, brns: list[str]) -> None:
    """Each recorded row names the company of its file row; the history's '+' rows too."""
    recorded = list(result.batch.rows.values_list("row_number", "object_id", "action", "version"))
    assert len(recorded) == len(brns)
    companies = Company.objects.in_bulk([object_id for _, object_id, _, _ in recorded])
    for row_number, object_id, action, version in recorded:
        company = companies[object_id]
        assert (company.brn, action, version, company.version) == (brns[row_number - 2], "new", 1, 1)
    history = Company.history.filter(id__in=companies, history_type="+")
    assert sorted(history.values_list("id", "brn")) == sorted((pk, c.brn) for pk, c in companies.items())


def test_two_imports_and_orm_writer_creating_companies_at_once_never_share_an_id(monkeypatch, staff):  # noqa: F811
    monkeypatch.setattr(get_kind("companies"), "chunk_rows", 200)  # chunks of both imports interleave
    both_reserved = meeting_point()
    real = pipeline.reserve_ids

    def reserve(model, count):
        ids = real(model, count)
        if model is Company:
            both_reserved()  # both imports hold ids and have not inserted yet
        return ids

    monkeypatch.setattr(pipeline, "reserve_ids", reserve)
    first = [valid_brn(serial) for serial in range(0, 1000)]
    second = [valid_brn(serial) for serial in range(1000, 2000)]
    by_hand = [valid_brn(serial) for serial in range(2000, 2100)]
    province, industry = Province.objects.get(short_name="경기"), Industry.objects.get(name="주조")

    def orm_writer():
        for i, brn in enumerate(by_hand):
            Company.objects.create(brn=brn, name=f"손{i}", province=province, industry=industry)

    def file_of(brns, name):
        return company_file([[brn, f"{name}{i}", "경기", "주조", i] for i, brn in enumerate(brns)])

    one, two, _ = together(
        lambda: import_companies(file_of(first, "첫"), user=staff, file_name="첫.xlsx"),
        lambda: import_companies(file_of(second, "둘"), user=staff, file_name="둘.xlsx"),
        orm_writer,
    )
    assert one.written and two.written, (one.errors, two.errors)
    assert Company.objects.count() == 2100
    check_batch(one, first)
    check_batch(two, second)
    import_batch_undo(batch=ImportBatch.objects.get(pk=one.batch.pk), user=staff)
    assert set(Company.objects.values_list("brn", flat=True)) == {*second, *by_hand}
    import_batch_undo(batch=ImportBatch.objects.get(pk=two.batch.pk), user=staff)
    assert set(Company.objects.values_list("brn", flat=True)) == set(by_hand)
    monkeypatch.setattr(pipeline, "reserve_ids", real)
    # The sequence moved past every id handed out: a later import and a later form both get new ids.
    again = import_companies(file_of(first[:3], "또"), user=staff)
    assert again.written
    check_batch(again, first[:3])
    Company.objects.create(brn=valid_brn(3000), name="나중", province=province, industry=industry)
    assert Company.objects.count() == 104
