"""Writing Excel files the way the plan looks: styled Korean headers, number formats, safe text.

Every export of every app goes through `write_xlsx` / `write_csv` (or `ExcelSheet` for custom
layouts) so that three rules are written once:
- numbers and dates stay numbers and dates, with a number format (`programs.formats`);
- a text cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is
  stored as plain text: in .xlsx as a string cell with the quote prefix, in .csv with a leading
  apostrophe (the OWASP recommendation), which `programs.importing` removes again on import;
- column widths fit the header and the data;
- characters a spreadsheet cannot hold (control characters other than tab, line feed and
  carriage return: openpyxl's ILLEGAL_CHARACTERS_RE) are dropped from text cells, so that no
  stored value can make an export fail (imports and forms refuse them: `illegal_characters`).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from programs.formats import EXCEL_COUNT_FORMAT, EXCEL_MILLION_FORMAT, EXCEL_RATE_FORMAT
from programs.xlsx_stream import FORMULA_PREFIXES, write_sheets

CSV_TEXT_MARK = "'"

WON_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
NUMBER_FORMATS = {
    "won": WON_FORMAT,
    "million": EXCEL_MILLION_FORMAT,
    "rate": EXCEL_RATE_FORMAT,
    "count": EXCEL_COUNT_FORMAT,
    "date": DATE_FORMAT,
    "text": TEXT_FORMAT,
}

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin", color="BFBFBF")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class ExcelColumn:
    header: str
    number_format: str | None = None  # a key of NUMBER_FORMATS or a literal Excel format
    width: float | None = None


def illegal_characters(text: str) -> list[str]:
    """The characters of `text` a spreadsheet cannot hold, each once, as U+000B-style names."""
    if text.isprintable():  # the common case, without the regular expression
        return []
    return [f"U+{ord(char):04X}" for char in dict.fromkeys(ILLEGAL_CHARACTERS_RE.findall(text))]


def spreadsheet_text(value):
    """`value` with the characters a spreadsheet cannot hold removed (other values as they are)."""
    if isinstance(value, str) and not value.isprintable():
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def resolve_format(number_format: str | None) -> str | None:
    return NUMBER_FORMATS.get(number_format, number_format) if number_format else None


def display_width(text: str) -> float:
    """Approximate Excel width: Hangul and other wide characters take two columns."""
    return sum(2 if ord(char) > 0x1100 else 1 for char in text)


def excel_cell(sheet, value, number_format: str | None = None):
    """A write-only cell holding `value` safely: formula-like text as text, numbers with a format.

    Plain values that need no style are returned as they are (much faster in write-only mode)."""
    if isinstance(value, str):
        value = spreadsheet_text(value)
        if not is_formula_like(value):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if value is None or isinstance(value, bool):
        return value
    cell = WriteOnlyCell(sheet)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell.value = value
    if isinstance(value, datetime.date) and not number_format:
        number_format = "date"
    fmt = resolve_format(number_format)
    if fmt and value is not None:
        cell.number_format = fmt
    return cell


def header_cell(sheet, text: str):
    cell = WriteOnlyCell(sheet, value=spreadsheet_text(text))
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGNMENT
    cell.border = HEADER_BORDER
    return cell


def write_xlsx(
    stream,
    columns: Sequence[ExcelColumn],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Sheet1",
    extra_sheets: Sequence[tuple[str, Sequence[ExcelColumn], Iterable[Sequence]]] = (),
) -> None:
    """Write one header row and the data rows (streamed: memory does not grow with the rows).

    Lists go through `programs.xlsx_stream`, which writes the sheet XML itself (64,061 companies:
    ~3 s instead of ~40 s with openpyxl's write-only cells) under the same rules as `excel_cell`."""
    write_sheets(
        stream,
        [
            (
                title,
                [
                    (column.header, resolve_format(column.number_format), column_width(column))
                    for column in sheet_columns
                ],
                sheet_rows,
            )
            for title, sheet_columns, sheet_rows in [(sheet_title, columns, rows), *extra_sheets]
        ],
    )


def column_width(column: ExcelColumn) -> float:
    return column.width or min(max(display_width(column.header) + 4, 10), 50)


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return str(value)
    value = spreadsheet_text(value)  # as in .xlsx, so that the file can be imported again
    return CSV_TEXT_MARK + value if is_formula_like(value) else value


def write_csv(stream, columns: Sequence[ExcelColumn], rows: Iterable[Sequence]) -> None:
    """UTF-8 with BOM (Excel opens it as Korean text); formula-like text gets a leading apostrophe.

    Numbers are written bare (a negative number is a number, not a formula, and stays one)."""
    text_stream = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    writer = csv.writer(text_stream)
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    text_stream.flush()
    text_stream.detach()
