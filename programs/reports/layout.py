"""Sheet layout of the committee workbook: title block, chart on top, tables, print setup.

Every figure is written as a number cell with the plan's number format (#,##0, △ for negatives,
one decimal for rates only), never as text, so that a committee member can sum and chart it;
only labels such as 신규 or 연중 are text.

Printing (A4 landscape, fitted to the page width) is laid out here, not left to the spreadsheet:
- a sheet is a grid of fixed column widths; a table's column may span several grid columns (merged
  cells), so tables of different shapes can share a sheet and still be readable;
- each table has its own caption and header row. A manual page break goes before a table that
  would not fit on the rest of the page, so pages break between tables; a table longer than a page
  is continued on the next page under its caption "(계속)" and header again. No sheet-wide
  print_title_rows, which would repeat one table's header above another's rows;
- the chart a committee member looks at first sits at the top of every sheet.

Heights are estimated from the row heights this module sets itself (every row gets an explicit
height, wrapped text included), and the print scale from the grid's widths, so the page breaks
are where Excel and LibreOffice put the page ends.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from programs.excel import HEADER_BORDER, HEADER_FILL, HEADER_FONT, is_formula_like, spreadsheet_text
from programs.formats import EXCEL_MILLION_FORMAT, EXCEL_RATE_FORMAT, MILLION, NEGATIVE_MARK

TITLE_FONT = Font(bold=True, size=14)
CAPTION_FONT = Font(bold=True, size=11, color="1F3864")
NOTE_FONT = Font(size=9, color="595959")
TOTAL_FONT = Font(bold=True)
SUBTOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="BDD7EE")
WARNING_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="BFBFBF")
CELL_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TEXT_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
CENTER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
NUMBER_ALIGNMENT = Alignment(horizontal="right", vertical="center")

COUNT_FORMAT = f'#,##0;"{NEGATIVE_MARK}"#,##0;0'
FORMATS = {
    "million": EXCEL_MILLION_FORMAT,
    "rate": EXCEL_RATE_FORMAT,
    "count": COUNT_FORMAT,
}


def figure_format(places: int) -> str:
    """#,##0 for whole numbers, one (or more) decimals for rates and 억원, △ for negatives."""
    if places <= 0:
        return COUNT_FORMAT
    digits = "0" * places
    return f'#,##0.{digits};"{NEGATIVE_MARK}"#,##0.{digits};0.{digits}'


# Page geometry (mm): A4 landscape with the margins set in `finish`.
PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0
MARGIN_LEFT = MARGIN_RIGHT = 0.4 * 25.4
MARGIN_TOP, MARGIN_BOTTOM = 0.55 * 25.4, 0.65 * 25.4
USABLE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
USABLE_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
FIT_SAFETY = 0.97  # the estimate of heights is rough: keep a margin so no table end is cut
PT = 25.4 / 72  # mm per point
LINE_HEIGHT = 15.0  # points per line of text (Calibri 11 and its Korean fallback)
TITLE_HEIGHT, CAPTION_HEIGHT, NOTE_HEIGHT = 24.0, 20.0, 14.0
MIN_SCALE = 0.70  # below this a printed page is no longer readable: sheets are designed above it


def text_width(text: str) -> float:
    """Width of a text in column units (the width of a digit): a Hangul syllable is about 1.85 digits
    in 맑은 고딕 next to Calibri, Latin letters, spaces and signs a little less than one."""
    return sum(1.85 if ord(char) > 0x1100 else 0.9 for char in text)


def wrapped_lines(text: str, width: float) -> int:
    """Lines a text takes in a column of `width` when wrapped at spaces, as spreadsheets do."""
    lines, line = 1, 0.0
    for word in text.split(" "):
        size = text_width(word)
        if line and line + 0.9 + size > width:
            lines, line = lines + 1, 0.0
        while size > width:  # a word longer than the column is cut where it overflows
            lines, size = lines + 1, size - width
        line += (0.9 if line else 0) + size
    return lines


def column_mm(width: float) -> float:
    """Printed width of a column of `width` characters (7 px per character plus 5 px padding)."""
    return (width * 7 + 5) * 25.4 / 96


