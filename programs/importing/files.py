"""Reading uploaded spreadsheets safely: content checks first, then python-calamine, the streaming
.xlsx reader (xlsx_rows) or csv.

Hostile uploads are refused before parsing, with a Korean message and nothing written:
- larger than `MAX_UPLOAD_BYTES`;
- .xlsx that is not a zip with `[Content_Types].xml`, or whose members declare more than
  `MAX_XLSX_UNCOMPRESSED_BYTES` uncompressed (zip bombs) or compress suspiciously well, or a
  shared-string table of more than `MAX_SHARED_STRINGS_BYTES` (python-calamine holds all of it);
- .xlsx with two members of one name, odd member names, or the parts of another spreadsheet
  format (an OpenDocument content.xml, an .xlsb workbook.bin) that python-calamine would fall
  back to when the .xlsx parts fail;
- .xlsx whose first sheet cannot be found, or whose first sheet declares (`<dimension ref>`) or
  uses (its cells' places) more than `MAX_ROWS` rows, `MAX_COLUMNS` columns or a rectangle of
  more than `MAX_CELLS` cells: measured from the zip by `xlsx_sheet` before calamine, which
  allocates that whole rectangle, is called;
- .csv that is not text (NUL bytes), or not in an accepted encoding (`CSV_ENCODINGS`);
- .csv with more than `MAX_ROWS` rows or `MAX_COLUMNS` columns (a run of separators is stopped
  before the csv module builds the row), or a field longer than the csv module's limit
  (131,072 characters), named by its row.

Rows are handed out one at a time (`Table.rows` is an iterator): a 64,061-row sheet as Python
lists would cost ~100 MB more than the parsed values the import keeps.

Two readers give the same rows (tests/programs/test_xlsx_rows.py compares them file by file):
python-calamine (fast, ~0.7 µs a cell, but it builds the sheet's whole rectangle first, ~31 bytes a
cell) for sheets of at most `settings.IMPORT_STREAM_ABOVE_CELLS` used cells, and `xlsx_rows`
(streamed from the zip, memory flat whatever the number of rows) above, or when the shared-string
table is large.
"""

import codecs
import csv
import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook

from programs.importing.xlsx_rows import SheetRows
from programs.importing.xlsx_sheet import SheetSize, SheetUnreadable, _member, first_sheet_path, sheet_size

MAX_UPLOAD_BYTES = settings.IMPORT_MAX_UPLOAD_BYTES
MAX_XLSX_UNCOMPRESSED_BYTES = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES
MAX_ROWS = settings.IMPORT_MAX_ROWS
MAX_COLUMNS = settings.IMPORT_MAX_COLUMNS
MAX_CELLS = settings.IMPORT_MAX_CELLS
MAX_SHARED_STRINGS_BYTES = settings.IMPORT_MAX_SHARED_STRINGS_BYTES
# calamine keeps the shared strings as Rust Strings (~40 bytes each besides the text): a table
# larger than this many bytes a used cell also goes to the streaming reader.
STREAM_SHARED_STRINGS_BYTES_PER_CELL = 32
READERS = ("calamine", "stream")
MAX_COMPRESSION_RATIO = 1000
ZIP_MAGIC = b"PK\x03\x04"
SUPPORTED_EXTENSIONS = (".xlsx", ".csv")
# Members that make python-calamine read the zip as another format when the .xlsx parts fail.
OTHER_FORMAT_MEMBERS = ("content.xml", "xl/workbook.bin", "xl/_rels/workbook.bin.rels")
# What reading a hostile zip may raise: corrupt or truncated data, an unsupported compression
# method (NotImplementedError), an encrypted member (RuntimeError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)
CSV_ENCODINGS = "UTF-8(BOM 있거나 없거나), UTF-16(BOM 있는 것), CP949(EUC-KR)"
# Separators one CSV record may hold before the csv module is stopped: far above any real row
# (quoted text may hold commas), far below what would exhaust memory (a 30 MB run of commas).
MAX_CSV_SEPARATORS = 100_000


class FileRejected(Exception):
    """The file cannot be read as an import; the message is for the user, in Korean."""


