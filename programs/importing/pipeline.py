"""The all-or-nothing import pipeline shared by the admin and the `import_excel` command.

read (files.py) → map headers (each column once) → parse cells (column parsers) → resolve in
bulk (the kind) → check integers against their model fields' ranges → compare with the stored
rows fetched by natural key → preview counts (new / updated / unchanged / invalid) → if nothing
is invalid, something is new or changed and it is not a dry run: one transaction with bulk
inserts for new rows, bulk updates for changed rows (only the changed fields), and an
ImportBatch with its rows.

Nothing lost to a concurrent writer (programs.versioning): the comparison reads each stored row's
version. The confirmation of a preview refuses rows whose version moved since the preview the user
approved (`expected`); the write transaction re-checks, under row locks taken in pk order, that the
rows it changes still have the versions it compared (and the rows it found unchanged, without
locks), and that no other writer created its new rows — otherwise it refuses, naming the rows, and
writes nothing. Every written row gets version + 1, recorded in its ImportBatchRow for undo.
"""

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from programs import access
from programs.choices import ImportRowAction
from programs.db_errors import database_message
from programs.history import changes_since, record_import_history
from programs.importing.bulk import bump_versions, fast_insert, fast_update
from programs.importing.cells import CellError, ParsedCells, SharedValues, is_blank
from programs.importing.files import FileRejected, column_letter, read_table
from programs.importing.kinds import ImportExportKind, ParsedRow, RowProblem, SkipRow, json_value
from programs.models import ImportBatch, ImportBatchRow
from programs.versioning import is_versioned, lock_versions

HEADER_SEARCH_ROWS = 10
PREVIEW_ROWS = 50


def visible_characters(text: str) -> str:
    """`text` with the control characters a spreadsheet cannot hold written as [U+000B]: shown in
    a refusal, they would otherwise break the line or vanish."""
    if text.isprintable():
        return text
    return ILLEGAL_CHARACTERS_RE.sub(lambda match: f"[U+{ord(match.group()):04X}]", text)


@dataclass
class RowError:
    """One reason a file cannot be imported, as the user sees it."""

    row_number: int | None  # spreadsheet row; None for a problem with the whole file
    column: str
    value: object
    message: str

    @property
    def value_display(self) -> str:
        if is_blank(self.value):
            return "(빈 칸)"
        value = self.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # calamine reads every number as float; show it as Excel does
        text = visible_characters(str(value))
        return text if len(text) <= 60 else text[:57] + "..."

    def __str__(self) -> str:
        if self.row_number is None:
            return self.message
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


@dataclass
class ImportResult:
    kind: ImportExportKind
    file_name: str
    sha256: str
    dry_run: bool
    new: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged_count: int = 0
    unchanged: list[tuple[int, int, int | None]] = field(default_factory=list)  # (row number, pk, version)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def invalid_count(self) -> int:
        return len({error.row_number for error in self.errors if error.row_number is not None})

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.batch is not None

    @property
    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": self.unchanged_count,
            "invalid": self.invalid_count,
        }

    def snapshot(self) -> dict[str, list]:
        """{row number: [pk, version]} of every compared row ([None, None] for new rows), as JSON keeps it."""
        rows: dict[str, list] = {str(change.row.row_number): [None, None] for change in self.new}
        rows.update({str(change.row.row_number): [change.pk, change.version] for change in self.updated})
        rows.update({str(row_number): [pk, version] for row_number, pk, version in self.unchanged})
        return rows

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


def parse_rows(kind, lines: Iterator[tuple[int, list]], columns, errors) -> list[ParsedRow]:
    """Parse the rows after the header, one at a time; only rows without a cell error are kept.

    A kept row holds its parsed values only (ParsedCells over a tuple, repeated values shared):
    the raw cells are dropped as soon as the row is parsed."""
    parsed = []
    importable = [(i, column) for i, column in columns.items() if column.importable]
    slots = {column.attr: position for position, (_, column) in enumerate(importable)}  # each attr once
    # (cell index, slot, parser, required, header, shared values) per importable column
    plan = [
        (i, slots[column.attr], column.parse, column.required, column.header, SharedValues())
        for i, column in importable
    ]
    width = len(slots)
    for row_number, cells in lines:
        if all(is_blank(cell) for cell in cells):
            continue
        values = [None] * width
        ok = True
        count = len(cells)
        for i, slot, parse, required, header, shared in plan:
            value = cells[i] if i < count else None
            try:
                parsed_value = parse(value) if parse else value
            except CellError as exc:
                errors.append(RowError(row_number, header, value, str(exc)))
                ok = False
                continue
            if required and is_blank(parsed_value):
                errors.append(RowError(row_number, header, value, "필수 항목이 비어 있습니다."))
                ok = False
                continue
            seen = shared.seen
            values[slot] = parsed_value if seen is None else shared.share(parsed_value, seen)
        if ok:
            parsed.append(ParsedRow(row_number=row_number, data=ParsedCells(slots, tuple(values))))
    return parsed


COMPARE_CHUNK = 5000  # stored rows are fetched and compared this many keys at a time (memory)


