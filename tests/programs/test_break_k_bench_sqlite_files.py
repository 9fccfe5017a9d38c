"""Break-it test: SQLite databases now keep a write-ahead log beside the file (-wal, -shm). A
benchmark database made again from its template must not pick up the log a killed run left."""

import shutil
import sqlite3

from bench.run import Database


def test_a_database_made_from_its_template_ignores_a_log_left_by_a_killed_run(tmp_path):
    template = sqlite3.connect(tmp_path / "template.sqlite3", isolation_level=None)
    template.execute("PRAGMA journal_mode = WAL")
    template.execute("CREATE TABLE company (name TEXT)")
    template.execute("INSERT INTO company VALUES ('양식')")
    template.close()
    database = Database("sqlite", tmp_path)
    database.create("run", template="template")
    killed = sqlite3.connect(tmp_path / "run.sqlite3", isolation_level=None)
    killed.execute("PRAGMA journal_mode = WAL")
    killed.execute("PRAGMA wal_autocheckpoint = 0")
    killed.execute("INSERT INTO company VALUES ('죽은 실행')")
    for suffix in ("-wal", "-shm"):  # what a process killed before it closed the database leaves
        shutil.copy(tmp_path / f"run.sqlite3{suffix}", tmp_path / f"left{suffix}")
    killed.close()
    for suffix in ("-wal", "-shm"):
        shutil.copy(tmp_path / f"left{suffix}", tmp_path / f"run.sqlite3{suffix}")

    database.create("run", template="template")
    fresh = sqlite3.connect(tmp_path / "run.sqlite3")
    assert fresh.execute("SELECT name FROM company").fetchall() == [("양식",)]
