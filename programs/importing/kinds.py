"""What an import/export kind declares, and the registry of kinds.

A kind is a subclass of `ImportExportKind` registered with `@register` in an app's
`resources.py` (found with Django's `autodiscover_modules`). The generic pipeline
(`programs.importing.pipeline`) reads the file and parses every cell with the columns' parsers,
a chunk of `chunk_rows` rows at a time; for each chunk the kind does its bulk look-ups once
(`prepare`), turns each row into model values and a natural key (`resolve_row`), and the
pipeline fetches the stored rows by that key in bulk (`existing_values`), checks rules across
fields (`validate_row`) and writes only what changed.
"""

import copy
import datetime
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.module_loading import autodiscover_modules

from programs.excel import ExcelColumn
from programs.versioning import is_versioned


class RowProblem(Exception):
    """Raised by `ImportExportKind.resolve_row` for a value that refers to nothing or breaks a rule."""

    def __init__(self, column: str, value, message: str):
        super().__init__(message)
        self.column, self.value, self.message = column, value, message


class SkipRow(Exception):  # noqa: N818 (a signal, not an error)
    """Raised by `resolve_row` for a row that is checked but not written (e.g. a 소계 row)."""


@dataclass(frozen=True)
class Column:
    """One spreadsheet column.

    `attr` names the parsed value in a row's `data`; `parse` turns a raw cell into it (raising
    `programs.importing.cells.CellError`); `export` gives the cell of an exported object.
    `importable=False` marks columns shown in exports only (derived values such as 매출 규모).
    """

    header: str
    attr: str
    parse: Callable | None = None
    export: Callable[[object], object] | None = None
    required: bool = False
    importable: bool = True
    number_format: str | None = None
    width: float | None = None
    aliases: tuple[str, ...] = ()
    note: str = ""

    @property
    def excel(self) -> ExcelColumn:
        return ExcelColumn(self.header, self.number_format, self.width)


@dataclass(slots=True)
class ParsedRow:
    # Slots and no copy of the raw cells: an import of 64,061 rows keeps one of these per row.
    row_number: int  # as the spreadsheet shows it
    data: Mapping[str, object] = field(default_factory=dict)  # attr → parsed value (read-only)
    values: dict[str, object] = field(default_factory=dict)  # model attname → value to store
    key: tuple | None = None


def json_value(value):
    """A value as it goes into ImportBatchRow.before (JSON): dates as ISO text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    return value


def filter_in(queryset: QuerySet, attname: str, values: Sequence) -> QuerySet:
    """`queryset.filter(<attname>__in=values)`, with the whole list as one parameter.

    With thousands of keys, `IN (%s, %s, ...)` costs more to build and send (Django compiles and
    prepares a placeholder per value; psycopg splits the query text) than the database takes to
    answer. On PostgreSQL `= ANY(%s)` passes the list as one array; on SQLite
    `IN (SELECT value FROM json_each(%s))` passes it as one JSON text (texts and integers only:
    other values keep Django's IN)."""
    model = queryset.model
    vendor = connections[queryset.db].vendor
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    quote = connections[queryset.db].ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(field.column)}"
    if vendor == "postgresql":
        return queryset.filter(RawSQL(f"{column} = ANY(%s)", (list(values),), output_field=BooleanField()))
    if vendor == "sqlite" and all(type(value) in (str, int) for value in values):
        listed = json.dumps(list(values), ensure_ascii=False)
        condition = f"{column} IN (SELECT value FROM json_each(%s))"
        return queryset.filter(RawSQL(condition, (listed,), output_field=BooleanField()))
    return queryset.filter(**{f"{attname}__in": values})


