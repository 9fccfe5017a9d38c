"""The bulk writers of imports (COPY on PostgreSQL, executemany on SQLite) store what they are given."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from companies.models import Company, Industry, Province
from programs.importing.bulk import fast_insert, fast_update
from programs.importing.kinds import filter_in
from programs.models import ImportBatch, ImportBatchRow
from tests.companies.helpers import valid_brn

pytestmark = pytest.mark.django_db


def company_values(**fields):
    return {
        "brn": valid_brn(),
        "name": "대량기업",
        "province_id": Province.objects.get(short_name="경기").pk,
        "industry_id": Industry.objects.get(name="주조").pk,
        "sales_amount": 700_000_000,
        **fields,
    }


def test_fast_insert_stores_text_numbers_dates_booleans_and_defaults():
    rows = [
        company_values(name='탭\t과 줄\n바꿈, 따옴표"와 \\', founded_on=datetime.date(2001, 2, 3), is_myeongga=True),
        company_values(name="빈 값 기업", founded_on=None, memo=""),
    ]
    fast_insert(Company, iter(rows))  # any iterable, a generator included
    first = Company.objects.get(brn=rows[0]["brn"])
    assert first.name == '탭\t과 줄\n바꿈, 따옴표"와 \\'
    assert first.founded_on == datetime.date(2001, 2, 3)
    assert first.is_myeongga is True
    assert first.sales_bracket == 2  # 7억 is 5-10억: the generated column is computed by the database
    second = Company.objects.get(brn=rows[1]["brn"])
    assert second.founded_on is None and second.memo == "" and second.employees is None
    assert second.has_rnd_capacity is False  # the field default


def test_fast_insert_stores_json_and_fills_auto_now_add():
    batch = ImportBatch.objects.create(kind="companies", file_name="a.xlsx", sha256="0" * 64)
    content_type = ContentType.objects.get_for_model(Company)
    fast_insert(
        ImportBatchRow,
        [
            {
                "batch_id": batch.pk,
                "row_number": 2,
                "action": "updated",
                "content_type_id": content_type.pk,
                "object_id": 7,
                "object_repr": "기업",
                "before": {"name": "옛 이름", "founded_on": "2001-02-03", "ids": [1, 2]},
            }
        ],
    )
    row = ImportBatchRow.objects.get(batch=batch)
    assert row.before == {"name": "옛 이름", "founded_on": "2001-02-03", "ids": [1, 2]}


def test_fast_update_changes_only_the_given_rows_and_fields():
    rows = [company_values(sales_amount=100) for _ in range(3)]
    fast_insert(Company, rows)
    first, second, third = (Company.objects.get(brn=row["brn"]) for row in rows)
    fast_update(
        Company,
        ["sales_amount", "founded_on"],
        [
            (first.pk, {"sales_amount": 20_000_000_000, "founded_on": datetime.date(1999, 12, 31)}),
            (second.pk, {"sales_amount": 5, "founded_on": None}),
        ],
    )
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert (first.sales_amount, first.founded_on, first.sales_bracket) == (
        20_000_000_000,
        datetime.date(1999, 12, 31),
        5,
    )
    assert (second.sales_amount, second.founded_on) == (5, None)
    assert third.sales_amount == 100
    assert first.name == "대량기업"  # fields not named are left alone


def test_a_refused_bulk_write_leaves_nothing_and_the_next_one_works():
    duplicate = company_values()
    with pytest.raises(IntegrityError), transaction.atomic():
        fast_insert(Company, [company_values(), duplicate, dict(duplicate)])
    assert not Company.objects.filter(name="대량기업").exists()
    stored = company_values()
    fast_insert(Company, [stored])
    pk = Company.objects.get(brn=stored["brn"]).pk
    fast_update(Company, ["sales_amount"], [(pk, {"sales_amount": 42})])
    assert Company.objects.get(pk=pk).sales_amount == 42
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the staging table of the update is gone
            cursor.execute("SELECT to_regclass('import_update_companies_company')")
            assert cursor.fetchone()[0] is None


def test_filter_in_finds_exactly_the_given_keys():
    rows = [company_values() for _ in range(4)]
    fast_insert(Company, rows)
    wanted = [rows[0]["brn"], rows[2]["brn"], "0000000000"]
    found = set(filter_in(Company.objects.all(), "brn", wanted).values_list("brn", flat=True))
    assert found == {rows[0]["brn"], rows[2]["brn"]}
    assert not filter_in(Company.objects.all(), "brn", []).exists()
