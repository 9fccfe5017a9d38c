"""Break-it tests of the faster import pipeline (column-wise parsing, reserved ids, one-parameter
IN lists, fewer indexes): real files through `import_file`, compared with what a user expects."""

import io

import pytest

from companies.models import Company
from programs.importing import pipeline
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from tests.centers.helpers import xlsx_bytes as xlsx
from tests.companies.helpers import valid_brn

pytestmark = pytest.mark.django_db

COMPANY_COLUMNS = ["사업자등록번호", "업체명", "시·도", "업종", "종사자 수"]


def run(kind: str, data: bytes, **kwargs):
    return import_file(kind=get_kind(kind), data=data, file_name="파일.xlsx", **kwargs)


def test_the_errors_kept_are_the_first_rows_of_the_file(monkeypatch):
    """More errors than are kept: the ones kept (and shown) are those of the file's first rows,
    whatever step found them — not later rows' cell errors found while the chunk was read."""
    monkeypatch.setattr(pipeline, "KEPT_ERRORS", 5)
    unknown_industry = [[valid_brn(), f"업종틀린정밀{i}", "경기", "없는업종", i] for i in range(10)]  # rows 2-11
    bad_brn = [["990-00-00018", f"번호틀린정밀{i}", "경기", "주조", i] for i in range(10)]  # rows 12-21
    result = run("companies", xlsx(COMPANY_COLUMNS, unknown_industry + bad_brn), dry_run=True)
    assert (result.error_count, result.invalid_count) == (20, 20)
    assert [error.row_number for error in result.errors] == [2, 3, 4, 5, 6]
    assert result.errors_left_off == 15
    assert not Company.objects.exists()


def test_a_file_of_more_than_2000_errors_shows_its_first_rows_errors():
    """At the real limit (2,000 kept): 600 rows naming an unknown 업종 (found when the chunk is
    resolved) before 2,000 rows with a wrong 사업자등록번호 (found while the chunk is read). The
    preview shows the first 500 kept: rows 2-501, not rows 602-1101."""
    unknown_industry = [[valid_brn(), "업종틀린정밀", "경기", "없는업종", 1] for _ in range(600)]  # rows 2-601
    bad_brn = [["990-00-00018", "번호틀린정밀", "경기", "주조", 1]] * 2000  # rows 602-2601
    result = run("companies", xlsx(COMPANY_COLUMNS, unknown_industry + bad_brn), dry_run=True)
    assert (result.error_count, result.invalid_count, len(result.errors)) == (2600, 2600, pipeline.KEPT_ERRORS)
    assert [error.row_number for error in result.errors] == list(range(2, 2002))
    assert [error.column for error in result.errors[599:601]] == ["업종", "사업자등록번호"]


def exported(kind_name: str) -> tuple[list, list[list]]:
    from python_calamine import CalamineWorkbook

    from programs.importing.export import export_kind

    stream = io.BytesIO()
    export_kind(kind=get_kind(kind_name), stream=stream)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(stream.getvalue())).get_sheet_by_index(0).to_python()
    return [str(header) for header in sheet[0]], [list(row) for row in sheet[1:]]


@pytest.mark.parametrize(("kind_name", "key_header"), [("centers", "센터명"), ("institutions", "기관명")])
def test_copies_of_every_exported_row_under_new_names_are_created_with_their_sets_and_undone(
    admin_user, kind_name, key_header
):
    """Every stored row of the kind, exported and imported again under a new name: new rows get
    the exported values (many-to-many sets included) under the ids the batch records; undo
    removes exactly them."""
    from programs.importing.undo import import_batch_undo

    kind = get_kind(kind_name)
    model = kind.model
    headers, rows = exported(kind_name)
    assert len(rows) >= 5
    key = headers.index(key_header)
    for row in rows:
        row[key] = f"새 {row[key]}"
    before = set(model.objects.values_list("pk", flat=True))
    result = run(kind_name, xlsx(headers, rows), user=admin_user)
    assert result.written, result.errors
    assert result.new_count == len(rows)
    recorded = list(result.batch.rows.values_list("object_id", "object_repr", "row_number", "version"))
    assert len(recorded) == len(rows) and not {pk for pk, *_ in recorded} & before
    copies = model.objects.in_bulk([pk for pk, *_ in recorded])
    for pk, label, row_number, version in recorded:
        copy = copies[pk]
        assert copy.name == rows[row_number - 2][key] == label and copy.version == version == 1
        original = model.objects.get(name=copy.name.removeprefix("새 "))
        assert set(copy.industries.values_list("pk", flat=True)) == set(
            original.industries.values_list("pk", flat=True)
        )
        assert copy.province_id == original.province_id and copy.program_id == original.program_id
    assert model.history.filter(id__in=copies, history_type="+").count() == len(rows)
    import_batch_undo(batch=result.batch, user=admin_user)
    assert set(model.objects.values_list("pk", flat=True)) == before


