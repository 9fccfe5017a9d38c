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


CHANGELISTS = (
    "/admin/companies/company/",
    "/admin/companies/company/?duplicate=yes",
    "/admin/companies/company/?q=가상뿌리기업 0123",
    "/admin/companies/application/",
    "/admin/companies/application/?duplicate=yes",
    # Staff pages that walk the plan (issue 6): django-filter lists with the same bar.
    "/plan/programs/",
    "/plan/companies/",
    "/plan/companies/?sales_bracket=3&growth_stage=doyak",
    "/plan/companies/?app_program=1&app_status=selected&app_year=2025",
    "/plan/companies/?duplicate=true",
    "/plan/applications/",
    "/plan/applications/?year=2025&status=selected",
    "/plan/applications/?duplicate=true",
    "/plan/centers/",
    "/plan/service-requests/",
    "/plan/institutions/",
)


def page_size_setter(url: str):
    """(object, attribute) holding the page size of the list at `url`: a ModelAdmin or a view class."""
    from django.contrib import admin
    from django.urls import resolve

    from companies.models import Application, Company

    if url.startswith("/admin/"):
        return admin.site._registry[Application if "/application/" in url else Company], "list_per_page"
    return resolve(url.split("?")[0]).func.view_class, "paginate_by"


def changelist_timing(db_path: Path) -> list[dict]:
    """Median of 15 requests per list, and the query count at 50 and at 200 rows per page."""
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
    for url in CHANGELISTS:
        client.get(url)  # warm up
        timings = []
        for _ in range(15):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        holder, attribute = page_size_setter(url)
        per_page = getattr(holder, attribute)
        setattr(holder, attribute, 200)
        try:
            with CaptureQueriesContext(connection) as queries_200:
                client.get(url)
        finally:
            setattr(holder, attribute, per_page)
        results.append(
            {
                "url": url,
                "median_ms": statistics.median(timings),
                "queries": len(queries),
                "queries_200": len(queries_200),
            }
        )
    return results


def print_imports(rows: list[dict], count: int) -> None:
    default = next((row for row in rows if row["phase"] == "default"), None)
    valid = default is not None and default["errors"] == 0 and default["new"] == count
    print(f"{'phase':<16}{'seconds':>9}{'cpu s':>8}{'rows/s':>10}{'peak MB':>9}{'default/ours':>14}  counts")
    for row in rows:
        counts = {k: v for k, v in row.items() if k not in ("phase", "seconds", "cpu", "peak_mb")}
        ratio = f"{default['seconds'] / row['seconds']:.1f}x" if default and row is not default else ""
        print(
            f"{row['phase']:<16}{row['seconds']:>9.2f}{row['cpu']:>8.2f}{count / row['seconds']:>10,.0f}"
            f"{row['peak_mb']:>9.0f}{ratio:>14}  {counts}"
        )
    if default is None:
        print("default ModelResource: skipped (--skip-default)")
    elif not valid:
        print(f"WARNING: the default ModelResource did not import all {count:,} rows: the ratios are not valid.")
    else:
        print(
            "default/ours: the default ModelResource's import of the same file into an empty database "
            "(tablib reading included) divided by each of our imports."
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=64061)
    parser.add_argument("--report-count", type=int, default=5000, help="the smaller population of the report")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ppuri-bench"))
    parser.add_argument("--skip-default", action="store_true", help="leave out the slow default ModelResource")
    parser.add_argument("--phase")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.phase == "report":
        print(json.dumps(report_phase(args.db)))
        return
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
    ours, default, small = work / "ours.sqlite3", work / "default.sqlite3", work / "small.sqlite3"
    for copy in (ours, default, small):
        shutil.copy(empty, copy)
    rows = [
        run_phase("new", ours, source),
        run_phase("unchanged", ours, source),
        run_phase("changed_10pct", ours, changed),
    ]
    if not args.skip_default:
        rows.append(run_phase("default", default, source))
    print_imports(rows, args.count)
    # Full population for the changelists and the report: our companies plus ~100,000 applications.
    manage(ours, "import_excel", "applications", str(source.with_name("companies_applications.xlsx")))
    print(f"\n{'changelist':<48}{'median ms':>10}{'queries (50 rows)':>19}{'(200 rows)':>12}")
    for row in changelist_timing(ours):
        print(f"{row['url']:<48}{row['median_ms']:>10.1f}{row['queries']:>19}{row['queries_200']:>12}")
    manage(small, "generate_companies", "--count", str(args.report_count))
    reports = [run_phase("report", small), run_phase("report", ours)]
    header = f"{'companies':>10}{'applications':>14}{'seconds':>9}{'queries':>9}{'peak MB':>9}"
    print(f"\n{'committee workbook 2025':<26}{header}")
    for row in reports:
        print(
            f"{'':<26}{row['companies']:>10,}{row['applications']:>14,}{row['seconds']:>9.2f}"
            f"{row['queries']:>9}{row['peak_mb']:>9.0f}"
        )
    present = "yes" if reports[-1]["companies_reports"] else "no (its sheets are not built)"
    print(f"companies/reports.py present: {present}")


if __name__ == "__main__":
    main()
