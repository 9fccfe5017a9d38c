"""Import/changelist/report benchmark on the plan's full population (not part of the test suite).

    .venv/bin/python bench/run.py [--count 64061] [--workdir /tmp/ppuri-bench] [--skip-default]

Uses its own SQLite databases in --workdir (never the project's db.sqlite3). Each measured phase
runs in a fresh subprocess so that its peak memory is its own: VmHWM of /proc/self/status, which
starts again at exec (ru_maxrss does not: a child reports its parent's peak if that was higher).
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(db_path: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mb() -> float:
    """Peak resident memory of this process since it started (exec), in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def default_import(data: bytes) -> dict:
    """django-import-export's plain ModelResource, as its documentation sets it up (bench/default_resource.py)."""
    import tablib

    from bench.default_resource import DefaultCompanyResource

    dataset = tablib.Dataset().load(data, format="xlsx")
    # All-or-nothing like ours: one transaction, rolled back on any error.
    result = DefaultCompanyResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    errors = [error for _, row_errors in result.row_errors() for error in row_errors] + list(result.base_errors)
    if errors:
        print(f"default: first error: {errors[0].error!r}", file=sys.stderr)
    totals = result.totals
    return {
        "new": totals["new"],
        "updated": totals["update"],
        "unchanged": totals["skip"],
        "invalid": totals["invalid"],
        "errors": len(errors),
    }


def phase(name: str, db_path: Path, file_path: Path) -> dict:
    """Run in a subprocess: one measured import."""
    setup_django(db_path)
    from django.db import connection

    connection.cursor().execute("PRAGMA journal_mode=WAL")
    data = file_path.read_bytes()
    start, cpu_start = time.perf_counter(), cpu_seconds()
    if name == "default":
        counts = default_import(data)
    else:
        from programs.importing.kinds import get_kind
        from programs.importing.pipeline import import_file

        result = import_file(kind=get_kind("companies"), data=data, file_name=file_path.name, source="command")
        counts = {**result.counts, "errors": len(result.errors)}
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    return {"phase": name, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), **counts}


def report_phase(db_path: Path) -> dict:
    """Run in a subprocess: the committee workbook of 2025, wall time and number of SQL queries."""
    setup_django(db_path)
    import importlib.util

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from companies.models import Application, Company
    from programs.reports.committee import committee_report_bytes

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size = len(committee_report_bytes(year=2025))
    seconds = time.perf_counter() - start
    return {
        "companies": Company.objects.count(),
        "applications": Application.objects.count(),
        "seconds": seconds,
        "queries": len(queries),
        "bytes": size,
        "peak_mb": peak_mb(),
        "companies_reports": importlib.util.find_spec("companies.reports") is not None,
    }


def run_phase(name, db_path, file_path=None) -> dict:
    command = [sys.executable, __file__, "--phase", name, "--db", str(db_path)]
    if file_path:
        command += ["--file", str(file_path)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def manage(db_path, *args):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"}
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=ROOT, env=env, capture_output=True)


def changed_copy(source: Path, target: Path, share: float = 0.1):
    """The same file with `share` of the rows' 매출액 changed (openpyxl, outside the timing)."""
    import openpyxl

    workbook = openpyxl.load_workbook(source)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("매출액(원)") + 1
    step = round(1 / share)
    for row in range(2, sheet.max_row + 1, step):
        cell = sheet.cell(row=row, column=column)
        cell.value = (cell.value or 0) + 1_000_000
    workbook.save(target)


def changelist_timing(db_path: Path) -> list[dict]:
    setup_django(db_path)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    results = []
    for url in (
        "/admin/companies/company/",
        "/admin/companies/application/",
        "/admin/companies/company/?q=가상뿌리기업 0123",
        "/admin/companies/company/?duplicate=yes",
    ):
        client.get(url)  # warm up
        timings = []
        for _ in range(15):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results.append({"url": url, "median_ms": statistics.median(timings), "queries": len(queries)})
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=64061)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ppuri-bench"))
    parser.add_argument("--phase")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.db, args.file)))
        return
    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    empty = work / "empty.sqlite3"
    manage(empty, "migrate", "--noinput")
    manage(empty, "load_plan")
    source = work / "companies.xlsx"
    manage(empty, "generate_companies", "--count", str(args.count), "--xlsx", str(source))
    changed = work / "companies_changed.xlsx"
    changed_copy(source, changed)
    ours, default = work / "ours.sqlite3", work / "default.sqlite3"
    shutil.copy(empty, ours)
    shutil.copy(empty, default)
    rows = [
        run_phase("new", ours, source),
        run_phase("unchanged", ours, source),
        run_phase("changed_10pct", ours, changed),
        run_phase("default", default, source),
    ]
    print(f"{'phase':<16}{'seconds':>9}{'rows/s':>10}{'peak MB':>9}  counts")
    for row in rows:
        counts = {k: v for k, v in row.items() if k not in ("phase", "seconds", "peak_mb")}
        print(
            f"{row['phase']:<16}{row['seconds']:>9.2f}{args.count / row['seconds']:>10,.0f}{row['peak_mb']:>9.0f}  {counts}"
        )
    print(f"default / ours (new rows): {rows[3]['seconds'] / rows[0]['seconds']:.1f}x")
    # Full population for the changelists: companies from our import plus ~100,000 applications.
    manage(ours, "import_excel", "applications", str(source.with_name("companies_applications.xlsx")))
    for row in changelist_timing(ours):
        print(f"{row['url']:<48} median {row['median_ms']:6.1f} ms, {row['queries']} queries")


if __name__ == "__main__":
    main()