class ImportExportKind:
    """Declare `name` (a programs.choices.ImportKind value), `label`, `model`, `columns` and
    `key_fields` (model attnames of the natural key), then implement `resolve_row` (and `prepare`
    for its look-ups)."""

    name: str
    label: str
    model: type[Model]
    columns: Sequence[Column] = ()
    key_fields: tuple[str, ...] = ()
    # Many-to-many fields a row may set: row.values[name] is a frozenset of related ids.
    m2m_fields: tuple[str, ...] = ()
    sheet_title: str = "자료"
    template_example: Sequence | None = None
    # Rows parsed, resolved, compared and written at a time (memory does not grow with the file);
    # None reads the file whole: for kinds whose checks, warnings or after_write need every row.
    chunk_rows: int | None = settings.IMPORT_CHUNK_ROWS

    def for_run(self) -> "ImportExportKind":
        """This kind for one import or preview: get_kind() hands every caller the same object, and
        the look-ups prepare_run and prepare keep on it must not be another import's (two staff
        importing at once in one threaded web process)."""
        return copy.copy(self)

    # --- reading -------------------------------------------------------------------------------
    def importable_columns(self) -> list[Column]:
        return [column for column in self.columns if column.importable]

    def expect_rows(self, count: int) -> None:
        """About how many rows the file holds (its last used row, before any is read): for a
        progress bar (programs.tasks.ProgressKind)."""

    def prepare_run(self) -> None:
        """Look-ups that do not depend on the rows (names of 시·도, 업종, 사업 ...), once per import
        before its first chunk: a chunk then reaches the database first when its rows are compared
        (on PostgreSQL, what the previous chunk sent keeps running meanwhile: pipeline.write_chunk)."""

    def prepare(self, rows: list[ParsedRow]) -> None:
        """Bulk look-ups of a chunk's rows before `resolve_row` runs for each (one query per table)."""

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        """Fill `row.values` (model attnames) and `row.key`; raise RowProblem for a bad value.

        `present` holds the attrs whose column is in the file: absent columns leave stored values
        alone, so a partial file updates only what it carries."""
        raise NotImplementedError

    def existing_values(self, keys: set[tuple], fields: Sequence[str]) -> dict[tuple, dict]:
        """Stored rows by natural key: {key: {"pk": ..., "version": ..., field: value, ...}}, fetched in bulk.

        "version" (programs.versioning) is what the write re-checks under row locks."""
        found: dict[tuple, dict] = {}
        key_fields = list(self.key_fields)
        first = key_fields[0]
        firsts = sorted({key[0] for key in keys})
        versioned = ["version"] if is_versioned(self.model) else []
        for start in range(0, len(firsts), 5000):
            queryset = filter_in(self.model._default_manager.all(), first, firsts[start : start + 5000])
            plain = [name for name in fields if name not in self.m2m_fields]
            names = ["pk", *dict.fromkeys([*versioned, *key_fields, *plain])]
            for record in queryset.values_list(*names):
                values = dict(zip(names, record, strict=True))
                key = tuple(values[name] for name in key_fields)
                if key in keys:
                    found[key] = values
        self._add_m2m_values(found, [name for name in fields if name in self.m2m_fields])
        return found

    def _add_m2m_values(self, found: dict[tuple, dict], names: list[str]) -> None:
        """Stored many-to-many ids as frozensets, one query per field."""
        if not names or not found:
            return
        by_pk = {values["pk"]: values for values in found.values()}
        for name in names:
            field = self.model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_column_name(), field.m2m_reverse_name()  # e.g. center_id, industry_id
            related: dict[int, set] = {pk: set() for pk in by_pk}
            pairs = filter_in(through.objects.all(), source, list(by_pk)).values_list(source, target)
            for owner, target_id in pairs:
                related[owner].add(target_id)
            for pk, ids in related.items():
                by_pk[pk][name] = frozenset(ids)

    def validate_row(self, values: dict, stored: dict | None) -> None:
        """Rules across fields or against the stored row (e.g. status transitions); raise RowProblem."""

    def after_write(self, result, user) -> None:
        """Writes that follow from the rows, in the import's transaction (e.g. a table's row order).

        Every row written here is recorded in the batch (`pipeline.record_batch_rows`, with its
        values before and its version after), so that undo restores it with the file's rows."""

    def undo_refusal(self, batch) -> str | None:
        """Why `batch` may no longer be undone, beyond the generic checks (undo.py); None if it may."""
        return None

    def before_undo_restore(self, model, before: dict[int, dict]) -> str | None:
        """Inside the undo's transaction, before rows of `model` get back their values `before`
        ({pk: {attname: value}}): make room for them (e.g. unique orders), or return why not."""
        return None

    def stamp(self, values: dict, user) -> None:
        """Add values that come from who imports (e.g. 입력자) to a row about to be written."""

    def warnings(self, result) -> list[str]:
        """Things worth a second look that do not stop the import (e.g. execution above budget)."""
        return []

    def display_value(self, attname: str, value):
        """A stored or imported value as the preview shows it: names for related rows, 예/아니오 ..."""
        if value is None or value == "":
            return "(빈 칸)"
        if attname in self.m2m_fields:
            related = self.model._meta.get_field(attname).related_model
            return ", ".join(str(obj) for obj in related.objects.filter(pk__in=value)) or "(없음)"
        field = next((f for f in self.model._meta.concrete_fields if f.attname == attname), None)
        if field is not None and field.is_relation:
            related = field.related_model.objects.filter(pk=value).first()
            return str(related) if related else value
        if field is not None and field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "예" if value else "아니오"
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, int) and not (field is not None and field.name.endswith("year")):
            return f"{value:,}"
        return value

    def field_label(self, attname: str) -> str:
        """The column header staff know a model field by, for the preview of changed rows."""
        for column in self.columns:
            if column.attr == attname or f"{column.attr}_id" == attname:
                return column.header
        field = next((f for f in self.model._meta.concrete_fields if f.attname == attname), None)
        return str(field.verbose_name) if field else attname

    def object_repr(self, row: ParsedRow) -> str:
        return " / ".join(str(part) for part in row.key or ())

    # --- writing exports -----------------------------------------------------------------------
    def export_queryset(self, queryset: QuerySet | None = None) -> QuerySet:
        return self.model._default_manager.all() if queryset is None else queryset

    def export_rows(self, queryset: QuerySet) -> Iterable[list]:
        exporters = [column.export for column in self.columns]
        for obj in queryset.iterator(chunk_size=2000):
            yield [export(obj) if export else None for export in exporters]

    def template_sheets(self) -> list:
        """Extra sheets of the empty template: by default, one explaining the columns."""
        from programs.excel import ExcelColumn

        notes = [
            [
                column.header,
                "필수" if column.required else ("선택" if column.importable else "내보내기 전용"),
                column.note,
            ]
            for column in self.columns
        ]
        return [
            (
                "작성 안내",
                [ExcelColumn("열", width=24), ExcelColumn("구분", width=14), ExcelColumn("설명", width=80)],
                notes,
            )
        ]


_REGISTRY: dict[str, ImportExportKind] = {}
_discovered = False
_discovering = threading.RLock()


def register(kind_class: type[ImportExportKind]) -> type[ImportExportKind]:
    """Class decorator: make a kind available to the commands and the admin mixin."""
    _REGISTRY[kind_class.name] = kind_class()
    return kind_class


def _discover() -> None:
    # Kinds live in each app's resources.py, imported here so the registry is complete. Threads of
    # a server (or of a test) may ask at once: the others wait until the registry is full.
    global _discovered
    if _discovered:
        return
    with _discovering:
        if not _discovered:
            autodiscover_modules("resources")
            _discovered = True


def get_kind(name: str) -> ImportExportKind:
    _discover()
    try:
        return _REGISTRY[name]
    except KeyError:
        accepted = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"알 수 없는 가져오기 종류입니다: {name} (가능한 종류: {accepted})") from None


def registered_kinds() -> dict[str, ImportExportKind]:
    _discover()
    return dict(_REGISTRY)
