"""Sheet layout shared by the report sheets: title block, styled headers, number cells, print setup.

Every figure is written as a number cell with a number format (never as text), so a committee
member can sum and chart it; only labels such as 신규 are text.
"""

from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from programs.excel import (
    HEADER_ALIGNMENT,
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    display_width,
    is_formula_like,
    spreadsheet_text,
)
from programs.formats import EXCEL_COUNT_FORMAT, EXCEL_MILLION_FORMAT, EXCEL_RATE_FORMAT, MILLION

TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(size=9, color="595959")
TOTAL_FONT = Font(bold=True)
SUBTOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="BDD7EE")
WARNING_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="BFBFBF")
CELL_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

FORMATS = {
    "million": EXCEL_MILLION_FORMAT,
    "rate": EXCEL_RATE_FORMAT,
    "count": EXCEL_COUNT_FORMAT,
    "decimal": "#,##0.0",
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | million | rate | count | decimal
    width: float | None = None


def million_value(amount_won: int | None):
    """A won amount as the number of 백만원 written in the cell (exact for whole millions)."""
    if amount_won is None:
        return None
    value = Decimal(amount_won) / MILLION
    return int(value) if value == value.to_integral_value() else float(value)


class SheetWriter:
    """Writes one report sheet top-down: title block, header row, data rows, then print setup."""

    def __init__(self, sheet: Worksheet, *, title: str, subtitle: str, columns: list[Column]):
        self.sheet = sheet
        self.columns = columns
        self.widths = [column.width or display_width(column.header) + 2 for column in columns]
        sheet.append([spreadsheet_text(title)])
        sheet.cell(row=1, column=1).font = TITLE_FONT
        sheet.append([spreadsheet_text(subtitle)])
        sheet.cell(row=2, column=1).font = NOTE_FONT
        sheet.append([])
        self.header(columns)
        self.header_row = sheet.max_row
        sheet.freeze_panes = f"A{self.header_row + 1}"  # a string: sheet.cell() would create a row

    def header(self, columns: list[Column]) -> None:
        self.sheet.append([spreadsheet_text(column.header) for column in columns])
        row = self.sheet.max_row
        for index in range(1, len(columns) + 1):
            cell = self.sheet.cell(row=row, column=index)
            cell.font, cell.fill, cell.alignment, cell.border = (
                HEADER_FONT,
                HEADER_FILL,
                HEADER_ALIGNMENT,
                HEADER_BORDER,
            )
        self.sheet.row_dimensions[row].height = 30

    def row(self, values: list, *, style: str | None = None, columns: list[Column] | None = None) -> int:
        columns = columns or self.columns
        values = [spreadsheet_text(value) for value in values]  # stored names may hold any character
        self.sheet.append(values)
        row = self.sheet.max_row
        for index, (value, column) in enumerate(zip(values, columns, strict=False), start=1):
            cell = self.sheet.cell(row=row, column=index)
            cell.border = CELL_BORDER
            if is_formula_like(value):  # text such as "=..." stays text, as in every export
                cell.data_type, cell.quotePrefix = "s", True
            if column.kind in FORMATS and isinstance(value, int | float | Decimal):
                cell.number_format = FORMATS[column.kind]
                cell.alignment = Alignment(horizontal="right")
            elif isinstance(value, str) and column.kind != "text":
                cell.alignment = Alignment(horizontal="right")
            if style == "subtotal":
                cell.font, cell.fill = TOTAL_FONT, SUBTOTAL_FILL
            elif style == "total":
                cell.font, cell.fill = TOTAL_FONT, TOTAL_FILL
            elif style == "warning":
                cell.fill = WARNING_FILL
            if index <= len(self.widths) and value is not None:
                shown = (
                    f"{value:,.1f}"
                    if isinstance(value, float)
                    else f"{value:,}"
                    if isinstance(value, int)
                    else str(value)
                )
                self.widths[index - 1] = max(self.widths[index - 1], min(display_width(shown) + 2, 60))
        return row

    def blank(self) -> None:
        self.sheet.append([])

    def note(self, text: str) -> None:
        self.sheet.append([spreadsheet_text(text)])
        self.sheet.cell(row=self.sheet.max_row, column=1).font = NOTE_FONT

    def finish(self) -> Worksheet:
        for index, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        setup = self.sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = self.sheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.print_title_rows = f"{self.header_row}:{self.header_row}"
        return self.sheet
