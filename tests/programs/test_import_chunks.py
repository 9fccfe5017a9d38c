"""Imports go through a file a chunk at a time (`ImportExportKind.chunk_rows`): the same counts,
errors, written rows and preview versions as reading the file whole, duplicates found across
chunks, and nothing written when any chunk has an invalid row — even after earlier chunks wrote.

The chunks here are 2 rows (the setting is 5,000): every file below spans several of them.
"""

import pytest

from companies.models import Application, Company
from programs.importing import pipeline
from programs.importing.kinds import get_kind
from programs.importing.pipeline import Snapshot, import_file
from programs.models import ImportBatch, ImportBatchRow, Program
from tests.companies.helpers import make_company, valid_brn
from tests.programs.conflicts import company_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def chunks_of_two(monkeypatch):
    for name in ("companies", "applications"):
        monkeypatch.setattr(get_kind(name), "chunk_rows", 2)


def run(kind: str, data: bytes, **kwargs):
    return import_file(kind=get_kind(kind), data=data, file_name="파일.xlsx", **kwargs)


def mixed_file():
    """Two stored companies (one unchanged, one changed) and five new ones, over four chunks."""
    same = make_company(name="그대로정밀", employees=4)
    changed = make_company(name="바뀔정밀", employees=5)
    rows = [
        [valid_brn(), "새정밀1", "경기", "주조", 1],
        [same.brn, "그대로정밀", "경기", "주조", 4],
        [valid_brn(), "새정밀2", "경기", "주조", 2],
        [changed.brn, "바뀔정밀", "경기", "주조", 50],
        [valid_brn(), "새정밀3", "경기", "주조", 3],
        [valid_brn(), "새정밀4", "부산", "용접", 4],
        [valid_brn(), "새정밀5", "경기", "주조", 5],
    ]
    return company_file(rows), same, changed


def test_chunks_find_what_the_whole_file_finds_and_write_it(monkeypatch, chunks_of_two, admin_user):
    data, same, changed = mixed_file()
    chunked = run("companies", data, dry_run=True)
    monkeypatch.setattr(get_kind("companies"), "chunk_rows", None)
    whole = run("companies", data, dry_run=True)
    assert chunked.counts == whole.counts == {"new": 5, "updated": 1, "unchanged": 1, "invalid": 0}
    assert list(chunked.compared) == list(whole.compared)
    assert list(chunked.compared) == [
        (2, None, None),
        (3, same.pk, same.version),
        (4, None, None),
        (5, changed.pk, changed.version),
        (6, None, None),
        (7, None, None),
        (8, None, None),
    ]
    assert [change.row.row_number for change in chunked.new] == [2, 4, 6, 7, 8]
    assert [change.fields for change in chunked.updated] == [[("종사자 수", "5", "50")]]

    monkeypatch.setattr(get_kind("companies"), "chunk_rows", 2)
    result = run("companies", data, user=admin_user, expected=chunked.snapshot())
    assert result.written, result.errors
    assert dict(Company.objects.values_list("name", "employees")) == {
        "그대로정밀": 4,
        "바뀔정밀": 50,
        **{f"새정밀{i}": i for i in range(1, 6)},
    }
    assert sorted(result.batch.rows.values_list("row_number", "action")) == [
        (2, "new"),
        (4, "new"),
        (5, "updated"),
        (6, "new"),
        (7, "new"),
        (8, "new"),
    ]
    assert (result.batch.new_count, result.batch.updated_count, result.batch.unchanged_count) == (5, 1, 1)
    assert result.batch.rows.get(row_number=5).before == {"employees": 5}


def test_a_key_repeated_in_a_later_chunk_is_refused_and_nothing_is_written(chunks_of_two, admin_user):
    brn = valid_brn()
    rows = [
        [brn, "처음정밀", "경기", "주조", 1],
        [valid_brn(), "둘째정밀", "경기", "주조", 2],
        [valid_brn(), "셋째정밀", "경기", "주조", 3],
        [valid_brn(), "넷째정밀", "경기", "주조", 4],
        [brn, "다시정밀", "경기", "주조", 5],
    ]
    for dry_run in (True, False):
        result = run("companies", company_file(rows), user=admin_user, dry_run=dry_run)
        assert not result.written
        assert [str(error) for error in result.errors] == [
            "6행 [사업자등록번호]: 같은 파일의 2행과 중복됩니다(사업자등록번호이(가) 같습니다)."
        ]
        assert result.counts == {"new": 4, "updated": 0, "unchanged": 0, "invalid": 1}
    assert not Company.objects.exists() and not ImportBatch.objects.exists()


def test_an_invalid_row_in_the_last_chunk_undoes_the_chunks_already_written(chunks_of_two, admin_user):
    stored = make_company(name="있던정밀", employees=7)
    rows = [
        [valid_brn(), "앞정밀1", "경기", "주조", 1],
        [stored.brn, "있던정밀", "경기", "주조", 70],
        [valid_brn(), "앞정밀2", "경기", "주조", 2],
        [valid_brn(), "앞정밀3", "경기", "주조", 3],
        [valid_brn(), "뒤정밀", "경기", "없는업종", 4],
    ]
    result = run("companies", company_file(rows), user=admin_user)
    assert not result.written
    assert [(error.row_number, error.column) for error in result.errors] == [(6, "업종")]
    assert list(Company.objects.values_list("name", "employees", "version")) == [("있던정밀", 7, stored.version)]
    assert not ImportBatch.objects.exists() and not ImportBatchRow.objects.exists()
    assert not stored.history.filter(employees=70).exists()


def test_applications_find_their_companies_chunk_by_chunk(chunks_of_two, admin_user):
    companies = [make_company(name=f"신청정밀{i}") for i in range(5)]
    program = Program.objects.get(code="polytech")
    workbook_rows = [[company.brn, program.name, 2025, "접수"] for company in companies]
    workbook_rows.append([valid_brn(), program.name, 2025, "접수"])  # not a registered company
    from tests.centers.helpers import xlsx_bytes

    data = xlsx_bytes(["사업자등록번호", "사업", "연도", "상태"], workbook_rows)
    result = run("applications", data, user=admin_user)
    assert not result.written
    assert [(error.row_number, error.column) for error in result.errors] == [(7, "사업자등록번호")]
    result = run("applications", xlsx_bytes(["사업자등록번호", "사업", "연도", "상태"], workbook_rows[:5]))
    assert result.written
    assert sorted(Application.objects.values_list("company__name", flat=True)) == [f"신청정밀{i}" for i in range(5)]


def test_every_error_is_counted_and_the_first_ones_are_kept(monkeypatch, chunks_of_two):
    monkeypatch.setattr(pipeline, "KEPT_ERRORS", 3)
    rows = [[valid_brn(), f"틀린정밀{i}", "경기", "없는업종", i] for i in range(5)]
    result = run("companies", company_file(rows), dry_run=True)
    assert [error.row_number for error in result.errors] == [2, 3, 4]
    assert (result.error_count, result.errors_left_off, result.invalid_count) == (5, 2, 5)


def test_the_snapshot_travels_as_compact_json_and_reads_the_first_format():
    snapshot = Snapshot()
    snapshot.add(2, None, None)
    snapshot.add(3, 41, 7)
    snapshot.add(600_001, 9_000_000_000, None)
    data = snapshot.as_json()
    assert set(data) == {"format", "rows", "pks", "versions"}
    assert list(Snapshot.from_json(data)) == [(2, None, None), (3, 41, 7), (600_001, 9_000_000_000, None)]
    assert list(Snapshot.from_json({"10": [5, 2], "3": [None, None]})) == [(3, None, None), (10, 5, 2)]