def test_rows_across_parse_blocks_and_chunks_keep_their_numbers_errors_and_ids(monkeypatch, admin_user):
    """2,400 rows parsed 1,000 at a time and written 700 at a time: blank and short rows at the
    block edges, errors on both sides of an edge. The errors name the right rows in column order;
    once they are fixed, every batch row names the company of its file row, and undo removes them."""
    from programs.importing.undo import import_batch_undo

    monkeypatch.setattr(get_kind("companies"), "chunk_rows", 700)
    brns = [valid_brn() for _ in range(2400)]
    rows = [[brn, f"경계정밀{i}", "경기", "주조", i % 50] for i, brn in enumerate(brns)]
    rows[998] = []  # file row 1000: blank, at the end of the first block
    rows[999] = [brns[999], "짧은정밀", "경기", "주조"]  # file row 1001: short, first of the second block
    rows[1000] = ["990-00-00018", "", "없는도", "주조", -1]  # file row 1002: four problems
    rows[1999] = [brns[1999], "", "경기"]  # file row 2001: short and missing two required cells
    result = run("companies", xlsx(COMPANY_COLUMNS, rows), user=admin_user)
    assert not result.written
    assert [(error.row_number, error.column) for error in result.errors] == [
        (1002, "사업자등록번호"),
        (1002, "업체명"),
        (1002, "종사자 수"),
        (2001, "업체명"),
        (2001, "업종"),
    ]
    rows[1000] = [brns[1000], "고친정밀", "경기", "주조", 1]
    rows[1999] = [brns[1999], "고친정밀2", "경기", "주조"]
    result = run("companies", xlsx(COMPANY_COLUMNS, rows), user=admin_user)
    assert result.written, result.errors[:3]
    assert result.new_count == 2399
    recorded = list(result.batch.rows.values_list("row_number", "object_id"))
    by_pk = dict(Company.objects.values_list("pk", "brn"))
    assert sorted(row_number for row_number, _ in recorded) == [n for n in range(2, 2402) if n != 1000]
    assert all(by_pk[object_id] == rows[row_number - 2][0] for row_number, object_id in recorded)
    assert Company.objects.get(brn=brns[999]).employees is None
    import_batch_undo(batch=result.batch, user=admin_user)
    assert not Company.objects.exists()


def test_integers_beyond_a_column_are_refused_by_row_even_among_many_in_range(admin_user):
    """The range check looks at a column's min and max first: one row beyond it among in-range
    rows (at either end, in two columns of one row) is still refused by row, in Korean, and the
    largest values a column holds are written."""
    headers = [*COMPANY_COLUMNS, "외국인 종사자 수", "매출액(원)"]
    brns = [valid_brn() for _ in range(6)]
    rows = [[brn, f"범위정밀{i}", "경기", "주조", 5, 1, 10**9] for i, brn in enumerate(brns)]
    rows[1][4] = 2**31 - 1  # the largest 종사자 수
    rows[2][6] = f"{2**63 - 1:,}원"  # the largest 매출액 (as text: a number cell is a double)
    rows[3][4] = 2**31
    rows[4][6] = str(2**63)
    rows[5][4], rows[5][5] = 2**40, 2**40
    result = run("companies", xlsx(headers, rows), user=admin_user)
    assert not result.written
    assert [(error.row_number, error.column) for error in result.errors] == [
        (5, "종사자 수"),
        (6, "매출액(원)"),
        (7, "종사자 수"),
        (7, "외국인 종사자 수"),
    ]
    assert "이하의 정수여야 합니다" in result.errors[0].message
    result = run("companies", xlsx(headers, rows[:3]), user=admin_user)
    assert result.written, result.errors
    stored = dict(Company.objects.values_list("brn", "employees"))
    assert stored[brns[1]] == 2**31 - 1
    assert Company.objects.get(brn=brns[2]).sales_amount == 2**63 - 1