class _StyleList(IndexedList):
    """A workbook's list of fonts, fills, borders, alignments or protections that knows the objects
    it has already been given.

    openpyxl stores a cell's style as indices into these lists: every `cell.border = CELL_BORDER`
    hashes the border (recursively: sides, colours) and compares it field by field with the stored
    one to find its index — ~15,000 times for the committee workbook, a third of the time spent
    writing its cells. The report sets the same few module-level style objects again and again, so
    the index of an object already seen is remembered by identity (the object is kept, so its id
    cannot be reused). Style objects are never changed once set (openpyxl's own index would break
    too), so every cell gets the index it would have got: the file is the same."""

    def __init__(self, items):
        super().__init__(items)
        self._seen: dict[int, tuple[object, int]] = {}

    def add(self, value):
        seen = self._seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        index = super().add(value)
        self._seen[id(value)] = (value, index)
        return index


def report_workbook() -> Workbook:
    """An empty workbook whose style lists remember the style objects they were given (_StyleList)."""
    workbook = Workbook()
    for name in ("_fonts", "_fills", "_borders", "_alignments", "_protections"):
        setattr(workbook, name, _StyleList(getattr(workbook, name)))
    return workbook


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | center | million | rate | count | figure (value given as Figure)
    span: int = 1  # grid columns the column covers (merged cells)
    group: str = ""  # a heading over adjacent columns (a second header row, as the plan's tables have)


@dataclass(frozen=True)
class Figure:
    """A number with the decimals it is shown with (검증: counts without, rates with one)."""

    value: Decimal | int | float
    places: int = 0


@dataclass(frozen=True)
class Merged:
    """A value written across this and the next `count - 1` columns of its row (e.g. 연중 over 1Q~4Q)."""

    value: str
    count: int


@dataclass
class Row:
    values: list
    style: str | None = None  # subtotal | total | warning


@dataclass
class TableRange:
    """Where a table landed: its header row, its data rows (a continued table skips the repeated
    caption and header), and each column's first grid column."""

    sheet: Worksheet
    caption: str
    columns: list[Column]
    header_row: int
    rows: list[int]
    starts: list[int] = field(default_factory=list)

    @property
    def first_row(self) -> int:
        return self.rows[0] if self.rows else self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.rows[-1] if self.rows else self.header_row

    def col(self, index: int) -> int:
        return self.starts[index]

    def series(self, index: int, *, name: str | None = None, rows: list[int] | None = None, categories: int = 0):
        """A chart series over the values of column `index` (all data rows, or `rows`)."""
        return rows_series(
            self.sheet,
            values_column=self.col(index),
            categories_column=self.col(categories),
            rows=rows if rows is not None else self.rows,
            name=name if name is not None else self.columns[index].header,
        )


def million_value(amount_won: int | None):
    """A won amount as the number of 백만원 written in the cell (exact for whole millions)."""
    if amount_won is None:
        return None
    value = Decimal(amount_won) / MILLION
    return int(value) if value == value.to_integral_value() else float(value)


def _cell_value(value):
    if isinstance(value, Figure):
        value = value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return spreadsheet_text(value)  # stored names may hold characters a spreadsheet cannot


