"""The size of an .xlsx's first worksheet, read from the zip before python-calamine sees it.

python-calamine (calamine 0.37) allocates the whole rectangle spanned by a sheet's cells, about
31 bytes a cell, empty or not, before the first row reaches Python: a 5 KB file with cells at A1
and XFD1048576 asks for 549 GB and the process aborts. `files.check_xlsx` compares what this
module reports with the import limits first.

- `first_sheet_path` finds the sheet calamine's `get_sheet_by_index(0)` reads, by calamine's
  rules (src/xlsx/mod.rs): the first `<sheet>` of xl/workbook.xml, its `r:id` looked up in
  xl/_rels/workbook.xml.rels, the target under xl/, zip names compared without case.
- `sheet_size` streams that sheet's XML (1 MB of inflated XML at a time, never the whole sheet)
  and returns the declared `<dimension ref>` and the last row and column any `<c>` occupies.
  A cell's `r` attribute gives its place; a cell without one follows the previous cell of its
  row and a row without `r` the previous row (calamine's cells_reader.rs counters). Every `<c>`
  counts, valued or not, so the answer is never smaller than what calamine builds.

The fast path reads the `r` attributes with regular expressions (~0.6 s CPU for 64,061 rows × 24
columns); a sheet with a cell whose `r` the expressions cannot read (missing, odd quoting) is
walked with expat instead (~3.8 s for the same sheet), keeping calamine's counters.
"""

import re
import zipfile
from dataclasses import dataclass
from operator import itemgetter
from xml.parsers import expat

CHUNK_BYTES = 1 << 20
LONGEST_TAG_BYTES = 1 << 20  # a tag still open after this much XML sends the sheet to the walker

_PREFIX = rb"(?:[^\s<>/!?:=\"']+:)?"
_ATTRIBUTE = rb"\s+[^\s=<>/]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*')"
# Every cell start tag, with the letters and digits of its r attribute when it has a plain one;
# ("", "") otherwise. A match never contains a "<" after its first byte.
_CELL = re.compile(
    rb"<" + _PREFIX + rb"c(?=[\s/>])(?:(?:" + _ATTRIBUTE + rb")*?\s+r\s*=\s*[\"']([A-Za-z]*)([0-9]*)[\"'])?"
)
# The same without the prefix, for the pieces that hold no ":c" (no prefixed cell): ~40% faster.
_CELL_PLAIN = re.compile(rb"<c(?=[\s/>])(?:(?:" + _ATTRIBUTE + rb")*?\s+r\s*=\s*[\"']([A-Za-z]*)([0-9]*)[\"'])?")
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension(?:" + _ATTRIBUTE + rb")*?\s+ref\s*=\s*[\"']([^\"'<]*)[\"']")
_REFERENCE = re.compile(r"([A-Za-z]{0,4})([0-9]{1,12})")


class SheetUnreadable(Exception):
    """The workbook's structure cannot be followed; the message is for the user, in Korean."""


@dataclass(frozen=True)
class SheetSize:
    declared: tuple[int, int] | None  # (last row, last column) of <dimension ref>, 1-based
    declared_ref: str
    used: tuple[int, int]  # (last row, last column) a cell occupies, 1-based; (0, 0) when none


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def cell_position(reference: str, *, need_column: bool = True) -> tuple[int, int]:
    """(row, column), 1-based, of a reference such as "XFD1048576"; refused if it is not one."""
    match = _REFERENCE.fullmatch(reference)
    if not match or int(match.group(2)) == 0 or (need_column and not match.group(1)):
        raise SheetUnreadable(f"시트의 셀 위치 '{reference[:20]}'을(를) 읽을 수 없습니다.")
    return int(match.group(2)), column_number(match.group(1))


def _member(archive: zipfile.ZipFile, name: str) -> str | None:
    """The archive's member named `name`, compared without case as calamine does."""
    lowered = name.lower()
    return next((member for member in archive.namelist() if member.lower() == lowered), None)


class _Found(Exception):
    pass


def _parse_xml(archive: zipfile.ZipFile, member: str, start, end=None) -> None:
    """Stream one member through expat; a DOCTYPE (entities) is refused."""
    parser = expat.ParserCreate()

    def refuse_doctype(*args):
        raise SheetUnreadable("엑셀 파일에 허용하지 않는 XML 선언(DOCTYPE)이 있습니다.")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SheetUnreadable(f"엑셀 파일의 XML을 읽을 수 없습니다({member}).") from exc


def _local(name: str) -> str:
    return name.split(":", 1)[-1]  # quick-xml's local_name: after the first colon


