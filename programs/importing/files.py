"""Reading uploaded spreadsheets safely: content checks first, then python-calamine or csv.

Hostile uploads are refused before parsing, with a Korean message and nothing written:
- larger than `MAX_UPLOAD_BYTES`;
- .xlsx that is not a zip with `[Content_Types].xml`, or whose members declare more than
  `MAX_XLSX_UNCOMPRESSED_BYTES` uncompressed (zip bombs) or compress suspiciously well;
- .csv that is not text (NUL bytes, undecodable in UTF-8 or CP949).

Rows are handed out one at a time (`Table.rows` is an iterator): a 64,061-row sheet as Python
lists would cost ~100 MB more than the parsed values the import keeps.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook

MAX_UPLOAD_BYTES = settings.IMPORT_MAX_UPLOAD_BYTES
MAX_XLSX_UNCOMPRESSED_BYTES = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES
MAX_COMPRESSION_RATIO = 1000
ZIP_MAGIC = b"PK\x03\x04"
SUPPORTED_EXTENSIONS = (".xlsx", ".csv")


class FileRejected(Exception):
    """The file cannot be read as an import; the message is for the user, in Korean."""


@dataclass
class Table:
    """Cells of the first sheet, row by row; the first row yielded is spreadsheet row `first_row_number`.

    `rows` is an iterator: it can be read once."""

    rows: Iterator[list]
    first_row_number: int = 1


def extension_of(file_name: str) -> str:
    lowered = file_name.lower()
    return next((ext for ext in SUPPORTED_EXTENSIONS if lowered.endswith(ext)), "")


def check_xlsx(data: bytes) -> None:
    if not data.startswith(ZIP_MAGIC):
        raise FileRejected("엑셀(.xlsx) 파일이 아닙니다: 파일 내용이 xlsx 형식(zip)이 아닙니다.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRejected("엑셀(.xlsx) 파일이 손상되었습니다.") from exc
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise FileRejected("엑셀(.xlsx) 파일이 아닙니다: [Content_Types].xml이 없습니다.")
    declared = sum(member.file_size for member in members)
    if declared > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            f"압축을 푼 크기가 {declared / 1024 / 1024:,.0f}MB로 허용 한도"
            f"({MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024:,.0f}MB)를 넘습니다."
        )
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
            raise FileRejected(f"압축률이 비정상적으로 높은 항목({member.filename})이 있어 거부합니다.")


def decode_csv(data: bytes) -> str:
    if b"\x00" in data:
        raise FileRejected("CSV 파일이 텍스트가 아닙니다(이진 데이터가 들어 있습니다).")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("CSV 파일의 문자 인코딩을 읽을 수 없습니다(UTF-8 또는 CP949로 저장해 주세요).")


def check_upload(data: bytes, file_name: str) -> str:
    """Refuse what must not be parsed; return the extension to read the file with."""
    extension = extension_of(file_name)
    if not extension:
        raise FileRejected("지원하지 않는 파일 형식입니다. .xlsx 또는 .csv 파일을 올려 주세요.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRejected(
            f"파일이 너무 큽니다({len(data) / 1024 / 1024:,.1f}MB, 한도 {MAX_UPLOAD_BYTES / 1024 / 1024:,.0f}MB)."
        )
    if not data:
        raise FileRejected("빈 파일입니다.")
    if extension == ".xlsx":
        check_xlsx(data)
    elif data.startswith(ZIP_MAGIC):
        raise FileRejected("CSV 파일이 아닙니다: 내용이 압축(zip) 파일입니다.")
    return extension


def _sheet_rows(sheet, left_padding: int) -> Iterator[list]:
    # Cells left of the used area are padded, so column indexes match what Excel shows.
    padding = [""] * left_padding
    try:
        for cells in sheet.iter_rows():
            yield padding + cells if padding else cells
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRejected(f"엑셀 파일을 읽을 수 없습니다: {exc}") from exc


def read_table(data: bytes, file_name: str) -> Table:
    """The first sheet of an .xlsx (python-calamine) or the rows of a .csv, after `check_upload`.

    Python objects are made one row at a time; the sheet itself (calamine's compact cells) is
    released when the iterator is exhausted or dropped."""
    extension = check_upload(data, file_name)
    if extension == ".csv":
        return Table(rows=csv.reader(io.StringIO(decode_csv(data))))
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRejected(f"엑셀 파일을 읽을 수 없습니다: {exc}") from exc
    if sheet.start is None:  # an empty sheet
        return Table(rows=iter(()))
    # python-calamine 0.9's iter_rows starts at row 1 (empty rows above the used area included) but
    # at the used area's first column: pad the columns so that indexes and row numbers match Excel
    # (tests/companies/test_import_export.py checks both).
    return Table(rows=_sheet_rows(sheet, sheet.start[1]))