@dataclass
class Table:
    """Cells of the first sheet, row by row; the first row yielded is spreadsheet row `first_row_number`.

    `rows` is an iterator: it can be read once."""

    rows: Iterator[list]
    first_row_number: int = 1
    last_row: int | None = None  # the last row a cell occupies (the size check), when known: progress


def extension_of(file_name: str) -> str:
    lowered = file_name.lower()
    return next((ext for ext in SUPPORTED_EXTENSIONS if lowered.endswith(ext)), "")


def check_xlsx(data: bytes) -> SheetSize:
    """Refuse what must not be parsed; the first sheet's size, measured from the zip."""
    if not data.startswith(ZIP_MAGIC):
        raise FileRejected("엑셀(.xlsx) 파일이 아닙니다: 파일 내용이 xlsx 형식(zip)이 아닙니다.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_members(archive.infolist())
            return check_first_sheet(archive)
    except ZIP_ERRORS as exc:
        raise FileRejected("엑셀(.xlsx) 파일이 손상되었거나 읽을 수 없는 방식으로 압축되었습니다.") from exc


def check_members(members: list[zipfile.ZipInfo]) -> None:
    names = [member.filename for member in members]
    if "[Content_Types].xml" not in names:
        raise FileRejected("엑셀(.xlsx) 파일이 아닙니다: [Content_Types].xml이 없습니다.")
    declared = sum(member.file_size for member in members)
    if declared > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            f"압축을 푼 크기가 {declared / 1024 / 1024:,.0f}MB로 허용 한도"
            f"({MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024:,.0f}MB)를 넘습니다."
        )
    for member in members:
        if member.filename.lower() == "xl/sharedstrings.xml" and member.file_size > MAX_SHARED_STRINGS_BYTES:
            raise FileRejected(
                f"공유 문자열 표(xl/sharedStrings.xml)가 압축을 풀면 {member.file_size / 1024 / 1024:,.0f}MB로 "
                f"허용 한도({MAX_SHARED_STRINGS_BYTES / 1024 / 1024:,.0f}MB)를 넘습니다."
            )
        if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
            raise FileRejected(f"압축률이 비정상적으로 높은 항목({member.filename})이 있어 거부합니다.")
    lowered = [name.lower() for name in names]
    if len(set(lowered)) != len(lowered):
        raise FileRejected("엑셀(.xlsx) 파일이 손상되었습니다: 같은 이름의 항목이 두 번 들어 있습니다.")
    if any(name in OTHER_FORMAT_MEMBERS for name in lowered):
        raise FileRejected("엑셀(.xlsx) 파일이 아닙니다: 다른 형식(ODS, XLSB)의 내용이 들어 있습니다.")
    # calamine follows the raw relationship targets, expat hands out unescaped ones: names with
    # an entity or whitespace could make the two read different members.
    if any(char in name for name in names for char in "&\t\n\r"):
        raise FileRejected("엑셀(.xlsx) 파일이 손상되었습니다: 항목 이름이 올바르지 않습니다.")


def size_problem(rows: int, columns: int) -> str:
    if rows > MAX_ROWS:
        return f"{rows:,}행으로 한도({MAX_ROWS:,}행)를 넘습니다"
    if columns > MAX_COLUMNS:
        return f"{columns:,}열({column_letter(columns)}열까지)로 한도({MAX_COLUMNS:,}열)를 넘습니다"
    if rows * columns > MAX_CELLS:
        return f"{rows:,}행 × {columns:,}열 = {rows * columns:,}칸으로 한도({MAX_CELLS:,}칸)를 넘습니다"
    return ""