def compare(kind, rows, result: ImportResult) -> None:
    fields = sorted({name for row in rows for name in row.values})
    for start in range(0, len(rows), COMPARE_CHUNK):
        chunk = rows[start : start + COMPARE_CHUNK]
        stored_by_key = kind.existing_values({row.key for row in chunk}, fields)
        for row in chunk:
            compare_row(kind, row, stored_by_key.get(row.key), result)


def compare_row(kind, row, stored: dict | None, result: ImportResult) -> None:
    try:
        kind.validate_row(row.values, stored)
    except RowProblem as problem:
        result.errors.append(RowError(row.row_number, problem.column, problem.value, problem.message))
        return
    if stored is None:
        result.new.append(Change(row=row, after=row.values, label=kind.object_repr(row)))
        return
    before = {name: stored[name] for name, value in row.values.items() if stored[name] != value}
    if not before:
        result.unchanged_count += 1
        result.unchanged.append((row.row_number, stored["pk"], stored.get("version")))
        return
    after = {name: row.values[name] for name in before}
    shown = []
    if len(result.updated) < PREVIEW_ROWS:  # labelled (with look-ups) only for the rows the preview shows
        shown = [
            (kind.field_label(name), kind.display_value(name, before[name]), kind.display_value(name, after[name]))
            for name in before
        ]
    result.updated.append(
        Change(
            row=row,
            pk=stored["pk"],
            before=before,
            after=after,
            label=kind.object_repr(row),
            fields=shown,
            version=stored.get("version"),
        )
    )


def read_rows(kind: ImportExportKind, data: bytes, result: ImportResult) -> tuple[list[ParsedRow], set[str]] | None:
    """Read and parse the file row by row; None (with the reason in `result.errors`) if it cannot be."""
    try:
        table = read_table(data, result.file_name)
        lines = enumerate(table.rows, start=table.first_row_number)
        columns, result.ignored_headers = map_headers(kind, lines)
        present = {column.attr for column in columns.values()}
        missing = [c.header for c in kind.columns if c.required and c.attr not in present]
        if missing:
            result.errors.append(RowError(None, "", "", f"필수 열이 없습니다: {', '.join(missing)}"))
            return None
        return parse_rows(kind, lines, columns, result.errors), present
    except FileRejected as exc:
        result.errors.append(RowError(None, "", "", str(exc)))
        return None


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


