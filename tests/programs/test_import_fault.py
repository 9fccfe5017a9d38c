"""An import process killed in the middle of its write leaves nothing behind: not a row, not a
version, not a batch, not a history record.

`manage.py import_excel` runs in a child process against the PostgreSQL test database; the test hook
IMPORT_TEST_KILL_AFTER_BATCHES=1 (programs/importing/bulk.py) makes it SIGKILL itself right after it
sent its first batch of 2,000 INSERTs or UPDATEs, inside the import's transaction.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from companies.models import Company, Industry, Province
from programs.importing.bulk import KILL_AFTER_BATCHES_ENV
from programs.models import ImportBatch, ImportBatchRow, Program
from tests.companies.helpers import valid_brn
from tests.programs.conflicts import company_file

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = 3000  # two batches: the process dies after the first


@pytest.fixture
def plan():
    if not Program.objects.exists():
        call_command("load_plan", verbosity=0, stdout=open("/dev/null", "w"))


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def import_killed_midway(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(), KILL_AFTER_BATCHES_ENV: "1"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    return subprocess.run(
        [sys.executable, "manage.py", "import_excel", "companies", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        timeout=180,
    )


def snapshot():
    return (
        list(Company.objects.order_by("brn").values_list("brn", "employees", "version")),
        Company.history.count(),
        ImportBatch.objects.count(),
        ImportBatchRow.objects.count(),
    )


def test_killed_while_inserting_new_rows(plan, tmp_path):
    path = tmp_path / "기업.xlsx"
    path.write_bytes(company_file([[valid_brn(i), f"새기업{i}", "경기", "주조", 5] for i in range(ROWS)]))
    before = snapshot()
    process = import_killed_midway(path)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()
    assert snapshot() == before
    assert not Company.objects.exists()


def test_killed_while_updating_stored_rows(plan, tmp_path):
    province, industry = Province.objects.get(short_name="경기"), Industry.objects.get(name="주조")
    brns = [valid_brn(i) for i in range(ROWS)]
    Company.objects.bulk_create(
        Company(brn=brn, name=f"기업{i}", province=province, industry=industry, employees=1)
        for i, brn in enumerate(brns)
    )
    path = tmp_path / "기업.xlsx"
    path.write_bytes(company_file([[brn, f"기업{i}", "경기", "주조", 9] for i, brn in enumerate(brns)]))
    before = snapshot()
    process = import_killed_midway(path)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()
    assert snapshot() == before
    assert set(Company.objects.values_list("employees", "version")) == {(1, 1)}
