"""PostgreSQL tuning the list pages rely on (bench/README.md has the figures).

- No parallel query workers by default (DATABASE_PARALLEL_WORKERS): many short page queries at
  once, not one large query on an idle server.
- After a large import the written tables get fresh planner statistics (and, in the worker,
  their visibility map), so the lists do not wait for autovacuum.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from companies.models import Company
from config.settings.base import database_settings
from programs.importing import maintenance
from programs.models import BackgroundJob
from tests.companies.helpers import COMPANY_HEADERS, valid_brn, write_xlsx

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")


def test_postgresql_connections_ask_for_no_parallel_workers_unless_told():
    options = database_settings("postgres://u@db:5432/ppuri", conn_max_age=0, parallel_workers=0)["OPTIONS"]
    assert options["options"] == "-c max_parallel_workers_per_gather=0"
    given = database_settings(
        "postgres://u@db:5432/ppuri?options=-c%20statement_timeout%3D5000", conn_max_age=0, parallel_workers=2
    )["OPTIONS"]
    assert given["options"] == "-c statement_timeout=5000 -c max_parallel_workers_per_gather=2"
    assert "options" not in database_settings("sqlite:////tmp/x.sqlite3", conn_max_age=0, parallel_workers=0).get(
        "OPTIONS", {}
    )


@postgresql_only
def test_the_test_database_connection_runs_without_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def planner_rows(model) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        return cursor.fetchone()[0]


@postgresql_only
def test_a_large_background_import_leaves_the_planner_knowing_the_new_rows(admin_user, tmp_path, monkeypatch, settings):
    from programs.jobs import job_start

    monkeypatch.setattr(maintenance, "REFRESH_FROM_ROWS", 40)
    rows = [[valid_brn(), f"통계기업 {i}", "경기", "주조", 1, 1, 0, None, "N", ""] for i in range(60)]
    path = write_xlsx(tmp_path / "many.xlsx", COMPANY_HEADERS, rows)
    before = planner_rows(Company)

    job = job_start(action="import", kind="companies", user=admin_user, file_name="many.xlsx", source=path.read_bytes())

    assert job.state == BackgroundJob.State.DONE and Company.objects.filter(name__startswith="통계기업").count() == 60
    assert before < Company.objects.count() <= planner_rows(Company)


@postgresql_only
def test_a_small_import_is_left_to_autovacuum(tmp_path, monkeypatch):
    monkeypatch.setattr(maintenance, "REFRESH_FROM_ROWS", 40)
    path = write_xlsx(
        tmp_path / "few.xlsx", COMPANY_HEADERS, [[valid_brn(), "소수기업", "경기", "주조", 1, 1, 0, None, "N", ""]]
    )
    before = planner_rows(Company)
    call_command("import_excel", "companies", str(path), verbosity=0)
    assert Company.objects.filter(name="소수기업").exists() and planner_rows(Company) == before


def test_nothing_is_refreshed_off_postgresql_or_below_the_threshold(monkeypatch):
    monkeypatch.setattr(maintenance, "REFRESH_FROM_ROWS", 100)
    assert maintenance.refresh_after_import(Company, rows_written=99) == []
    expected = (
        ["companies_company", "companies_historicalcompany", "programs_importbatchrow"]
        if connection.vendor == "postgresql"
        else []
    )
    assert maintenance.refresh_after_import(Company, rows_written=100) == expected
