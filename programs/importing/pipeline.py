"""The all-or-nothing import pipeline shared by the admin and the `import_excel` command.

read (files.py) → map headers (each column once) → then, a chunk of `kind.chunk_rows` rows at a
time: parse cells (column parsers) → resolve in bulk (the kind) → check integers against their
model fields' ranges → compare with the stored rows fetched by natural key → and, when writing,
bulk inserts for new rows and bulk updates for changed rows (only the changed fields), recorded
in the import's ImportBatch. Then the checks that need the whole file (keys repeated across
chunks, rows changed since the preview). A preview (dry run) makes the same pass without writing;
an import makes it inside one transaction, rolled back if any row of any chunk is invalid.

Memory follows the chunk, not the file: between chunks only counts, errors, the compared
versions (`Snapshot`, three integer arrays) and a hash a key are kept, plus the Changes the
preview shows. (python-calamine holds the sheet's cells while it is read: files.read_table.)

Nothing lost to a concurrent writer (programs.versioning): the comparison reads each stored row's
version. The confirmation of a preview refuses rows whose version moved since the preview the user
approved (`expected`); before a chunk is written, the rows it changes are locked in pk order and
must still have the versions it compared, and a refused INSERT names the rows another writer
created meanwhile — otherwise it refuses, naming the rows, and writes nothing. Every written row
gets version + 1, recorded in its ImportBatchRow for undo.
"""

import base64
import hashlib
import sys
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from operator import itemgetter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from programs import access
from programs.choices import ImportRowAction
from programs.db_errors import database_message
from programs.history import changes_since, created_history_statement, record_import_history
from programs.importing.bulk import bump_versions, collecting, fast_insert, fast_update, reserve_ids, send_later
from programs.importing.cells import is_blank
from programs.importing.columns import column_parser, parse_column
from programs.importing.files import FileRejected, column_letter, read_table
from programs.importing.kinds import ImportExportKind, ParsedRow, RowProblem, SkipRow, json_value
from programs.models import ImportBatch, ImportBatchRow
from programs.versioning import is_versioned, lock_versions

HEADER_SEARCH_ROWS = 10
PREVIEW_ROWS = 50
KEPT_ERRORS = 2000  # reasons kept (the preview shows 500); the rest are counted


def visible_characters(text: str) -> str:
    """`text` with the control characters a spreadsheet cannot hold written as [U+000B]: shown in
    a refusal, they would otherwise break the line or vanish."""
    if text.isprintable():
        return text
    return ILLEGAL_CHARACTERS_RE.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


NOT_KEPT = object()  # a RowError's value when the row's cells are no longer held (a later chunk's check)


@dataclass
class RowError:
    """One reason a file cannot be imported, as the user sees it."""

    row_number: int | None  # spreadsheet row; None for a problem with the whole file
    column: str
    value: object
    message: str

    @property
    def value_display(self) -> str:
        if self.value is NOT_KEPT:
            return ""
        if is_blank(self.value):
            return "(빈 칸)"
        value = self.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # calamine reads every number as float; show it as Excel does
        elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            value = int(value)  # 1951.0 as 1951
        text = visible_characters(str(value))
        return text if len(text) <= 60 else text[:57] + "..."

    def __str__(self) -> str:
        if self.row_number is None:
            return self.message
        if self.value is NOT_KEPT:
            return f"{self.row_number}행 [{self.column}]: {self.message}"
        return f"{self.row_number}행 [{self.column}] 값 '{self.value_display}': {self.message}"


@dataclass
class Change:
    row: ParsedRow
    pk: int | None = None
    before: dict = field(default_factory=dict)  # attname → stored value (updated rows only)
    after: dict = field(default_factory=dict)
    label: str = ""  # what the row is, for the preview (e.g. 업체명 / 사업 / 연도)
    fields: list = field(default_factory=list)  # (column header, before, after) of updated rows
    version: int | None = None  # the stored row's version when it was compared (updated rows)