class SheetWriter:
    """Writes one report sheet top-down: title block, chart space, tables, then print setup."""

    def __init__(self, sheet: Worksheet, *, title: str, subtitle: str, grid: list[float]):
        self.sheet = sheet
        self.grid = grid
        total_mm = sum(column_mm(width) for width in grid)
        self.scale = min(1.0, USABLE_WIDTH / total_mm)
        self.capacity = USABLE_HEIGHT / self.scale * FIT_SAFETY  # mm of sheet per printed page
        self.used = 0.0
        self.tables: list[TableRange] = []
        self._line(title, TITLE_FONT, TITLE_HEIGHT)
        self._line(subtitle, NOTE_FONT, LINE_HEIGHT)

    # -- rows -------------------------------------------------------------------------------
    @property
    def next_row(self) -> int:
        return self.sheet.max_row + 1 if self.sheet._cells else 1

    def _set_height(self, row: int, points: float) -> None:
        self.sheet.row_dimensions[row].height = points
        self.used += points * PT

    def _line(self, text: str, font: Font, height: float) -> int:
        row = self.next_row
        cell = self.sheet.cell(row=row, column=1, value=spreadsheet_text(text))
        cell.font = font
        self._set_height(row, height)
        return row

    def blank(self, height: float = 8.0) -> None:
        self._set_height(self._touch(), height)

    def _touch(self) -> int:
        """Create the next row (an empty cell is enough for it to exist) and return its number."""
        row = self.next_row
        self.sheet.cell(row=row, column=1)
        return row

    def note(self, text: str) -> None:
        lines = self._lines(text, sum(self.grid))
        row = self._line(text, NOTE_FONT, NOTE_HEIGHT * lines)
        end = get_column_letter(len(self.grid))
        self.sheet.merge_cells(f"A{row}:{end}{row}")
        self.sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")

    def page_break(self) -> None:
        """A manual break after the last written row: what follows starts a printed page."""
        last = self.sheet.max_row
        if last and not any(brk.id == last for brk in self.sheet.row_breaks.brk):
            self.sheet.row_breaks.append(Break(id=last))
        self.used = 0.0

    # -- chart space ------------------------------------------------------------------------
    def reserve(self, height_cm: float) -> str:
        """Blank rows for a chart of `height_cm`; returns the anchor cell for `add_chart`."""
        self.blank(6)
        anchor = f"A{self.next_row}"
        rows = math.ceil(height_cm * 10 / (LINE_HEIGHT * PT)) + 1
        for _ in range(rows):
            self._set_height(self._touch(), LINE_HEIGHT)
        return anchor

    def chart_height(self, wanted_cm: float, minimum_cm: float = 7.0) -> float:
        """A chart height between `minimum_cm` and what is left of the page below the title."""
        available = (self.capacity - self.used) / 10 - 1.0
        return round(max(minimum_cm, min(wanted_cm, available)), 1)

    @property
    def chart_width_cm(self) -> float:
        width_mm = sum(column_mm(width) for width in self.grid)
        return round(min(width_mm, 260) / 10 - 0.5, 1)

    # -- tables -----------------------------------------------------------------------------
    def table(
        self, caption: str, columns: list[Column], rows: list, *, note: str | None = None, keep: bool = False
    ) -> TableRange:
        """Write a captioned table. `keep`: stay on the current page even if it runs over."""
        starts, position = [], 1
        for column in columns:
            starts.append(position)
            position += column.span
        if position - 1 > len(self.grid):
            raise ValueError(f"표 '{caption}'의 열({position - 1})이 시트 격자({len(self.grid)})보다 많습니다.")
        rows = [row if isinstance(row, Row) else Row(list(row)) for row in rows]
        heights = [self._row_height(row.values, columns, starts) for row in rows]
        header_height = self._header_height(columns, starts)
        block = (CAPTION_HEIGHT + header_height + sum(heights) + (NOTE_HEIGHT if note else 0)) * PT
        if self.tables or self.used > 0:
            self.blank()
        if not keep and self.used > 0 and self.used + block > self.capacity:
            self.page_break()
        self._line(caption, CAPTION_FONT, CAPTION_HEIGHT)
        header_row = self._header(columns, starts, header_height)
        written = []
        for row, height in zip(rows, heights, strict=True):
            if self.used + height * PT > self.capacity and self.sheet.max_row > header_row:
                self.page_break()
                self._line(f"{caption} (계속)", CAPTION_FONT, CAPTION_HEIGHT)
                self._header(columns, starts, header_height)
            written.append(self._row(row, columns, starts, height))
        if note:
            self.note(note)
        table = TableRange(self.sheet, caption, columns, header_row, written, starts)
        self.tables.append(table)
        return table

    def _span_width(self, start: int, span: int) -> float:
        return sum(self.grid[start - 1 : start - 1 + span])

    def _lines(self, text: str, width: float) -> int:
        return sum(wrapped_lines(part, max(width - 1, 1)) for part in str(text).split("\n"))

    def _header_height(self, columns, starts) -> float:
        lines = max(self._lines(c.header, self._span_width(s, c.span)) for c, s in zip(columns, starts, strict=True))
        grouped = LINE_HEIGHT + 4 if any(column.group for column in columns) else 0
        return LINE_HEIGHT * lines + 6 + grouped

    def _row_height(self, values, columns, starts) -> float:
        lines = 1
        for value, column, start in zip(values, columns, starts, strict=False):
            if isinstance(value, str) and value:
                lines = max(lines, self._lines(value, self._span_width(start, column.span)))
        return LINE_HEIGHT * lines + (2 if lines > 1 else 0)

    def _merge(self, row: int, start: int, span: int) -> None:
        if span > 1:
            self.sheet.merge_cells(start_row=row, start_column=start, end_row=row, end_column=start + span - 1)

    def _header(self, columns, starts, height) -> int:
        """One header row, or two when columns are grouped (사업체 over 계획 | 비중 | 등록 ...)."""
        grouped = any(column.group for column in columns)
        top = self.next_row
        row = top + 1 if grouped else top
        for column, start in zip(columns, starts, strict=True):
            for cell_row in range(top, row + 1):
                for offset in range(column.span):
                    cell = self.sheet.cell(row=cell_row, column=start + offset)
                    cell.fill, cell.border = HEADER_FILL, HEADER_BORDER
            first = top if grouped and not column.group else row
            cell = self.sheet.cell(row=first, column=start, value=spreadsheet_text(column.header))
            cell.font, cell.alignment = HEADER_FONT, HEADER_ALIGNMENT
            end = start + column.span - 1
            if first != row or end != start:
                self.sheet.merge_cells(start_row=first, start_column=start, end_row=row, end_column=end)
        if grouped:
            index = 0
            while index < len(columns):
                group = columns[index].group
                last = index
                while last + 1 < len(columns) and group and columns[last + 1].group == group:
                    last += 1
                if group:
                    cell = self.sheet.cell(row=top, column=starts[index], value=spreadsheet_text(group))
                    cell.font, cell.alignment = HEADER_FONT, HEADER_ALIGNMENT
                    end = starts[last] + columns[last].span - 1
                    if end != starts[index]:
                        self.sheet.merge_cells(start_row=top, start_column=starts[index], end_row=top, end_column=end)
                index = last + 1
            self._set_height(top, LINE_HEIGHT + 4)
            height -= LINE_HEIGHT + 4
        self._set_height(row, height)
        return row

    def _row(self, row: Row, columns, starts, height) -> int:
        number = self.next_row
        covered_until = -1
        for index, (value, column, start) in enumerate(zip(row.values, columns, starts, strict=False)):
            for offset in range(column.span):
                border_cell = self.sheet.cell(row=number, column=start + offset)
                border_cell.border = CELL_BORDER
                self._style(border_cell, row.style)
            if index <= covered_until:
                continue
            if isinstance(value, Merged):
                last = index + value.count - 1
                end = starts[last] + columns[last].span - 1
                cell = self.sheet.cell(row=number, column=start, value=value.value)
                cell.alignment = CENTER_ALIGNMENT
                self.sheet.merge_cells(start_row=number, start_column=start, end_row=number, end_column=end)
                covered_until = last
                continue
            cell = self.sheet.cell(row=number, column=start, value=_cell_value(value))
            if is_formula_like(value):  # text such as "=..." stays text, as in every export
                cell.data_type, cell.quotePrefix = "s", True
            number_format = None
            if isinstance(value, Figure):
                number_format = figure_format(value.places)
            elif column.kind in FORMATS and isinstance(value, int | float | Decimal):
                number_format = FORMATS[column.kind]
            if number_format:
                cell.number_format = number_format
                cell.alignment = NUMBER_ALIGNMENT
            elif column.kind == "center" or (isinstance(value, str) and column.kind != "text"):
                cell.alignment = CENTER_ALIGNMENT
            else:
                cell.alignment = TEXT_ALIGNMENT
            self._merge(number, start, column.span)
        self._set_height(number, height)
        return number

    @staticmethod
    def _style(cell, style) -> None:
        if style == "subtotal":
            cell.font, cell.fill = TOTAL_FONT, SUBTOTAL_FILL
        elif style == "total":
            cell.font, cell.fill = TOTAL_FONT, TOTAL_FILL
        elif style == "warning":
            cell.fill = WARNING_FILL

    # -- print setup ------------------------------------------------------------------------
    def finish(self) -> Worksheet:
        for index, width in enumerate(self.grid, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        setup = self.sheet.page_setup
        setup.orientation = "landscape"
        setup.paperSize = self.sheet.PAPERSIZE_A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        margins = self.sheet.page_margins
        margins.left = margins.right = MARGIN_LEFT / 25.4
        margins.top, margins.bottom = MARGIN_TOP / 25.4, MARGIN_BOTTOM / 25.4
        margins.header, margins.footer = 0.2, 0.25
        self.sheet.oddFooter.center.text = "&A — &P쪽"
        self.sheet.oddFooter.center.size = 9
        self.sheet.print_options.horizontalCentered = True
        self.sheet.sheet_view.showGridLines = False
        return self.sheet


CHART_FONT = "맑은 고딕"  # Korean text in charts; LibreOffice falls back to an installed Korean font


def _text_properties(size: int, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(
        sz=size * 100, b=bold, latin=DrawingFont(typeface=CHART_FONT), ea=DrawingFont(typeface=CHART_FONT)
    )


def _rich(size: int) -> RichText:
    properties = _text_properties(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)])


