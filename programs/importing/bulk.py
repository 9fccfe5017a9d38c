"""Fast bulk writes for imports: COPY on PostgreSQL, one prepared statement with executemany elsewhere.

Django's bulk_create/bulk_update compile SQL per batch and prepare every value through the field
(about 20 s for 64,061 companies on this machine); the statement itself takes a fraction of that.
These helpers prepare only the values that need it (dates, JSON, decimals...), pass plain ints,
strings and booleans through, and fill defaults and auto_now/auto_now_add as the ORM would.
Signals are not sent (bulk_create does not send them either); database constraints still apply.

On PostgreSQL rows go through psycopg 3's `cursor.copy()` (COPY … FROM STDIN): inserts straight
into the table, updates into a temporary table joined by `UPDATE … FROM` — one statement for all
rows instead of one pipelined statement per row (64,061 companies: ~9 s → ~1 s). The temporary
table is dropped at the end of the call; on an error the caller's transaction rolls it back
with everything else. SQLite keeps executemany (it has no COPY, and its
executemany runs in-process without a round trip per row).

Rows are turned into parameters one batch at a time, so a 64,061-row import never holds a second
full copy of its values; callers may pass any iterable (a generator keeps memory flat).

Versioned models (programs.versioning): an INSERT stores version 1 (the field's default) and an
UPDATE sets `version = version + 1`, as `Model.save()` does; callers check versions under locks.

Test hook (fault tests only): with the environment variable `IMPORT_TEST_KILL_AFTER_BATCHES=N` the
process kills itself (SIGKILL) right after its N-th INSERT/UPDATE batch, in the middle of a write,
to prove that an import cut off anywhere leaves nothing behind. Unset, it costs one dict look-up.
"""

import datetime
import os
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.utils import timezone

from programs.versioning import is_versioned

PASS_THROUGH = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}
BATCH_SIZE = 2000
KILL_AFTER_BATCHES_ENV = "IMPORT_TEST_KILL_AFTER_BATCHES"
_batches_written = 0
_CONSTANT = object()  # fast_insert: the name of a value no record gives


def _after_batch() -> None:
    """The fault-test hook (see the module docstring)."""
    global _batches_written
    limit = os.environ.get(KILL_AFTER_BATCHES_ENV)
    if not limit:
        return
    _batches_written += 1
    if _batches_written >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


def _connection():
    # The real wrapper, looked up once: `django.db.connection` resolves a thread-local on every attribute.
    return connections[DEFAULT_DB_ALIAS]


def _writable_fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def _preparer(field, connection):
    kind = field.get_internal_type()
    if kind in PASS_THROUGH:
        return None
    prepare = field.get_db_prep_save
    if kind == "DateField":
        # Parsed cells are dates already: skip the field's to_python, which dominates on 128,000 dates.
        adapt = connection.ops.adapt_datefield_value
        return lambda value: adapt(value) if type(value) is datetime.date else prepare(value, connection)
    return lambda value: prepare(value, connection)


def _uses_copy(connection) -> bool:
    return connection.vendor == "postgresql"


def _copy_rows(cursor, sql: str, rows: Iterable) -> None:
    """COPY `rows` (sequences of adapted values) with psycopg 3; the text format needs no types."""
    collect_pending(cursor.db)
    # Django's wrapper turns psycopg's errors into django.db's (IntegrityError ...), as execute() does.
    with cursor.db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _batches(items: Iterable, size: int = BATCH_SIZE):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# --- PostgreSQL: a statement whose result is collected later ------------------------------------
#
# While the server runs an import chunk's audit-trail INSERT … SELECT and the foreign-key checks of
# the rows it just received, the Python process can already read and parse the next chunk: the
# statement is sent without waiting (libpq's asynchronous calls, as psycopg uses them itself), and
# its result is collected before the connection's next statement. Any statement sent through
# psycopg before the collection would fail loudly ("another command is already in progress"),
# never silently; `collecting()` collects before every statement Django sends and at its end.

_PENDING = "_import_statement_pending"