class Snapshot:
    """(row number, pk, version) of every compared row, in file order, as three compact arrays.

    What a preview saw, so that its confirmation can refuse rows changed since: a 600,000-row file
    costs 14 MB here (and in the JSON kept with the upload), not a dict entry per row. New rows
    have no pk (0 here, None outside); unversioned rows no version (-1)."""

    def __init__(self):
        self.rows, self.pks, self.versions = array("q"), array("q"), array("q")

    def add(self, row_number: int, pk: int | None, version: int | None) -> None:
        self.rows.append(row_number)
        self.pks.append(pk or 0)
        self.versions.append(-1 if version is None else version)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[int, int | None, int | None]]:
        for row_number, pk, version in zip(self.rows, self.pks, self.versions, strict=True):
            yield row_number, pk or None, None if version < 0 else version

    def as_json(self) -> dict:
        def encoded(values: array) -> str:
            if sys.byteorder != "little":
                values = array("q", values)
                values.byteswap()
            return base64.b64encode(values.tobytes()).decode("ascii")

        return {"format": 2, "rows": encoded(self.rows), "pks": encoded(self.pks), "versions": encoded(self.versions)}

    @classmethod
    def from_json(cls, data: dict) -> "Snapshot":
        snapshot = cls()
        if data.get("format") != 2:  # the first format: {row number: [pk, version]}
            for row_number, (pk, version) in sorted((int(number), was) for number, was in data.items()):
                snapshot.add(row_number, pk, version)
            return snapshot
        for name in ("rows", "pks", "versions"):
            values = array("q", base64.b64decode(data[name]))
            if sys.byteorder != "little":
                values.byteswap()
            setattr(snapshot, name, values)
        return snapshot


class RowSet:
    """Row numbers as a bitmap: which rows have an error, at one bit a row."""

    def __init__(self):
        self.bits = bytearray()
        self.count = 0

    def add(self, row_number: int) -> None:
        index, bit = divmod(row_number, 8)
        if index >= len(self.bits):
            self.bits.extend(bytes(index + 1 - len(self.bits) + 1024))
        if not self.bits[index] & (1 << bit):
            self.bits[index] |= 1 << bit
            self.count += 1


@dataclass
class ImportResult:
    """What an import found (and wrote). Counts cover every row; `new` and `updated` keep the
    Changes the preview shows (the first PREVIEW_ROWS), or every one for a kind read whole
    (`ImportExportKind.chunk_rows` None: its warnings and after_write look at all of them);
    `errors` keeps the reasons of the first rows (KEPT_ERRORS of them, in file order once the pass is
    over: `keep_first_errors`), `error_count` counts them all."""

    kind: ImportExportKind
    file_name: str
    sha256: str
    dry_run: bool
    new: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    new_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    compared: Snapshot = field(default_factory=Snapshot)
    errors: list[RowError] = field(default_factory=list)
    errors_left_off: int = 0
    invalid_rows: RowSet = field(default_factory=RowSet)
    warnings: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    batch: ImportBatch | None = None

    def add_error(self, error: RowError) -> None:
        if error.row_number is not None:
            self.invalid_rows.add(error.row_number)
        self.errors.append(error)
        if len(self.errors) >= 2 * KEPT_ERRORS:
            self.keep_first_errors()

    def keep_first_errors(self) -> None:
        """The errors in file order (problems of the whole file first), the first KEPT_ERRORS kept
        and the rest counted. Errors are not found in file order (a chunk's cell errors, then its
        look-ups; a parse block may run past the chunk): keeping the first ones found would show
        a later row's error and leave out an earlier row's."""
        self.errors.sort(key=lambda error: error.row_number or 0)  # stable: a row's in column order
        if len(self.errors) > KEPT_ERRORS:
            self.errors_left_off += len(self.errors) - KEPT_ERRORS
            del self.errors[KEPT_ERRORS:]

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_left_off

    @property
    def invalid_count(self) -> int:
        return self.invalid_rows.count

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.batch is not None

    @property
    def has_changes(self) -> bool:
        return bool(self.new_count or self.updated_count)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": self.new_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "invalid": self.invalid_count,
        }

    def snapshot(self) -> dict:
        """The versions this analysis compared, as JSON keeps them (`Snapshot.as_json`)."""
        return self.compared.as_json()

    def summary(self) -> str:
        c = self.counts
        return f"신규 {c['new']:,}건, 변경 {c['updated']:,}건, 변경 없음 {c['unchanged']:,}건, 오류 {c['invalid']:,}건"