def _title(text: str, size: int) -> Title:
    properties = _text_properties(size, bold=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=properties), r=[RegularTextRun(rPr=properties, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _axes(chart, x_title: str | None, y_title: str | None) -> None:
    """Visible axes (openpyxl 3.1 hides both unless told not to), titled, in readable sizes."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if x_title:
        chart.x_axis.title = _title(x_title, 9)
    if y_title:
        chart.y_axis.title = _title(y_title, 9)
    chart.x_axis.txPr = _rich(9)
    chart.y_axis.txPr = _rich(9)
    chart.legend.position = "b"
    chart.legend.txPr = _rich(9)


def _labels(number_format: str | None) -> DataLabelList:
    labels = DataLabelList(txPr=_rich(8))
    labels.showVal = True
    labels.showSerName = labels.showCatName = labels.showLegendKey = labels.showPercent = False
    if number_format:
        labels.numFmt = number_format
    return labels


def bar_chart(
    title: str,
    *,
    y_title: str,
    x_title: str | None = None,
    horizontal: bool = False,
    stacked: bool = False,
    width: float = 24.0,
    height: float = 7.5,
    labels: bool = False,
    number_format: str | None = None,
) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = _title(title, 12)
    chart.style = 10
    chart.gapWidth = 60
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    chart.width, chart.height = width, height
    _axes(chart, x_title, y_title)
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    if number_format:
        chart.y_axis.numFmt = number_format
    if labels:
        chart.dataLabels = _labels(number_format)
    return chart


def line_chart(title: str, *, y_title: str, x_title: str | None = None, width=24.0, height=7.5) -> LineChart:
    chart = LineChart()
    chart.title = _title(title, 12)
    chart.style = 10
    chart.width, chart.height = width, height
    _axes(chart, x_title, y_title)
    chart.dataLabels = _labels("0.0")
    return chart


def _ranges(sheet: Worksheet, column: int, rows: list[int]) -> str:
    """An Excel union reference over the given rows of one column: ('S'!$H$5:$H$9,'S'!$H$11:$H$20)."""
    letter = get_column_letter(column)
    runs, start = [], rows[0]
    for previous, current in zip(rows, [*rows[1:], None], strict=True):
        if current != previous + 1:
            runs.append(f"'{sheet.title}'!${letter}${start}:${letter}${previous}")
            start = current
    return runs[0] if len(runs) == 1 else "(" + ",".join(runs) + ")"


def rows_series(sheet: Worksheet, *, values_column: int, categories_column: int, rows: list[int], name: str) -> Series:
    """A series over rows that need not be adjacent (programs without the subtotal rows between them)."""
    series = Series(val=NumDataSource(numRef=NumRef(f=_ranges(sheet, values_column, rows))), tx=SeriesLabel(v=name))
    series.cat = AxDataSource(strRef=StrRef(f=_ranges(sheet, categories_column, rows)))
    return series