def send_later(sql: str, params: list) -> bool:
    """PostgreSQL: send `sql` with `params` (rendered by psycopg's client-side quoting) and return
    at once; False on other databases (the caller runs it the ordinary way)."""
    connection = _connection()
    if connection.vendor != "postgresql":
        return False
    import psycopg
    from psycopg import generators

    collect_pending(connection)
    connection.ensure_connection()
    raw = connection.connection
    text = psycopg.ClientCursor(raw).mogrify(sql, params)
    with connection.wrap_database_errors:
        raw.pgconn.send_query(text.encode(raw.pgconn._encoding))
        raw.wait(generators.send(raw.pgconn))
    setattr(connection, _PENDING, True)
    return True


def collect_pending(connection=None) -> None:
    """Wait for the statement `send_later` sent, if any; its error is raised as django.db's."""
    connection = connection or _connection()
    if not getattr(connection, _PENDING, False):
        return
    from psycopg import errors, generators, pq

    setattr(connection, _PENDING, False)
    raw = connection.connection
    with connection.wrap_database_errors:
        results = raw.wait(generators.fetch_many(raw.pgconn))
        for result in results:
            if result.status == pq.ExecStatus.FATAL_ERROR:
                raise errors.error_from_result(result, encoding=raw.pgconn._encoding)


@contextmanager
def collecting() -> Iterator[None]:
    """Around an import's writing pass: every statement Django sends first collects the pending
    one, and so does the end (before the commit or the rollback). A pending statement's error
    is raised unless the pass is already ending with one."""
    connection = _connection()

    def collect_first(execute, sql, params, many, context):
        collect_pending(context["connection"])
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(collect_first):
            yield
    except BaseException:
        try:
            collect_pending(connection)
        except Exception:  # noqa: S110 (the pass's own error is the one to report)
            pass
        raise
    collect_pending(connection)