def header_key(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def map_headers(kind: ImportExportKind, lines: Iterator[tuple[int, list]]) -> tuple[dict[int, object], list[str]]:
    """Read `lines` ((row number, cells) pairs) up to the header row, which must be among the first
    `HEADER_SEARCH_ROWS`; return {column index: Column} and the ignored headers.

    A column given twice (the same header, or two names of one column) is refused: which one
    holds the values would be a guess."""
    by_header = {}
    for column in kind.columns:
        for name in (column.header, *column.aliases):
            by_header[header_key(name)] = column
    for row_number, row in lines:
        if row_number > HEADER_SEARCH_ROWS:
            break
        matched = {i: by_header[header_key(cell)] for i, cell in enumerate(row) if header_key(cell) in by_header}
        if matched:
            refuse_repeated_columns(row_number, row, matched)
            ignored = [str(cell) for i, cell in enumerate(row) if i not in matched and not is_blank(cell)]
            return matched, ignored
    raise FileRejected(
        "머리글 행을 찾을 수 없습니다. 양식의 열 이름(예: "
        + ", ".join(column.header for column in kind.columns[:3])
        + ")을 첫 행에 두어 주세요."
    )


def refuse_repeated_columns(row_number: int, row: list, matched: dict[int, object]) -> None:
    first_index: dict[str, int] = {}
    for i, column in matched.items():
        if column.attr not in first_index:
            first_index[column.attr] = i
            continue
        first = first_index[column.attr]
        raise FileRejected(
            f"{row_number}행 머리글에 같은 열이 두 번 있습니다: {column_letter(first + 1)}열 '{row[first]}'과(와) "
            f"{column_letter(i + 1)}열 '{row[i]}'(둘 다 '{column.header}'). 하나만 남겨 주세요."
        )


PARSE_BLOCK_ROWS = 1000  # rows parsed together, a column at a time (columns.py)


def parse_rows(kind, lines: Iterator[tuple[int, list]], columns, result: ImportResult) -> Iterator[ParsedRow]:
    """Parse the rows after the header, a block at a time and a column at a time
    (`columns.parse_column`); rows with a cell error are reported, not given. A row's errors are
    reported in column order, as the file shows them. A given row holds its parsed values only
    (a dict by attr): the raw cells are dropped as soon as the block is parsed."""
    importable = [(i, column) for i, column in columns.items() if column.importable]
    attrs = [column.attr for _, column in importable]  # each attr once (map_headers)
    plan = [(i, column.parse, column_parser(column.parse), column.required, column.header) for i, column in importable]
    lines = iter(lines)
    while block := list(islice(lines, PARSE_BLOCK_ROWS)):
        numbers, raws = [], []
        for row_number, cells in block:
            if not all(is_blank(cell) for cell in cells):
                numbers.append(row_number)
                raws.append(cells)
        del block
        if not raws:
            continue
        parsed, problems = [], []
        short = min(map(len, raws))
        for position, (i, parse, bulk, required, header) in enumerate(plan):
            if i < short:
                column = [cells[i] for cells in raws]
            else:
                column = [cells[i] if i < len(cells) else None for cells in raws]
            values, refused = parse_column(parse, bulk, column, required)
            parsed.append(values)
            problems += [(index, position, header, cell, message) for index, cell, message in refused]
        del raws
        bad = set()
        for index, _position, header, cell, message in sorted(problems, key=lambda problem: problem[:2]):
            result.add_error(RowError(numbers[index], header, cell, message))
            bad.add(index)
        for index, values in enumerate(zip(*parsed, strict=True)):
            if index not in bad:
                yield ParsedRow(row_number=numbers[index], data=dict(zip(attrs, values, strict=True)))


def read_chunk(rows: Iterator[ParsedRow], size: int | None) -> list[ParsedRow]:
    """The next `size` parsed rows (all that are left when size is None): reading and parsing."""
    return list(rows if size is None else islice(rows, size))


class Run:
    """One pass over a file: chunk by chunk, rows are parsed, resolved, checked, compared with the
    stored rows and, when writing, written; then the checks that need the whole file.

    What stays between chunks is what the all-or-nothing rule needs: the counts, the errors, the
    compared versions (`Snapshot`), one hash a key (duplicates across chunks), a category byte a
    row, and the Changes the preview shows. Memory does not grow with the rows' contents."""

    def __init__(self, kind, result: ImportResult, *, user, writing: bool, source: str, expected: dict | None):
        self.kind, self.result, self.user, self.writing, self.source = kind, result, user, writing, source
        self.expected = expected
        self.keep_all = kind.chunk_rows is None
        self.ranges = integer_ranges(kind.model)
        self.scope = access.import_scope_checker(user, kind.model)
        self.key_hashes, self.key_rows, self.categories = array("q"), array("q"), bytearray()
        self.stale: list[tuple[int, int, int, str]] = []  # rows another writer changed while this one ran
        self.content_type_id = ContentType.objects.get_for_model(kind.model).pk
        self.created_history = False  # the new rows' history written chunk by chunk (write_chunk)

    # --- the pass -------------------------------------------------------------------------------
    def go(self, data: bytes) -> None:
        result, kind = self.result, self.kind
        try:
            table = read_table(data, result.file_name)
            if table.last_row is not None:
                kind.expect_rows(max(0, table.last_row - table.first_row_number))  # less the header row
            lines = enumerate(table.rows, start=table.first_row_number)
            columns, result.ignored_headers = map_headers(kind, lines)
            present = {column.attr for column in columns.values()}
            missing = [c.header for c in kind.columns if c.required and c.attr not in present]
            if missing:
                result.add_error(RowError(None, "", "", f"필수 열이 없습니다: {', '.join(missing)}"))
                return
            if self.writing:
                self.start_batch()
            kind.prepare_run()
            rows = parse_rows(kind, lines, columns, result)
            size = kind.chunk_rows and max(1, kind.chunk_rows)
            while chunk := read_chunk(rows, size):
                self.chunk(chunk, present)
                if size is None:
                    break
        except FileRejected as exc:
            result.add_error(RowError(None, "", "", str(exc)))
            result.keep_first_errors()
            return
        self.finish()

    def chunk(self, rows: list[ParsedRow], present: set[str]) -> None:
        result = self.result
        resolved = resolve_chunk(self, rows, present)
        new, updated = compare(self, resolved)
        if self.scope is not None:
            for row_number, column, value, message in self.scope(new + updated):
                result.add_error(RowError(row_number, column, value, message))
        if self.keep_all:
            result.new += new
            result.updated += updated
        else:
            result.new += new[: max(0, PREVIEW_ROWS - len(result.new))]
            result.updated += updated[: max(0, PREVIEW_ROWS - len(result.updated))]
        if self.keep_all and not result.errors:
            result.warnings = self.kind.warnings(result)  # before the write: about the stored rows
        if self.writing and not result.errors and not self.stale:
            self.stale += recheck_compared_rows(self.kind, updated)
            if not self.stale:
                write_chunk(self, new, updated)

    def finish(self) -> None:
        result = self.result
        self.refuse_duplicates_across_chunks()
        if self.expected is not None and not result.errors:
            for error in changed_since_preview(self.kind, result, self.expected):
                result.add_error(error)
        result.keep_first_errors()
        if result.errors:
            result.warnings = []
            return
        if self.stale:
            raise ChangedSinceRead(changed_row_errors(self.kind, self.stale, since="검사한 뒤"))
        if not self.keep_all:
            result.warnings = self.kind.warnings(result)
        if self.writing and result.has_changes:
            batch = result.batch
            batch.new_count, batch.updated_count = result.new_count, result.updated_count
            batch.unchanged_count = result.unchanged_count
            ImportBatch.objects.filter(pk=batch.pk).update(
                new_count=batch.new_count, updated_count=batch.updated_count, unchanged_count=batch.unchanged_count
            )
            # The kind's own writes (recorded in the batch too), then the audit trail of every row of `model`.
            self.kind.after_write(result, self.user)
            done = ImportRowAction.UPDATED if self.created_history else None  # else both
            record_import_history(self.kind.model, batch, user=self.user, action=done)

    # --- keys -----------------------------------------------------------------------------------
    def remember_key(self, row: ParsedRow) -> None:
        # A 64-bit hash a key: two different keys of one file share one with a chance of about
        # n²/2^65 (1 in 10^8 at 600,000 rows); the keys themselves would cost ~100 bytes a row.
        self.key_hashes.append(hash(row.key))
        self.key_rows.append(row.row_number)
        self.categories.append(0)

    def categorise(self, category: int) -> None:
        self.categories[-1] = category  # of the row remember_key saw last (compare goes in order)

    def refuse_duplicates_across_chunks(self) -> None:
        """Rows whose key an earlier chunk already had (duplicates within a chunk are refused as
        they are resolved): errors, and taken out of the counts they were added to."""
        if self.keep_all or len(self.key_hashes) < 2:
            return
        hashes = self.key_hashes
        result, labels = self.result, ", ".join(self.kind.field_label(name) for name in self.kind.key_fields)
        # Sorted a bucket at a time (by the hash's low byte): sorting all n indexes at once would
        # hold n Python ints twice (~45 MB at 600,000 rows); a bucket holds n/256.
        buckets = [array("q") for _ in range(256)]
        for index, key_hash in enumerate(hashes):
            buckets[key_hash & 255].append(index)
        for bucket in buckets:
            order = sorted(bucket, key=hashes.__getitem__)  # stable: file order within one hash
            first = order[0] if order else 0
            for previous, index in zip(order, order[1:], strict=False):
                if hashes[index] != hashes[previous]:
                    first = index
                    continue
                self.uncount(self.categories[index])
                result.add_error(
                    RowError(
                        self.key_rows[index],
                        self.kind.columns[0].header,
                        NOT_KEPT,
                        f"같은 파일의 {self.key_rows[first]}행과 중복됩니다({labels}이(가) 같습니다).",
                    )
                )

    def uncount(self, category: int) -> None:
        result = self.result
        if category == NEW:
            result.new_count -= 1
        elif category == UPDATED:
            result.updated_count -= 1
        elif category == UNCHANGED:
            result.unchanged_count -= 1

    # --- writing --------------------------------------------------------------------------------
    def start_batch(self) -> None:
        # The batch goes first: on SQLite its INSERT takes the database's write lock, so no other
        # writer changes a row between this pass's comparison and its write; on PostgreSQL each
        # chunk's changed rows are locked and re-checked (recheck_compared_rows) before it writes.
        result = self.result
        result.batch = ImportBatch.objects.create(
            kind=self.kind.name,
            file_name=result.file_name[:255],
            sha256=result.sha256,
            user=self.user if getattr(self.user, "pk", None) else None,
            source=self.source,
        )


NEW, UPDATED, UNCHANGED = 1, 2, 3


def resolve_chunk(run: Run, rows: list[ParsedRow], present: set[str]) -> list[ParsedRow]:
    """The kind's look-ups and values for a chunk's rows, their integer ranges and duplicate keys."""
    kind, result, ranges = run.kind, run.result, run.ranges
    kind.prepare(rows)
    resolved, seen = [], {}
    checked = []
    for row in rows:
        try:
            kind.resolve_row(row, present)
        except RowProblem as problem:
            result.add_error(RowError(row.row_number, problem.column, problem.value, problem.message))
            continue
        except SkipRow:
            continue
        checked.append(row)
    out_of_range = rows_out_of_range(kind, checked, ranges)
    for row in checked:
        if row.row_number in out_of_range:
            for error in out_of_range[row.row_number]:
                result.add_error(error)
            continue
        if row.key in seen:
            result.add_error(
                RowError(
                    row.row_number,
                    kind.columns[0].header,
                    kind.object_repr(row),
                    f"같은 파일의 {seen[row.key]}행과 중복됩니다.",
                )
            )
            continue
        seen[row.key] = row.row_number
        resolved.append(row)
    return resolved


def compare(run: Run, rows: list[ParsedRow]) -> tuple[list[Change], list[Change]]:
    """The chunk's new and updated rows (unchanged ones are counted); rows breaking a rule are errors."""
    kind, result = run.kind, run.result
    fields = sorted({name for row in rows for name in row.values})
    stored_by_key = kind.existing_values({row.key for row in rows}, fields) if rows else {}
    new, updated = [], []
    shown = len(result.updated)
    getters = {}  # the attnames of a row's values → an itemgetter of them
    for row in rows:
        run.remember_key(row)
        stored = stored_by_key.get(row.key)
        try:
            kind.validate_row(row.values, stored)
        except RowProblem as problem:
            result.add_error(RowError(row.row_number, problem.column, problem.value, problem.message))
            continue
        if stored is None:
            new.append(Change(row=row, after=row.values, label=kind.object_repr(row)))
            result.new_count += 1
            result.compared.add(row.row_number, None, None)
            run.categorise(NEW)
            continue
        names = tuple(row.values)
        same = getters.get(names) or getters.setdefault(names, itemgetter(*names)) if names else None
        if same is not None and same(row.values) == same(stored):  # the common case, compared in C
            before = {}
        else:
            before = {name: stored[name] for name, value in row.values.items() if stored[name] != value}
        result.compared.add(row.row_number, stored["pk"], stored.get("version"))
        if not before:
            result.unchanged_count += 1
            run.categorise(UNCHANGED)
            continue
        after = {name: row.values[name] for name in before}
        labelled = []
        if shown < PREVIEW_ROWS:  # labelled (with look-ups) only for the rows the preview shows
            shown += 1
            labelled = [
                (kind.field_label(name), kind.display_value(name, before[name]), kind.display_value(name, after[name]))
                for name in before
            ]
        updated.append(
            Change(
                row=row,
                pk=stored["pk"],
                before=before,
                after=after,
                label=kind.object_repr(row),
                fields=labelled,
                version=stored.get("version"),
            )
        )
        result.updated_count += 1
        run.categorise(UPDATED)
    return new, updated


def integer_ranges(model) -> dict[str, tuple[int | None, int | None, list]]:
    """attname → (lowest, highest, other validators) of each integer field of `model`.

    The range is what the column holds on every supported database (Django's standard ranges,
    narrowed by the connection's own: SQLite would take 2^31 종사자 수 that PostgreSQL refuses)
    and what the field's Min/MaxValueValidators allow; other validators are run as they are."""
    ranges = {}
    for model_field in model._meta.concrete_fields:
        internal_type = model_field.get_internal_type()
        if internal_type not in BaseDatabaseOperations.integer_field_ranges or model_field.primary_key:
            continue
        if model_field.generated:  # computed by the database, never imported
            continue
        low, high = BaseDatabaseOperations.integer_field_ranges[internal_type]
        connection_low, connection_high = connection.ops.integer_field_range(internal_type)
        low = max(low, connection_low) if connection_low is not None else low
        high = min(high, connection_high) if connection_high is not None else high
        others = []
        for validator in model_field.validators:
            limit = validator.limit_value if isinstance(validator, MinValueValidator | MaxValueValidator) else None
            limit = limit() if callable(limit) else limit
            if isinstance(validator, MinValueValidator):
                low = max(low, limit)
            elif isinstance(validator, MaxValueValidator):
                high = min(high, limit)
            else:
                others.append(validator)
        ranges[model_field.attname] = (low, high, others)
    return ranges


def rows_out_of_range(kind, rows: list[ParsedRow], ranges: dict) -> dict[int, list[RowError]]:
    """{row number: errors} of the rows with an integer outside its field's range (or refused by
    its other validators). A field whose values are all within range (the common case, found
    with min/max) is not looked at row by row. Each row's errors come in the order of the fields."""
    problems: dict[int, list[RowError]] = {}
    for name, (low, high, validators) in ranges.items():
        numbers = [row.values.get(name) for row in rows]
        numbers = [number for number in numbers if isinstance(number, int)]
        if not numbers or (not validators and low <= min(numbers) and max(numbers) <= high):
            continue
        for row in rows:
            if name in row.values and (message := integer_problem(row.values[name], low, high, validators)):
                problems.setdefault(row.row_number, []).append(
                    RowError(row.row_number, kind.field_label(name), row.values[name], message)
                )
    return problems


def integer_problem(value, low: int, high: int, validators: list) -> str:
    if not isinstance(value, int):
        return ""
    if not low <= value <= high:
        return f"{low:,} 이상 {high:,} 이하의 정수여야 합니다(이 항목에 저장할 수 있는 범위)."
    for validator in validators:
        try:
            validator(value)
        except ValidationError as exc:
            return exc.messages[0]
    return ""


def _plain(kind: ImportExportKind, values: dict) -> dict:
    if not kind.m2m_fields:
        return values
    return {name: value for name, value in values.items() if name not in kind.m2m_fields}


def write_m2m(kind: ImportExportKind, changes: list[Change]) -> None:
    """Replace the many-to-many sets a file gives (one delete and one insert per field)."""
    for name in kind.m2m_fields:
        rows = [(change.pk, change.row.values[name]) for change in changes if name in change.after]
        if not rows:
            continue
        field = kind.model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        through.objects.filter(**{f"{source}__in": [pk for pk, _ in rows]}).delete()
        through.objects.bulk_create(
            [through(**{source: pk, target: target_id}) for pk, ids in rows for target_id in ids]
        )


class ChangedSinceRead(Exception):
    """Rows that another writer changed (or created) after this import compared them."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors[0].message if errors else "")
        self.errors = errors


SHOWN_ROWS = 20  # row numbers listed in a refusal; the first DETAILED_ROWS also say who changed what
DETAILED_ROWS = 10


def changed_row_errors(kind: ImportExportKind, stale: list[tuple[int, int, int, str]], *, since: str) -> list[RowError]:
    """The refusal for rows [(row number, pk, version compared, label)] that changed since `since`:
    one line naming the rows, then for the first ones who changed what (from the audit trail)."""
    stale = sorted(stale)
    numbers = [f"{row_number}행" for row_number, *_ in stale[:SHOWN_ROWS]]
    more = f" 외 {len(stale) - SHOWN_ROWS:,}행" if len(stale) > SHOWN_ROWS else ""
    errors = [
        RowError(
            None,
            "",
            "",
            f"{since} 다른 사용자나 다른 가져오기가 바꾸거나 만든 행이 있어 아무것도 저장하지 않았습니다: "
            f"{', '.join(numbers)}{more}. 파일을 다시 올려 미리보기를 확인한 뒤 가져오세요.",
        )
    ]
    shown = kind.model._base_manager.filter(pk__in=[pk for _, pk, _, _ in stale[:DETAILED_ROWS]])
    labels = {obj.pk: str(obj) for obj in shown}
    for row_number, pk, version, label in stale[:DETAILED_ROWS]:
        notes = changes_since(kind.model, pk, version or 0, limit=2)
        what = "; ".join(str(note) for note in notes) or "바뀐 내용의 기록이 없습니다"
        errors.append(
            RowError(row_number, kind.columns[0].header, label or labels.get(pk, ""), f"{since} 바뀜 — {what}")
        )
    return errors


def recheck_compared_rows(kind: ImportExportKind, updated: list[Change]) -> list[tuple[int, int, int, str]]:
    """Inside the write transaction, before a chunk is written: its rows about to be changed are
    locked (FOR UPDATE, pk order) and must still have the versions the comparison read; the stale
    ones are returned (row number, pk, version compared, label)."""
    if not is_versioned(kind.model) or not updated:
        return []
    written = {change.pk: change for change in updated}
    locked = lock_versions(kind.model, written)
    return [
        (change.row.row_number, pk, change.version, change.label)
        for pk, change in written.items()
        if locked.get(pk) != change.version
    ]


def changed_since_preview(kind: ImportExportKind, result: ImportResult, expected: dict) -> list[RowError]:
    """Rows whose stored version (or existence) differs from the preview the user approved.

    Both snapshots are in file order: one walk through the two."""
    was = iter(Snapshot.from_json(expected))
    now = iter(result.compared)
    stale = []
    before, current = next(was, None), next(now, None)
    while before is not None or current is not None:
        if current is None or (before is not None and before[0] < current[0]):
            before = next(was, None)  # a row the preview compared and this pass did not (now an error)
            continue
        if before is None or current[0] < before[0]:
            stale.append((current[0], current[1], 0, ""))  # compared now, not in the preview
            current = next(now, None)
            continue
        if (current[1], current[2]) != (before[1], before[2]):
            pk = current[1] if current[1] is not None else before[1]
            stale.append((current[0], pk, before[2] or 0, ""))
        before, current = next(was, None), next(now, None)
    return changed_row_errors(kind, stale, since="미리보기 뒤") if stale else []


def write_chunk(run: Run, new: list[Change], updated: list[Change]) -> None:
    """Insert a chunk's new rows, update its changed ones (only the changed fields), and record
    them in the batch (ImportBatchRow, for undo)."""
    kind, user, model = run.kind, run.user, run.kind.model
    for change in new:
        kind.stamp(change.row.values, user)
    for change in updated:
        kind.stamp(change.after, user)
    ids = reserve_ids(model, len(new))
    if ids is not None:
        version = 1 if is_versioned(model) else None
        pk_name = model._meta.pk.attname
        for change, pk in zip(new, ids, strict=True):
            change.pk, change.version = pk, version
        records = ({**_plain(kind, change.row.values), pk_name: change.pk} for change in new)
    else:
        records = (_plain(kind, change.row.values) for change in new)
    try:
        with transaction.atomic():  # a savepoint: after a refused INSERT the keys can still be read
            fast_insert(model, records, with_pk=ids is not None)
    except IntegrityError:
        # Most likely another writer committed rows with these keys after this pass compared them
        # (PostgreSQL waits for it, then refuses ours): name them if so.
        taken = kind.existing_values({change.row.key for change in new}, [])
        stale = [(c.row.row_number, taken[c.row.key]["pk"], 0, c.label) for c in new if c.row.key in taken]
        if stale:
            raise ChangedSinceRead(changed_row_errors(kind, stale, since="검사한 뒤")) from None
        raise
    if new and ids is None:
        created = kind.existing_values({change.row.key for change in new}, [])
        for change in new:
            stored = created[change.row.key]
            change.pk, change.version = stored["pk"], stored.get("version")
    by_fields = defaultdict(list)
    m2m_only = []
    for change in updated:
        plain = _plain(kind, change.after)
        if plain:
            by_fields[tuple(sorted(plain))].append((change.pk, plain))
        else:
            m2m_only.append(change.pk)
    for names, rows in by_fields.items():
        fast_update(model, list(names), rows)
    write_m2m(kind, new + updated)
    bump_versions(model, m2m_only)
    record_batch_rows(
        run.result.batch,
        model,
        (
            (action, change.row.row_number, change.pk, change.label, change.before, version)
            for action, changes in ((ImportRowAction.NEW, new), (ImportRowAction.UPDATED, updated))
            for change in changes
            for version in [change.version if action == ImportRowAction.NEW else _next(change.version)]
        ),
        content_type_id=run.content_type_id,
    )
    if new and not run.keep_all:
        send_created_history(run, [change.pk for change in new])


def send_created_history(run: Run, pks: list[int]) -> None:
    """PostgreSQL: the history rows of the chunk's new rows, and the foreign-key checks of the rows
    written so far (due at the commit otherwise), sent without waiting: the server runs them while
    the next chunk is read and parsed (bulk.send_later). Elsewhere the history is written at the
    end with the changed rows' (finish). A kind reading the whole file (keep_all) keeps the end's:
    its after_write may add rows of its own model."""
    statement = created_history_statement(run.kind.model, run.result.batch, pks, user=run.user)
    if statement is None:
        return
    sql, params = statement
    if send_later(f"SET CONSTRAINTS ALL IMMEDIATE; {sql}; SET CONSTRAINTS ALL DEFERRED", params):
        run.created_history = True
    # Django's foreign keys are the only deferrable constraints, all INITIALLY DEFERRED: the last
    # statement puts them back as they were; IMMEDIATE first checks every row written so far.


def record_batch_rows(batch: ImportBatch, model, rows, *, content_type_id: int | None = None) -> None:
    """The batch's record of rows of `model` it created or changed, for its page and for undo:
    rows of (action, spreadsheet row number or 0, pk, label, {attname: value before} or None,
    version after the write). A kind's `after_write` records the rows it writes besides the file's
    (e.g. other tables) the same way, so that undo restores them too."""
    if content_type_id is None:
        content_type_id = ContentType.objects.get_for_model(model).pk
    fast_insert(
        ImportBatchRow,
        (
            {
                "batch_id": batch.pk,
                "row_number": row_number,
                "action": action,
                "content_type_id": content_type_id,
                "object_id": pk,
                "object_repr": label[:200],
                "before": {name: json_value(value) for name, value in (before or {}).items()} or None,
                "version": version,
            }
            for action, row_number, pk, label, before, version in rows
        ),
    )


def _next(version: int | None) -> int | None:
    return None if version is None else version + 1  # what the UPDATE (or bump_versions) makes it


class _NothingWritten(Exception):  # noqa: N818 (a signal: roll the batch back)
    """The pass found errors, or nothing new or changed: the transaction is rolled back."""


def _discard_write(result: ImportResult) -> None:
    """After a rolled-back write: forget the batch and the pks the write gave the new rows."""
    result.batch = None
    for change in result.new:
        change.pk = change.version = None


def import_file(
    *,
    kind: ImportExportKind,
    data: bytes,
    file_name: str,
    user=None,
    source: str = "admin",
    dry_run: bool = False,
    expected: dict | None = None,
) -> ImportResult:
    """Analyse the file and, unless it is a dry run, write it in the same pass, in one transaction
    that is rolled back if any row is invalid (or nothing is new or changed: such a file leaves no
    ImportBatch, as in the admin, which offers no confirmation for it).

    `expected` is the `snapshot()` of the preview being confirmed: rows changed since are refused."""
    kind = kind.for_run()  # its look-ups this pass's own
    result = ImportResult(kind=kind, file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    if dry_run:
        Run(kind, result, user=user, writing=False, source=source, expected=expected).go(data)
        return result
    run = Run(kind, result, user=user, writing=True, source=source, expected=expected)
    try:
        with transaction.atomic():
            with collecting():  # PostgreSQL: what write_chunk sent without waiting is collected
                run.go(data)
            if result.errors or not result.has_changes:
                raise _NothingWritten
    except _NothingWritten:
        _discard_write(result)
    except ChangedSinceRead as refusal:
        _discard_write(result)
        for error in refusal.errors:
            result.add_error(error)
    except DatabaseError as exc:
        # A database rule the parsers missed (a constraint, a trigger such as the year-agreement
        # rule), or a lock that could not be had (SQLite: another write).
        _discard_write(result)
        result.add_error(database_refusal(exc))
    return result


def database_refusal(exc: Exception) -> RowError:
    """A write the database refused (a constraint, a trigger such as the year-agreement rule, a lock)."""
    message = f"데이터베이스가 저장을 거부하여 아무것도 저장하지 않았습니다: {database_message(exc)}"
    return RowError(None, "", "", message)
