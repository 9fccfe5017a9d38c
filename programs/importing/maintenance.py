"""After a large import: fresh planner statistics and visibility map for the tables it wrote.

An import writes tens of thousands of rows in one COPY. Until PostgreSQL's autovacuum visits the
tables (a minute or more later, never when it is switched off), the planner still believes the
tables are as small as before the import and no page is marked all-visible, so the lists' counts
cannot be answered from the indexes alone: right after importing 200,000 applications the 중복지원
counts took 75-110 ms instead of 12-22 ms, and the year + status list sorted every matching row
because the planner expected 3 of them (bench/README.md). `VACUUM (ANALYZE)` of the written tables
takes well under a second and makes the lists as fast as they will be once autovacuum has run.

VACUUM cannot run inside a transaction: the background worker runs outside one and vacuums; inside
a transaction (a request using the immediate task backend, tests) only ANALYZE runs. SQLite needs
neither (its planner does not use such statistics unless asked). Small imports are left to
autovacuum.
"""

import logging
from contextlib import nullcontext

from django.db import DatabaseError, connection, transaction

from programs.models import ImportBatchRow

logger = logging.getLogger(__name__)

REFRESH_FROM_ROWS = 5000


def tables_written(model) -> list[str]:
    """The tables an import of `model` writes: the model's, its history's and the batch rows'."""
    models = [model]
    history = getattr(model, "history", None)
    if history is not None:
        models.append(history.model)
    models.append(ImportBatchRow)
    return [m._meta.db_table for m in models]


def refresh_after_import(model, *, rows_written: int) -> list[str]:
    """VACUUM (ANALYZE), or ANALYZE inside a transaction, the tables an import of `rows_written`
    rows wrote; the tables refreshed (none below REFRESH_FROM_ROWS or off PostgreSQL)."""
    if rows_written < REFRESH_FROM_ROWS or connection.vendor != "postgresql":
        return []
    tables = tables_written(model)
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    try:
        with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{statement} {connection.ops.quote_name(table)}")
    except DatabaseError:
        # The import is stored; slower lists until autovacuum runs are no reason to report a failure.
        logger.exception("refreshing statistics after an import failed", extra={"tables": tables})
        return []
    return tables
