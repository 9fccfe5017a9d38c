"""Exports and empty templates of a kind, in .xlsx or .csv (see programs.excel for the cell rules)."""

from programs.excel import write_csv, write_xlsx
from programs.importing.kinds import ImportExportKind

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def format_of(path_or_name: str, default: str = "xlsx") -> str:
    lowered = str(path_or_name).lower()
    return "csv" if lowered.endswith(".csv") else ("xlsx" if lowered.endswith(".xlsx") else default)


def export_kind(*, kind: ImportExportKind, stream, file_format: str = "xlsx", queryset=None) -> None:
    queryset = kind.export_queryset(queryset)
    columns = [column.excel for column in kind.columns]
    rows = kind.export_rows(queryset)
    if file_format == "csv":
        write_csv(stream, columns, rows)
    else:
        write_xlsx(stream, columns, rows, sheet_title=kind.sheet_title)


def write_template(*, kind: ImportExportKind, stream, file_format: str = "xlsx") -> None:
    """The import template: the header row only (and a sheet explaining the columns, in .xlsx)."""
    columns = [column.excel for column in kind.columns if column.importable]
    if file_format == "csv":
        write_csv(stream, columns, [])
    else:
        write_xlsx(stream, columns, [], sheet_title=kind.sheet_title, extra_sheets=kind.template_sheets())
