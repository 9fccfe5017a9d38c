"""Read the committee workbook back as a committee member sees it: captioned tables with headers.

A sheet holds several tables; each has a caption row, one header row (two when columns are grouped
under a heading, as in the plan's tables) and data rows. A table continued on the next printed
page repeats its caption with "(계속)" and its header; `tables` joins the parts again.
"""

import io
from dataclasses import dataclass, field

import openpyxl
from django.core.management import call_command

from programs.excel import HEADER_FILL
from programs.reports.committee import committee_report_bytes

CONTINUED = " (계속)"


@dataclass
class Table:
    caption: str
    headers: list[str]
    columns: list[int]  # sheet column of each header
    header_row: int
    rows: list[dict] = field(default_factory=list)  # header → value
    cells: list[dict] = field(default_factory=list)  # header → openpyxl cell
    row_numbers: list[int] = field(default_factory=list)

    def row(self, **match) -> dict:
        """The one data row whose values match, e.g. table.row(구분="수도권")."""
        found = [row for row in self.rows if all(row.get(key) == value for key, value in match.items())]
        assert len(found) == 1, (self.caption, match, found)
        return found[0]

    def column(self, header: str) -> list:
        return [row[header] for row in self.rows]


def workbook(**kwargs) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=2025, **kwargs)))


def build(tmp_path, *args) -> openpyxl.Workbook:
    path = tmp_path / "report.xlsx"
    call_command("committee_report", "--year", "2025", "--output", str(path), *args, stdout=io.StringIO())
    return openpyxl.load_workbook(path)


def is_header(sheet, row: int) -> bool:
    """A header row: its cells have the header fill (cells merged into one above keep no style)."""
    return any(
        sheet.cell(row=row, column=column).fill.fgColor.rgb == HEADER_FILL.fgColor.rgb
        for column in range(1, min(sheet.max_column, 4) + 1)
    )


def _headers(sheet, first: int, last: int) -> tuple[list[str], list[int]]:
    """Headers of a one- or two-row header (group heading + column heading)."""
    headers, columns = [], []
    for column in range(1, sheet.max_column + 1):
        lower = sheet.cell(row=last, column=column).value
        upper = sheet.cell(row=first, column=column).value if first != last else None
        if lower is None and upper is None:
            continue
        if first != last and lower is None:  # a heading over one column, merged down
            headers.append(upper)
        else:
            group = _group(sheet, first, column) if first != last else None
            headers.append(f"{group} {lower}" if group else lower)
        columns.append(column)
    return headers, columns


def _group(sheet, row: int, column: int) -> str | None:
    """The group heading above `column` (the value of the merged range covering it)."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == row == merged.max_row and merged.min_col <= column <= merged.max_col:
            return sheet.cell(row=row, column=merged.min_col).value
    return sheet.cell(row=row, column=column).value


def tables(sheet) -> dict[str, Table]:
    """Every table of a sheet by caption (a continued table is joined to its first part)."""
    found: dict[str, Table] = {}
    row, last = 1, sheet.max_row
    while row <= last:
        if not is_header(sheet, row):
            row += 1
            continue
        first_header = row
        while row + 1 <= last and is_header(sheet, row + 1):
            row += 1
        caption = str(sheet.cell(row=first_header - 1, column=1).value or "")
        headers, columns = _headers(sheet, first_header, row)
        key = caption.removesuffix(CONTINUED)
        table = found.setdefault(key, Table(key, headers, columns, row))
        row += 1
        while row <= last and sheet.cell(row=row, column=1).border.left.style is not None:
            cells = {
                header: sheet.cell(row=row, column=column) for header, column in zip(headers, columns, strict=True)
            }
            table.cells.append(cells)
            table.rows.append({header: cell.value for header, cell in cells.items()})
            table.row_numbers.append(row)
            row += 1
    return found


def table(sheet, caption_start: str) -> Table:
    matches = [value for key, value in tables(sheet).items() if key.startswith(caption_start)]
    assert len(matches) == 1, (caption_start, list(tables(sheet)))
    return matches[0]