def analyse(kind: ImportExportKind, data: bytes, result: ImportResult) -> None:
    # The sheet is released when read_rows returns: only the parsed rows stay for the comparison.
    parsed = read_rows(kind, data, result)
    if parsed is None:
        return
    rows, present = parsed
    kind.prepare(rows)
    ranges = integer_ranges(kind.model)
    resolved, seen = [], {}
    for row in rows:
        try:
            kind.resolve_row(row, present)
        except RowProblem as problem:
            result.errors.append(RowError(row.row_number, problem.column, problem.value, problem.message))
            continue
        except SkipRow:
            continue
        out_of_range = [
            RowError(row.row_number, kind.field_label(name), row.values[name], message)
            for name, (low, high, validators) in ranges.items()
            if name in row.values and (message := integer_problem(row.values[name], low, high, validators))
        ]
        if out_of_range:
            result.errors.extend(out_of_range)
            continue
        if row.key in seen:
            result.errors.append(
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
    compare(kind, resolved, result)
    result.errors.sort(key=lambda error: error.row_number or 0)


def _plain(kind: ImportExportKind, values: dict) -> dict:
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


def recheck_compared_rows(kind: ImportExportKind, result: ImportResult) -> None:
    """Inside the write transaction: the rows about to be changed are locked (FOR UPDATE, pk order)
    and must still have the versions the comparison read; the unchanged ones are read again; new
    rows must still be missing. Raises ChangedSinceRead naming the rows otherwise."""
    model = kind.model
    if not is_versioned(model):
        return
    written = {change.pk: change for change in result.updated}
    locked = lock_versions(model, written)
    stale = [
        (change.row.row_number, pk, change.version, change.label)
        for pk, change in written.items()
        if locked.get(pk) != change.version
    ]
    seen = lock_versions(model, [pk for _, pk, _ in result.unchanged], lock=False)
    stale += [(row_number, pk, version, "") for row_number, pk, version in result.unchanged if seen.get(pk) != version]
    if result.new:
        taken = kind.existing_values({change.row.key for change in result.new}, [])
        stale += [
            (change.row.row_number, taken[change.row.key]["pk"], 0, change.label)
            for change in result.new
            if change.row.key in taken
        ]
    if stale:
        raise ChangedSinceRead(changed_row_errors(kind, stale, since="검사한 뒤"))


def changed_since_preview(kind: ImportExportKind, result: ImportResult, expected: dict) -> list[RowError]:
    """Rows whose stored version (or existence) differs from the preview the user approved."""
    current = result.snapshot()
    stale = []
    for row_number, was in expected.items():
        now = current.get(row_number)
        if now is None or list(now) == list(was):
            continue
        pk = now[0] if now[0] is not None else was[0]
        stale.append((int(row_number), pk, was[1] or 0, ""))
    return changed_row_errors(kind, stale, since="미리보기 뒤") if stale else []


def write(kind: ImportExportKind, result: ImportResult, *, user, source: str) -> None:
    model = kind.model
    # The batch goes first: on SQLite its INSERT takes the database's write lock, so the re-check
    # below reads rows that no other writer can change before this transaction ends; on PostgreSQL
    # the re-check takes row locks.
    result.batch = ImportBatch.objects.create(
        kind=kind.name,
        file_name=result.file_name[:255],
        sha256=result.sha256,
        user=user if getattr(user, "pk", None) else None,
        source=source,
        new_count=len(result.new),
        updated_count=len(result.updated),
        unchanged_count=result.unchanged_count,
    )
    recheck_compared_rows(kind, result)
    for change in result.new:
        kind.stamp(change.row.values, user)
    for change in result.updated:
        kind.stamp(change.after, user)
    fast_insert(model, (_plain(kind, change.row.values) for change in result.new))
    if result.new:
        created = kind.existing_values({change.row.key for change in result.new}, [])
        for change in result.new:
            stored = created[change.row.key]
            change.pk, change.version = stored["pk"], stored.get("version")
    by_fields = defaultdict(list)
    m2m_only = []
    for change in result.updated:
        plain = _plain(kind, change.after)
        if plain:
            by_fields[tuple(sorted(plain))].append((change.pk, plain))
        else:
            m2m_only.append(change.pk)
        if change.version is not None:
            change.version += 1  # what the UPDATE (or bump_versions) makes it
    for names, rows in by_fields.items():
        fast_update(model, list(names), rows)
    write_m2m(kind, result.new + result.updated)
    bump_versions(model, m2m_only)
    record_batch_rows(
        result.batch,
        model,
        (
            (action, change.row.row_number, change.pk, change.label, change.before, change.version)
            for action, changes in (
                (ImportRowAction.NEW, result.new),
                (ImportRowAction.UPDATED, result.updated),
            )
            for change in changes
        ),
    )
    # The kind's own writes (recorded in the batch too), then the audit trail of every row of `model`.
    kind.after_write(result, user)
    record_import_history(model, result.batch, user=user)


def record_batch_rows(batch: ImportBatch, model, rows) -> None:
    """The batch's record of rows of `model` it created or changed, for its page and for undo:
    rows of (action, spreadsheet row number or 0, pk, label, {attname: value before} or None,
    version after the write). A kind's `after_write` records the rows it writes besides the file's
    (e.g. other tables) the same way, so that undo restores them too."""
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


def _discard_write(result: ImportResult, written_versions: dict) -> None:
    """After a rolled-back write: forget the batch and what the write set on the changes."""
    result.batch = None
    for change in result.new:
        change.pk = change.version = None
    for change in result.updated:
        change.version = written_versions.get(change.pk, change.version)


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
    """Analyse the file and, unless it is a dry run, any row is invalid or nothing is new or changed,
    write it in one go. A file with nothing to write leaves no ImportBatch, as in the admin, which
    offers no confirmation for it.

    `expected` is the `snapshot()` of the preview being confirmed: rows changed since are refused."""
    result = ImportResult(kind=kind, file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    analyse(kind, data, result)
    for row_number, column, value, message in access.import_scope_problems(
        user, kind.model, result.new + result.updated
    ):
        result.errors.append(RowError(row_number, column, value, message))
    if expected is not None and not result.errors:
        result.errors += changed_since_preview(kind, result, expected)
    result.errors.sort(key=lambda error: error.row_number or 0)
    if not result.errors:
        result.warnings = kind.warnings(result)
    if result.errors or dry_run or not (result.new or result.updated):
        return result
    compared_versions = {change.pk: change.version for change in result.updated}
    try:
        with transaction.atomic():
            write(kind, result, user=user, source=source)
    except ChangedSinceRead as refusal:
        _discard_write(result, compared_versions)
        result.errors.extend(refusal.errors)
    except IntegrityError as exc:
        # Most likely another writer committed rows with the same keys between the re-check and
        # the INSERT (PostgreSQL waits for it, then refuses ours): name them if so.
        _discard_write(result, compared_versions)
        taken = kind.existing_values({change.row.key for change in result.new}, []) if result.new else {}
        stale = [(c.row.row_number, taken[c.row.key]["pk"], 0, c.label) for c in result.new if c.row.key in taken]
        if stale:
            result.errors.extend(changed_row_errors(kind, stale, since="검사한 뒤"))
        else:
            result.errors.append(database_refusal(exc))
    except DatabaseError as exc:
        # A database rule the parsers missed, or a lock that could not be had (SQLite: another write).
        _discard_write(result, compared_versions)
        result.errors.append(database_refusal(exc))
    return result


def database_refusal(exc: Exception) -> RowError:
    """A write the database refused (a constraint, a trigger such as the year-agreement rule, a lock)."""
    message = f"데이터베이스가 저장을 거부하여 아무것도 저장하지 않았습니다: {database_message(exc)}"
    return RowError(None, "", "", message)
