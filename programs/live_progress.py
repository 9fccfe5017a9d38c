"""A running job's counters where other sessions see them at once, outside its own transaction.

An import writes everything in one transaction (all or nothing); counters saved through the same
connection would only appear when it commits, so the progress page would stand still at "파일을
읽는 중" and then jump to the end. The counters go instead:

- PostgreSQL: through a second connection of the job's own, in autocommit: each UPDATE of the
  job row is visible when it returns. A lock timeout keeps it from ever waiting on the import.
- SQLite: whose one writer is the import until it commits, to a small side file beside the
  database (`<database>-jobs`, the worker and the web server share the machine); `job_status`
  reads it while the job runs. An in-memory database (tests) has none: counters then appear at
  the end.

Progress is best effort: a counter that cannot be saved is skipped, never the job's failure.
"""

import logging
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

FIELDS = ("stage", "rows_total", "rows_read", "rows_checked", "rows_written")
LOCK_TIMEOUT_MS = 500
HEARTBEAT_SECONDS = 20  # while a job runs, however long one step takes (jobs.RUNNING_STALE_AFTER)


def side_file() -> Path | None:
    """SQLite: the side file of the default database, or None (another database, or in memory)."""
    settings = connections[DEFAULT_DB_ALIAS].settings_dict
    if connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
        return None
    name = str(settings.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(f"{name}-jobs")


def _open_side(path: Path) -> sqlite3.Connection:
    side = sqlite3.connect(path, timeout=1, isolation_level=None)
    side.execute("PRAGMA journal_mode=WAL")
    side.execute(
        "CREATE TABLE IF NOT EXISTS live (job_id INTEGER PRIMARY KEY, stage TEXT, rows_total INTEGER,"
        " rows_read INTEGER, rows_checked INTEGER, rows_written INTEGER, updated_at TEXT)"
    )
    return side


class LiveProgress:
    """Saves a job's counters (and keeps its row's updated_at moving) from outside its transaction."""

    def __init__(self, job):
        self.job = job
        self.connection = None
        self.side: sqlite3.Connection | None = None
        self.path = side_file()
        self._stop = threading.Event()
        self._heart: threading.Thread | None = None

    # --- the heartbeat: a dead worker's job is seen as failed in minutes, not at the next save ---
    def start_heartbeat(self) -> None:
        """Touch the job every HEARTBEAT_SECONDS from a thread of its own (its own connection),
        also while one step saves no counter (a file being read, a commit, a VACUUM)."""
        name = f"job-{self.job.pk}-heartbeat"
        self._heart = threading.Thread(target=self._beat_until_stopped, name=name, daemon=True)
        self._heart.start()

    def _beat_until_stopped(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connections.close_all()  # this thread's own

    def beat(self) -> None:
        now = timezone.now()
        try:
            if self.path is not None:
                side = _open_side(self.path)
                try:
                    side.execute("UPDATE live SET updated_at = ? WHERE job_id = ?", [now.isoformat(), self.job.pk])
                finally:
                    side.close()
            elif connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
                table = self.job._meta.db_table
                with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                    cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
                    cursor.execute(
                        f'UPDATE "{table}" SET "updated_at" = %s WHERE "id" = %s AND "state" = %s',
                        [now, self.job.pk, self.job.State.RUNNING],
                    )
        except (DatabaseError, sqlite3.Error, OSError) as exc:
            logger.warning("job heartbeat not saved", extra={"job_id": self.job.pk, "error": str(exc)})

    def save(self) -> None:
        job = self.job
        values = [getattr(job, name) for name in FIELDS]
        try:
            if self.path is not None:
                self._save_side(values)
            elif connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
                self._save_row(values)
        except (DatabaseError, sqlite3.Error, OSError) as exc:
            logger.warning("job progress not saved", extra={"job_id": job.pk, "error": str(exc)})

    def _save_row(self, values: list) -> None:
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self.connection.ops.quote_name
        table = quote(self.job._meta.db_table)
        assignments = ", ".join(f"{quote(name)} = %s" for name in (*FIELDS, "updated_at"))
        with self.connection.cursor() as cursor:
            # Each time: a connection made again (after a failed attempt, a dropped one) starts without it.
            cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            # Only while the job runs: one recorded as failed (fail_stale_jobs) is not brought back.
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s AND {quote('state')} = %s",
                [*values, timezone.now(), self.job.pk, self.job.State.RUNNING],
            )

    def _save_side(self, values: list) -> None:
        if self.side is None:
            self.side = _open_side(self.path)
        self.side.execute(
            "INSERT OR REPLACE INTO live VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self.job.pk, *values, timezone.now().isoformat()],
        )

    def close(self) -> None:
        """After the job: its row holds the final counters; the side file forgets it."""
        self._stop.set()
        if self._heart is not None:
            self._heart.join(5)
            self._heart = None
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if self.side is not None:
            try:
                self.side.execute("DELETE FROM live WHERE job_id = ?", [self.job.pk])
            except sqlite3.Error:
                pass
            self.side.close()
            self.side = None


def _read_side(sql: str, params: list) -> list | None:
    """SQLite: rows of `sql` from the side file, or None (no side file, or unreadable)."""
    path = side_file()
    if path is None or not path.exists():
        return None
    try:
        side = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return side.execute(sql, params).fetchall()
        finally:
            side.close()
    except sqlite3.Error:
        return None


def live_counts(job) -> dict | None:
    """SQLite: the counters a running job saved to the side file, or None."""
    rows = _read_side(f"SELECT {', '.join(FIELDS)} FROM live WHERE job_id = ?", [job.pk])
    return dict(zip(FIELDS, rows[0], strict=True)) if rows else None


def moved_since(cutoff) -> set[int]:
    """SQLite: the jobs whose counters reached the side file after `cutoff` (their rows' updated_at
    stays at the claim while they run: jobs.fail_stale_jobs must not take them for dead)."""
    moved = set()
    for job_id, updated_at in _read_side("SELECT job_id, updated_at FROM live", []) or []:
        try:
            if datetime.fromisoformat(updated_at) >= cutoff:
                moved.add(job_id)
        except (TypeError, ValueError):
            continue
    return moved
