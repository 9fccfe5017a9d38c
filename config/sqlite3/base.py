"""Django's SQLite backend, with a flush that empties tables guarded by a DELETE trigger last.

The year-agreement triggers (programs/year_triggers.py) refuse to delete a plan placement while
rows of its program and year exist. Django's SQLite flush (`manage.py flush`, the end of a
TransactionTestCase) deletes the tables one by one in the order of a set of their names, which
changes from process to process: placements emptied before budgets would be refused. Here the
tables that carry a BEFORE DELETE trigger come last, when the rows they guard are gone.
PostgreSQL flushes with one TRUNCATE, which fires no row trigger.
"""

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        guarded = {self.quote_name(table) for table in self.delete_guarded_tables()}

        def last_if_guarded(statement: str) -> bool:
            words = statement.rstrip(";").split()
            return words[:2] == ["DELETE", "FROM"] and words[-1] in guarded

        # A stable sort: the DELETEs of guarded tables after the others, the sequence resets after all.
        return sorted(
            statements, key=lambda statement: (not statement.startswith("DELETE"), last_if_guarded(statement))
        )

    def delete_guarded_tables(self) -> set[str]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            return {table for table, sql in cursor.fetchall() if " BEFORE DELETE ON " in " ".join(sql.upper().split())}


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