def column_letter(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def check_first_sheet(archive: zipfile.ZipFile) -> SheetSize:
    """Refuse a first sheet larger than the limits, measured from the zip (see xlsx_sheet)."""
    try:
        size = sheet_size(archive, first_sheet_path(archive))
    except SheetUnreadable as exc:
        raise FileRejected(f"엑셀 파일을 읽을 수 없습니다: {exc}") from exc
    advice = " 빈 행·열과 서식만 있는 칸을 지우고 다시 저장해 주세요."
    if size.declared and (problem := size_problem(*size.declared)):
        raise FileRejected(f"시트가 선언한 범위({size.declared_ref[:40]})가 {problem}." + advice)
    if problem := size_problem(*size.used):
        last = f"{column_letter(size.used[1])}{size.used[0]}"
        raise FileRejected(f"시트에 쓰인 범위(마지막 셀 {last})가 {problem}." + advice)
    return size


CSV_CHECK_BYTES = 1 << 20  # the encoding is checked this many bytes at a time (no copy of the file)


def csv_encoding(data: bytes) -> str:
    """The encoding a CSV file is read with: UTF-16 by its BOM, else UTF-8 (with or without a BOM)
    if every byte decodes as UTF-8, else CP949. The check decodes 1 MB at a time and keeps nothing."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise FileRejected(f"CSV 파일이 텍스트가 아닙니다(이진 데이터가 들어 있습니다). 받는 인코딩: {CSV_ENCODINGS}")
    else:
        encoding = next((name for name in ("utf-8-sig", "cp949") if _decodes(data, name)), None)
        if encoding is None:
            raise FileRejected(f"CSV 파일의 문자 인코딩을 읽을 수 없습니다. 받는 인코딩: {CSV_ENCODINGS}")
        return encoding
    if not _decodes(data, encoding):
        raise FileRejected(f"CSV 파일의 UTF-16 내용을 읽을 수 없습니다. 받는 인코딩: {CSV_ENCODINGS}")
    return encoding


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(view), CSV_CHECK_BYTES):
            if "\x00" in decoder.decode(view[start : start + CSV_CHECK_BYTES]):
                raise FileRejected(
                    f"CSV 파일이 텍스트가 아닙니다(이진 데이터가 들어 있습니다). 받는 인코딩: {CSV_ENCODINGS}"
                )
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def csv_text(data: bytes) -> io.TextIOWrapper:
    """The CSV file's text as a stream of lines, decoded as it is read (not a copy of the file)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding=csv_encoding(data), newline="")


class _SeparatorGuard:
    """The lines of a CSV text, stopping a record that runs to more than MAX_CSV_SEPARATORS commas
    (the csv module would build a list of every field first)."""

    def __init__(self, text):
        self.lines = iter(text)
        self.pending = 0
        self.row_number = 1

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.pending += line.count(",")
        if self.pending > MAX_CSV_SEPARATORS:
            raise FileRejected(f"CSV {self.row_number:,}행의 열이 한도({MAX_COLUMNS:,}열)를 넘습니다.")
        return line


def csv_rows(text) -> Iterator[list]:
    """The records of a CSV text, refused past MAX_ROWS rows, MAX_COLUMNS columns or an over-long field."""
    lines = _SeparatorGuard(text)
    reader = csv.reader(lines)
    try:
        for row_number, record in enumerate(reader, start=1):
            if row_number > MAX_ROWS:
                raise FileRejected(f"CSV 파일이 {MAX_ROWS:,}행을 넘습니다(한도 {MAX_ROWS:,}행).")
            if len(record) > MAX_COLUMNS:
                raise FileRejected(
                    f"CSV {row_number:,}행의 열이 {len(record):,}개로 한도({MAX_COLUMNS:,}열)를 넘습니다."
                )
            lines.pending, lines.row_number = 0, row_number + 1
            yield record
    except csv.Error as exc:
        limit = csv.field_size_limit()
        if "field larger than field limit" in str(exc):
            raise FileRejected(
                f"CSV {lines.row_number:,}행에 {limit:,}자를 넘는 칸이 있습니다(한 칸은 {limit:,}자까지)."
            ) from exc
        raise FileRejected(f"CSV {lines.row_number:,}행을 읽을 수 없습니다: {exc}") from exc


def check_upload(data: bytes, file_name: str) -> str:
    """Refuse what must not be parsed; return the extension to read the file with."""
    return _check_upload(data, file_name)[0]


def _check_upload(data: bytes, file_name: str) -> tuple[str, SheetSize | None]:
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
        return extension, check_xlsx(data)
    if data.startswith(ZIP_MAGIC):
        raise FileRejected("CSV 파일이 아닙니다: 내용이 압축(zip) 파일입니다.")
    return extension, None


def _calamine_failure(exc: BaseException) -> bool:
    """What python-calamine raises on a file it cannot read: its own errors, a value out of
    Python's range (a duration of 10^10 days: OverflowError), or a Rust panic (a date of -10^12
    days: pyo3's PanicException, a BaseException)."""
    return isinstance(exc, CalamineError | ValueError | OSError | OverflowError) or (
        type(exc).__name__ == "PanicException"
    )


def _sheet_rows(sheet, left_padding: int) -> Iterator[list]:
    # Cells left of the used area are padded, so column indexes match what Excel shows.
    padding = [""] * left_padding
    try:
        for cells in sheet.iter_rows():
            yield padding + cells if padding else cells
    except BaseException as exc:
        if not _calamine_failure(exc):
            raise
        raise FileRejected(f"엑셀 파일을 읽을 수 없습니다: {exc}") from exc


def choose_reader(data: bytes, size: SheetSize) -> str:
    """python-calamine for a sheet of at most IMPORT_STREAM_ABOVE_CELLS used cells (its rectangle,
    as measured by the size check) and a shared-string table of proportionate size; the streaming
    reader otherwise."""
    limit = settings.IMPORT_STREAM_ABOVE_CELLS
    if size.used[0] * size.used[1] > limit:
        return "stream"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = _member(archive, "xl/sharedStrings.xml")
        strings = archive.getinfo(member).file_size if member else 0
    return "stream" if strings > limit * STREAM_SHARED_STRINGS_BYTES_PER_CELL else "calamine"


def read_table(data: bytes, file_name: str, *, reader: str | None = None) -> Table:
    """The first sheet of an .xlsx or the rows of a .csv, after `check_upload`.

    `reader` ("calamine" or "stream") forces one .xlsx reader; by default `choose_reader` picks.
    Python objects are made one row at a time; calamine's sheet (its compact cells) is released
    when the iterator is exhausted or dropped, the streaming reader holds one piece of XML."""
    extension, size = _check_upload(data, file_name)
    if extension == ".csv":
        # Lines, not records (a quoted field may hold a line break): enough for a progress bar.
        return Table(rows=csv_rows(csv_text(data)), last_row=data.count(b"\n") + (not data.endswith(b"\n")))
    if reader is None:
        reader = choose_reader(data, size)
    if reader == "stream":
        return replace(_streamed_table(data, size), last_row=size.used[0])
    if reader != "calamine":
        raise ValueError(f"reader must be one of {READERS}")
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except BaseException as exc:
        if not _calamine_failure(exc):
            raise
        raise FileRejected(f"엑셀 파일을 읽을 수 없습니다: {exc}") from exc
    if sheet.start is None:  # an empty sheet
        return Table(rows=iter(()), last_row=0)
    # python-calamine 0.9's iter_rows starts at row 1 (empty rows above the used area included) but
    # at the used area's first column: pad the columns so that indexes and row numbers match Excel
    # (tests/companies/test_import_export.py checks both).
    return Table(rows=_sheet_rows(sheet, sheet.start[1]), last_row=size.used[0])


def _streamed_table(data: bytes, size: SheetSize) -> Table:
    """The streaming reader's table: the shared strings, styles and the width are read here (a
    file they refuse is refused before the first row), the rows as the iterator is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet = SheetRows(archive, first_sheet_path(archive), max_strings=MAX_CELLS, used_columns=size.used[1])
        sheet.measure_width()
    except SheetUnreadable as exc:
        raise FileRejected(f"엑셀 파일을 읽을 수 없습니다: {exc}") from exc
    except ZIP_ERRORS as exc:
        raise FileRejected("엑셀(.xlsx) 파일이 손상되었거나 읽을 수 없는 방식으로 압축되었습니다.") from exc
    return Table(rows=_streamed_rows(sheet))


def _streamed_rows(sheet: SheetRows) -> Iterator[list]:
    try:
        yield from sheet.rows()
    except SheetUnreadable as exc:
        raise FileRejected(f"엑셀 파일을 읽을 수 없습니다: {exc}") from exc
    except ZIP_ERRORS as exc:
        raise FileRejected("엑셀(.xlsx) 파일이 손상되었거나 읽을 수 없는 방식으로 압축되었습니다.") from exc
