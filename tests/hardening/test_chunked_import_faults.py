"""Chunked imports (chunks of 2 rows here) whose file turns out unreadable, or invalid, after
earlier chunks were written: the whole import is refused in Korean and nothing stays written.
And a database that gives up on a lock is said in Korean."""

import io
import sqlite3
import zipfile

import pytest
from django.db.utils import OperationalError

from companies.models import Company
from programs.db_errors import LOCK_MESSAGE, database_message
from programs.importing.kinds import get_kind
from programs.models import ImportBatch
from tests.companies.helpers import valid_brn
from tests.hardening.hostile_files import csv_bytes
from tests.programs.conflicts import COMPANY_COLUMNS, company_file, import_companies

pytestmark = pytest.mark.django_db

ROWS = 40


@pytest.fixture(autouse=True)
def chunks_of_two(monkeypatch):
    monkeypatch.setattr(get_kind("companies"), "chunk_rows", 2)


def rows(count=ROWS):
    return [[valid_brn(), f"결함정밀{i}", "경기", "주조", i] for i in range(count)]


def with_sheet_corrupted_near_its_end(data: bytes) -> bytes:
    """The same workbook with the sheet stored uncompressed and one byte of its last rows changed,
    so that its CRC no longer matches: found only when the reader reaches the end of the sheet."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED) as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
    raw = bytearray(stream.getvalue())
    sheet = source.read("xl/worksheets/sheet1.xml")
    start = raw.find(sheet)
    position = start + sheet.rfind(b"\xea\xb2\xb0")  # the last 결 of the sheet
    raw[position + 2] ^= 0x01
    return bytes(raw)


@pytest.mark.parametrize("reader", ["calamine", "stream"])
def test_a_sheet_corrupted_after_many_rows_writes_nothing(settings, admin_user, reader):
    settings.IMPORT_STREAM_ABOVE_CELLS = 0 if reader == "stream" else 10**9
    data = with_sheet_corrupted_near_its_end(company_file(rows()))
    result = import_companies(data, user=admin_user)
    assert not result.written
    [error] = result.errors
    assert error.row_number is None and error.message.startswith("엑셀")
    assert not Company.objects.exists() and not ImportBatch.objects.exists()


def test_a_csv_with_an_unclosed_quote_late_writes_nothing(admin_user):
    """csv reads the rest of the file into the quoted field (as Excel does): that row is refused."""
    lines = [COMPANY_COLUMNS, *rows()]
    data = csv_bytes(lines) + valid_brn().encode() + ',"열린 따옴표,경기,주조,1\n'.encode()
    result = import_companies(data, user=admin_user, file_name="기업.csv")
    assert not result.written
    assert {(error.row_number, error.column) for error in result.errors} == {(ROWS + 2, "시·도"), (ROWS + 2, "업종")}
    assert not Company.objects.exists() and not ImportBatch.objects.exists()


def test_a_csv_with_an_overlong_field_late_writes_nothing(admin_user):
    lines = [COMPANY_COLUMNS, *rows(), [valid_brn(), "긴" * 200_000, "경기", "주조", 1]]
    result = import_companies(csv_bytes(lines), user=admin_user, file_name="기업.csv")
    assert not result.written
    [error] = result.errors
    assert error.message == f"CSV {ROWS + 2:,}행에 131,072자를 넘는 칸이 있습니다(한 칸은 131,072자까지)."
    assert not Company.objects.exists() and not ImportBatch.objects.exists()


def test_a_busy_sqlite_database_is_said_in_korean(tmp_path):
    path = tmp_path / "잠금.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (a)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as caught:
        other.execute("INSERT INTO t VALUES (1)")
    error = OperationalError(*caught.value.args)  # as Django's wrapper raises it
    error.__cause__ = caught.value
    assert database_message(error) == LOCK_MESSAGE
    assert database_message(OperationalError("no such table: t")) == "no such table: t"
