"""Break-it tests of the faster import pipeline (column-wise parsing, reserved ids, one-parameter
IN lists, fewer indexes): real files through `import_file`, compared with what a user expects."""

import io

import pytest
from openpyxl import Workbook

from companies.models import Company
from programs.importing import pipeline
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from tests.companies.helpers import valid_brn

pytestmark = pytest.mark.django_db

COMPANY_COLUMNS = ["사업자등록번호", "업체명", "시·도", "업종", "종사자 수"]


def xlsx(headers: list, rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


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