def first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The zip member of the sheet calamine reads first."""
    workbook = _member(archive, "xl/workbook.xml")
    relations = _member(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or relations is None:
        raise SheetUnreadable("엑셀 파일에 통합문서(xl/workbook.xml)나 그 관계 정보가 없습니다.")
    sheet_ids: list[str] = []

    def sheet(name, attrs):
        if _local(name) == "sheet":
            sheet_ids.append(attrs.get("r:id") or attrs.get("relationships:id") or "")
            raise _Found

    try:
        _parse_xml(archive, workbook, sheet)
    except _Found:
        pass
    if not sheet_ids or not sheet_ids[0]:
        raise SheetUnreadable("엑셀 파일에 시트가 없습니다.")
    targets: dict[str, str] = {}

    def relationship(name, attrs):
        if _local(name) == "Relationship":
            key = attrs.get("Id", "")
            if key in targets:  # calamine keeps the last; two of one id is no workbook's doing
                raise SheetUnreadable("엑셀 파일의 관계 정보에 같은 항목이 두 번 있습니다.")
            targets[key] = attrs.get("Target", "")

    _parse_xml(archive, relations, relationship)
    target = targets.get(sheet_ids[0])
    if not target:
        raise SheetUnreadable("엑셀 파일의 첫 시트를 찾을 수 없습니다.")
    path = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else f"xl/{target}"
    member = _member(archive, path)
    if member is None:
        raise SheetUnreadable("엑셀 파일의 첫 시트를 찾을 수 없습니다.")
    return member


def _declared(references: list[str]) -> tuple[int, int] | None:
    if not references:
        return None
    rows, columns = 0, 0
    for reference in references:
        try:
            parts = reference.split(":")
            if len(parts) > 2:
                raise SheetUnreadable(reference)
            for part in parts:
                row, column = cell_position(part)
                rows, columns = max(rows, row), max(columns, column)
        except SheetUnreadable as exc:
            raise SheetUnreadable(f"시트의 범위 선언 '{reference[:40]}'을(를) 읽을 수 없습니다.") from exc
    return rows, columns


class _WalkNeeded(Exception):
    pass


def _scan_fast(archive: zipfile.ZipFile, member: str) -> tuple[list[str], tuple[int, int]]:
    letters: set[bytes] = set()
    rows = 0  # the largest row number so far (the distinct rows of one chunk at a time, not all)
    unreadable: SheetUnreadable | None = None
    dimensions: list[str] = []
    tail = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            text = tail + chunk
            if chunk:
                cut = text.rfind(b"<")
                text, tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
                if len(tail) > LONGEST_TAG_BYTES:
                    raise _WalkNeeded
            cells = (_CELL if b":c" in text else _CELL_PLAIN).findall(text)
            letters.update(map(itemgetter(0), cells))
            digits = set(map(itemgetter(1), cells))
            if b"" in letters or b"" in digits:
                raise _WalkNeeded  # a cell whose place follows its neighbours (or an odd r)
            numbers = list(map(int, digits))  # digits only: the expression reads [0-9]*
            if numbers and (min(numbers) == 0 or max(map(len, digits)) > 12):
                for row in digits:  # a row the check refuses: cell_position names it
                    try:
                        cell_position(f"A{row.decode()}")
                    except SheetUnreadable as exc:
                        unreadable = unreadable or exc
            rows = max(rows, *numbers) if numbers else rows
            if b"dimension" in text:
                dimensions += [ref.decode("ascii", "replace") for ref in _DIMENSION.findall(text)]
            if not chunk:
                break
    if unreadable:
        raise unreadable
    columns = max((cell_position(f"{column.decode()}1")[1] for column in letters), default=0)
    return dimensions, (rows, columns)


def _walk(archive: zipfile.ZipFile, member: str) -> tuple[list[str], tuple[int, int]]:
    """calamine's counters over the XML: exact for cells without r."""
    state = {"in_data": False, "done": False, "in_cell": False, "row": 0, "column": 0}
    dimensions: list[str] = []
    last = [0, 0]

    def start(name, attrs):
        local = _local(name)
        if state["done"] or state["in_cell"]:
            return
        if not state["in_data"]:
            if local == "sheetData":
                state["in_data"] = True
            elif local == "dimension" and "ref" in attrs:
                dimensions.append(attrs["ref"])
            return
        if local == "row" and "r" in attrs:
            state["row"] = cell_position(attrs["r"], need_column=False)[0] - 1
        elif local == "c":
            if "r" in attrs:
                row, column = cell_position(attrs["r"])
                row, state["column"] = row - 1, column - 1
            else:
                row = state["row"]
            last[0], last[1] = max(last[0], row + 1), max(last[1], state["column"] + 1)
            state["column"] += 1
            state["in_cell"] = True

    def end(name):
        local = _local(name)
        if state["done"] or not state["in_data"]:
            return
        if state["in_cell"]:
            state["in_cell"] = local != "c"
        elif local == "row":
            state["row"] += 1
            state["column"] = 0
        elif local == "sheetData":
            state["done"] = True

    _parse_xml(archive, member, start, end)
    return dimensions, (last[0], last[1])


def sheet_size(archive: zipfile.ZipFile, member: str) -> SheetSize:
    try:
        dimensions, used = _scan_fast(archive, member)
    except _WalkNeeded:
        dimensions, used = _walk(archive, member)
    declared_ref = max(dimensions, key=len, default="")
    return SheetSize(declared=_declared(dimensions), declared_ref=declared_ref, used=used)