def reserve_ids(model, count: int) -> list[int] | None:
    """`count` primary keys for rows about to be inserted with `fast_insert(..., with_pk=True)`,
    so that the caller knows each new row's pk without reading the rows back; None where they
    cannot be reserved (an auto-incrementing integer pk is needed).

    PostgreSQL: taken from the table's sequence (nextval: never handed out twice, whatever other
    writers do; a rolled-back import leaves a gap, as any rolled-back INSERT does). SQLite: the
    next numbers after the highest ever given (AUTOINCREMENT's sqlite_sequence) — only inside a
    transaction that already holds the database's write lock (the import's, from its batch row
    on), so that no other writer takes them meanwhile; the INSERT moves sqlite_sequence on."""
    pk = model._meta.pk
    if count <= 0 or pk.get_internal_type() not in ("AutoField", "BigAutoField"):
        return None
    connection = _connection()
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
                [connection.ops.quote_name(table), pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite" and connection.in_atomic_block:
            quote = connection.ops.quote_name
            cursor.execute(
                f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"coalesce((SELECT max({quote(pk.column)}) FROM {quote(table)}), 0))",
                [table],
            )
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
    return None


def fast_insert(model, records: Iterable[dict], *, with_pk: bool = False) -> None:
    """INSERT one row per dict of attname → value; missing fields get their default. With
    `with_pk` each dict gives the row's primary key too (`reserve_ids`)."""
    connection = _connection()
    fields = ([model._meta.pk] if with_pk else []) + _writable_fields(model)
    now = timezone.now()
    # Per field: the attname a record gives it under and its default, or (auto_now/auto_now_add)
    # a name no record has and the value every row gets, prepared once; and the fields whose
    # values need preparing. A row is then one map() over the record's get, in C.
    names, defaults, prepared = [], [], []
    for position, field in enumerate(fields):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            names.append(_CONSTANT)
            defaults.append(field.get_db_prep_save(now, connection))
            continue
        names.append(field.attname)
        defaults.append(
            field.get_default() if field.has_default() or field.null else ("" if field.empty_strings_allowed else None)
        )
        if prepare := _preparer(field, connection):
            prepared.append((position, prepare))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"

    def rows_of(batch):
        for record in batch:
            row = list(map(record.get, names, defaults))
            for position, prepare in prepared:
                if (value := row[position]) is not None:
                    row[position] = prepare(value)
            yield row

    with connection.cursor() as cursor:
        if _uses_copy(connection):
            _copy_rows(cursor, f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", rows_of(records))
            _after_batch()
            return
        for batch in _batches(records):
            cursor.executemany(sql, list(rows_of(batch)))
            _after_batch()


def fast_update(model, attnames: list[str], rows: Iterable[tuple[int, dict]]) -> None:
    """UPDATE the given fields (and auto_now ones, and the version) of rows [(pk, {attname: value})]."""
    connection = _connection()
    meta = model._meta
    fields = [meta.get_field(name) for name in attnames]
    auto_now = [f for f in _writable_fields(model) if getattr(f, "auto_now", False) and f.attname not in attnames]
    now = [field.get_db_prep_save(timezone.now(), connection) for field in auto_now]
    plan = [(field.attname, _preparer(field, connection)) for field in fields]
    quote = connection.ops.quote_name
    # Versioned models (programs.versioning): every UPDATE raises the row's version, as save() does.
    bump_version = is_versioned(model) and "version" not in attnames

    def params_of(batch):
        for pk, values in batch:
            row = []
            for name, prepare in plan:
                value = values[name]
                row.append(prepare(value) if prepare and value is not None else value)
            yield [*row, *now, pk]

    with connection.cursor() as cursor:
        if _uses_copy(connection):
            _copy_update(cursor, quote, meta, [*fields, *auto_now], params_of(rows), bump_version=bump_version)
            _after_batch()
            return
        assignments = [f"{quote(field.column)} = %s" for field in [*fields, *auto_now]]
        if bump_version:
            assignments.append(f"{quote('version')} = {quote('version')} + 1")
        sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {quote(meta.pk.column)} = %s"
        for batch in _batches(rows):
            cursor.executemany(sql, list(params_of(batch)))
            _after_batch()


def _copy_update(cursor, quote, meta, fields, params: Iterable, *, bump_version: bool = False) -> None:
    """PostgreSQL: COPY the new values into a temporary table shaped like the target's columns,
    then one UPDATE … FROM it. The temporary table lives in this session only and is dropped here."""
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    staging = quote(f"import_update_{meta.db_table}")
    columns = [quote(field.column) for field in fields]
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    # Same column types as the target (CREATE … AS … WITH NO DATA), no constraints or indexes.
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {', '.join(columns)}, {pk} FROM {table} WITH NO DATA")
    _copy_rows(cursor, f"COPY {staging} ({', '.join(columns)}, {pk}) FROM STDIN", params)
    assignments = ", ".join(
        [f"{column} = staged.{column}" for column in columns]
        + ([f"{quote('version')} = {table}.{quote('version')} + 1"] if bump_version else [])
    )
    # "= ANY(ARRAY(…))" makes PostgreSQL fetch the staged rows by primary key; joined on the key
    # alone it hashed the whole table for every chunk (64,061 companies: ~20 ms for 500 rows).
    cursor.execute(
        f"UPDATE {table} SET {assignments} FROM {staging} AS staged WHERE {table}.{pk} = staged.{pk} "
        f"AND {table}.{pk} = ANY(ARRAY(SELECT {pk} FROM {staging}))"
    )
    # On an error the caller's transaction rolls the CREATE back with everything else (and outside
    # a transaction the DROP … IF EXISTS above clears a leftover on the next call).
    cursor.execute(f"DROP TABLE {staging}")


def bump_versions(model, pks) -> None:
    """Raise the version of rows changed without a plain-field UPDATE (many-to-many sets only)."""
    if not is_versioned(model):
        return
    ordered = sorted(set(pks))
    for start in range(0, len(ordered), BATCH_SIZE):
        model._base_manager.filter(pk__in=ordered[start : start + BATCH_SIZE]).update(version=F("version") + 1)
