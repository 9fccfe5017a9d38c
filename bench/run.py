"""Import/export/report/page benchmark on the plan's full population (not part of the test suite).

    .venv/bin/python bench/run.py [--count 64061] [--databases sqlite,postgresql] [--skip-peers]
                                  [--large 200000,600000]
    .venv/bin/python bench/run.py --reads 64061,200000,600000 --reads-only   # the .xlsx readers alone

Prints one table per database: SQLite always, PostgreSQL when `DATABASE_URL` names one or the
local server (postgres://postgres@127.0.0.1:5432/ppuri) answers. Every database is made here:
SQLite files in --workdir, PostgreSQL databases named after the URL's (`<name>_bench_*`, copied
from a migrated template with CREATE DATABASE … TEMPLATE), never the project's own.

Each measured phase runs in a fresh subprocess so that time and peak memory are its own: VmHWM of
/proc/self/status starts again at exec (ru_maxrss does not: a child reports its parent's peak).
bench/README.md names every configuration and the goals.
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
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/ppuri"
DEFAULT_PEER_ROWS = 10_000
APPLICATIONS = 200_000

# --- inside a phase's subprocess ------------------------------------------------------------


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
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


class Stages:
    """Wall time spent in the pipeline's steps, measured by wrapping its module functions.

    "read_rows" is read_table (calamine loading the sheet) plus read_chunk (rows handed out and
    parsed, a chunk at a time): the parse share is that minus the read floor measured on its own
    (`floor` phase)."""

    def __init__(self):
        from programs.importing import pipeline

        self.seconds = {}
        self.pipeline = pipeline
        self.originals = {}
        for name, stage in (
            ("read_table", "read_rows"),
            ("read_chunk", "read_rows"),
            ("resolve_chunk", "resolve"),
            ("compare", "compare"),
            ("write_chunk", "write"),
        ):
            self._wrap(pipeline, name, stage)

    def _wrap(self, module, attribute, stage):
        original = getattr(module, attribute)
        self.originals[(module, attribute)] = original

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

        setattr(module, attribute, timed)


def import_phase(name: str, file_path: Path) -> dict:
    setup_django()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.cursor().execute("PRAGMA journal_mode=WAL")
    data = file_path.read_bytes()
    stages = Stages() if name.startswith("ours") else None
    start, cpu_start = time.perf_counter(), cpu_seconds()
    if name.startswith("ours"):
        from programs.importing.kinds import get_kind
        from programs.importing.pipeline import import_file

        kind = "applications" if "applications" in name else "companies"
        result = import_file(kind=get_kind(kind), data=data, file_name=file_path.name, source="command")
        counts = {**result.counts, "errors": len(result.errors)}
        if result.errors:
            print(f"{name}: first error: {result.errors[0]}", file=sys.stderr)
    else:
        counts = peer_import(name, data)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
    row = {"phase": name, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), **counts}
    if name.startswith("ours"):
        # What the worker and import_excel do next (programs/importing/maintenance.py), timed apart.
        from programs.importing.maintenance import refresh_after_import

        start = time.perf_counter()
        refresh_after_import(result.kind.model, rows_written=counts["new"] + counts["updated"])
        row["refresh_seconds"] = time.perf_counter() - start
    if stages:
        row["stages"] = stages.seconds
    return row


def peer_import(name: str, data: bytes) -> dict:
    """django-import-export: the default resource (tablib reading) or the tuned one (calamine)."""
    import tablib

    if name.startswith("tuned"):
        from bench.tuned_resource import TunedCompanyResource, TunedReimportResource, calamine_dataset

        tuned = TunedReimportResource if "unchanged" in name else TunedCompanyResource
        resource_, dataset = tuned(), calamine_dataset(data)
    else:
        from bench.default_resource import DefaultCompanyResource

        resource_, dataset = DefaultCompanyResource(), tablib.Dataset().load(data, format="xlsx")
    # All-or-nothing like ours: one transaction, rolled back on any error.
    result = resource_.import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
    errors = [error for _, row_errors in result.row_errors() for error in row_errors] + list(result.base_errors)
    if errors:
        print(f"{name}: first error: {errors[0].error!r}", file=sys.stderr)
    totals = result.totals
    return {
        "new": totals["new"],
        "updated": totals["update"],
        "unchanged": totals["skip"],
        "invalid": totals["invalid"],
        "errors": len(errors),
    }


def floor_phase(file_path: Path) -> dict:
    """The read floor: python-calamine opening the file and handing out every row as Python lists."""
    import io

    from python_calamine import CalamineWorkbook

    data = file_path.read_bytes()
    start = time.perf_counter()
    rows = sum(1 for _ in CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).iter_rows())
    return {"phase": "floor", "seconds": time.perf_counter() - start, "rows": rows, "peak_mb": peak_mb()}


def current_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def read_phase(file_path: Path, reader: str) -> dict:
    """One .xlsx reader alone: `read_table` with `reader` forced ("calamine" or "stream"), every row
    handed out and dropped. `seconds` is read_table (its size check included) and the iteration;
    `check_seconds` the size check alone (run once more first); `base_mb` the resident memory with
    Django loaded and the file's bytes read, `peak_mb` the process's peak (VmHWM)."""
    setup_django()
    from programs.importing.files import check_upload, read_table

    data = file_path.read_bytes()
    start = time.perf_counter()
    check_upload(data, file_path.name)
    check_seconds = time.perf_counter() - start
    base = current_mb()
    start, cpu_start = time.perf_counter(), cpu_seconds()
    rows = cells = 0
    for row in read_table(data, file_path.name, reader=reader).rows:
        rows += 1
        cells += len(row)
    seconds = time.perf_counter() - start
    return {
        "phase": f"read {reader}",
        "reader": reader,
        "seconds": seconds,
        "cpu": cpu_seconds() - cpu_start,
        "check_seconds": check_seconds,
        "rows": rows,
        "cells": cells,
        "base_mb": base,
        "peak_mb": peak_mb(),
        "file_mb": len(data) / 2**20,
    }


def export_phase(kind_name: str) -> dict:
    """Every row of a kind to .xlsx, as the admin's 내보내기 (and its background task) writes it."""
    setup_django()
    import tempfile

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.importing.export import export_kind
    from programs.importing.kinds import get_kind

    kind = get_kind(kind_name)
    with tempfile.TemporaryFile() as stream, CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        export_kind(kind=kind, stream=stream, file_format="xlsx")
        seconds = time.perf_counter() - start
        size = stream.tell()
    return {
        "phase": f"export {kind_name}",
        "rows": kind.model._default_manager.count(),
        "seconds": seconds,
        "queries": len(queries),
        "bytes": size,
        "peak_mb": peak_mb(),
    }


def report_phase() -> dict:
    """The committee workbook of 2025: wall time and number of SQL queries."""
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from companies.models import Application, Company
    from programs.reports.committee import committee_report_bytes

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size = len(committee_report_bytes(year=2025))
    return {
        "phase": "report",
        "companies": Company.objects.count(),
        "applications": Application.objects.count(),
        "seconds": time.perf_counter() - start,
        "queries": len(queries),
        "bytes": size,
        "peak_mb": peak_mb(),
    }


PAGES = (
    "/admin/",
    "/admin/companies/company/",
    "/admin/companies/company/?duplicate=yes",
    "/admin/companies/company/?q=가상뿌리기업 0123",
    "/admin/companies/application/",
    "/admin/companies/application/?duplicate=yes",
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
    """(object, attribute) holding the page size of the list at `url`, or None (the admin index)."""
    from django.contrib import admin
    from django.urls import resolve

    from companies.models import Application, Company

    if url == "/admin/":
        return None
    if url.startswith("/admin/"):
        return admin.site._registry[Application if "/application/" in url else Company], "list_per_page"
    return resolve(url.split("?")[0]).func.view_class, "paginate_by"


def pages_phase() -> list[dict]:
    """Median of 15 requests per page, and the query count at 50 and at 200 rows per page."""
    setup_django()
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
    for url in PAGES:
        client.get(url)  # warm up
        timings = []
        for _ in range(15):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        queries_200 = len(queries)
        setter = page_size_setter(url)
        if setter:
            holder, attribute = setter
            per_page = getattr(holder, attribute)
            setattr(holder, attribute, 200)
            try:
                with CaptureQueriesContext(connection) as larger:
                    client.get(url)
                queries_200 = len(larger)
            finally:
                setattr(holder, attribute, per_page)
        results.append(
            {
                "url": url,
                "median_ms": statistics.median(timings),
                "p95_ms": sorted(timings)[int(len(timings) * 0.95) - 1],
                "queries": len(queries),
                "queries_200": queries_200,
            }
        )
    return results


# --- the driver ----------------------------------------------------------------------------


class Database:
    """Where a table's phases run: SQLite files or PostgreSQL databases, each made from a template."""

    def __init__(self, vendor: str, work: Path, postgres_url: str | None = None):
        self.vendor, self.work, self.postgres_url = vendor, work, postgres_url
        self.label = "SQLite" if vendor == "sqlite" else "PostgreSQL"

    def url(self, name: str) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.work / f'{name}.sqlite3'}"
        parts = urlsplit(self.postgres_url)
        base = parts.path.lstrip("/") or "ppuri"
        return urlunsplit(parts._replace(path=f"/{base}_bench_{name}"))

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = urlsplit(self.postgres_url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
            connection.execute(sql)

    def _pg_name(self, name: str) -> str:
        return urlsplit(self.url(name)).path.lstrip("/")

    def create(self, name: str, template: str | None = None) -> str:
        if self.vendor == "sqlite":
            target = self.work / f"{name}.sqlite3"
            # With the write-ahead log (config/settings/base.py), a killed run leaves -wal and -shm
            # beside the file: a new file of the same name would replay that log.
            for suffix in ("", "-wal", "-shm", "-journal"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            if template:
                shutil.copy(self.work / f"{template}.sqlite3", target)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self._pg_name(name)}" WITH (FORCE)')
            copy = f' TEMPLATE "{self._pg_name(template)}"' if template else ""
            self._admin(f'CREATE DATABASE "{self._pg_name(name)}"{copy}')
        return self.url(name)

    def drop_all(self, names) -> None:
        if self.vendor == "postgresql":
            for name in names:
                self._admin(f'DROP DATABASE IF EXISTS "{self._pg_name(name)}" WITH (FORCE)')


def postgres_url() -> str | None:
    """DATABASE_URL when it names PostgreSQL, else the local server if it answers."""
    import psycopg

    given = os.environ.get("DATABASE_URL", "")
    url = given if given.startswith(("postgres://", "postgresql://")) else LOCAL_POSTGRES
    parts = urlsplit(url)
    try:
        psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3).close()
    except psycopg.Error:
        return None
    return url


def run(args: list[str], url: str) -> list | dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [sys.executable, __file__, *args]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if completed.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    if completed.stderr.strip():
        print(completed.stderr.strip()[-500:], file=sys.stderr)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def manage(url: str, *args) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
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


def make_files(work: Path, count: int, applications: int, peer_rows: int) -> dict[str, Path]:
    """The companies file (and its applications), a 10%-changed copy, and the default peer's smaller file."""
    url = f"sqlite:///{work / 'files.sqlite3'}"
    manage(url, "migrate", "--noinput")
    manage(url, "load_plan")
    files = {"companies": work / "companies.xlsx", "changed": work / "companies_changed.xlsx"}
    manage(url, "generate_companies", "--count", str(count), "--xlsx", str(files["companies"]))
    manage(
        url,
        "generate_companies",
        "--count",
        str(count),
        "--applications",
        str(applications),
        "--xlsx",
        str(work / "population.xlsx"),
    )
    files["applications"] = work / "population_applications.xlsx"
    changed_copy(files["companies"], files["changed"])
    files["peer"] = work / "companies_peer.xlsx"
    manage(url, "generate_companies", "--count", str(min(peer_rows, count)), "--xlsx", str(files["peer"]))
    return files


def measure(db: Database, files: dict[str, Path], count: int, *, peers: bool) -> dict:
    """Every figure of one database's table."""
    template = db.create("template")
    manage(template, "migrate", "--noinput")
    manage(template, "load_plan")
    ours = db.create("ours", "template")
    figures = {"floor": run(["--phase", "floor", "--file", str(files["companies"])], ours)}
    figures["imports"] = [
        run(["--phase", "ours new", "--file", str(files["companies"])], ours),
        run(["--phase", "ours unchanged", "--file", str(files["companies"])], ours),
        run(["--phase", "ours 10% changed", "--file", str(files["changed"])], ours),
    ]
    if peers:
        tuned = db.create("tuned", "template")
        figures["imports"] += [
            run(["--phase", "tuned new", "--file", str(files["companies"])], tuned),
            run(["--phase", "tuned unchanged", "--file", str(files["companies"])], tuned),
        ]
        default = db.create("default", "template")
        figures["imports"].append(run(["--phase", "default new", "--file", str(files["peer"])], default))
        db.drop_all(["tuned", "default"])
    figures["applications"] = run(["--phase", "ours applications", "--file", str(files["applications"])], ours)
    figures["exports"] = [run(["--phase", "export", "--kind", kind], ours) for kind in ("companies", "applications")]
    figures["report"] = run(["--phase", "report"], ours)
    figures["pages"] = run(["--phase", "pages"], ours)
    db.drop_all(["ours", "template"])
    return figures


def print_table(db: Database, figures: dict, count: int, peer_rows: int) -> None:
    print(f"\n=== {db.label} — {count:,} companies ===")
    floor = figures["floor"]
    print(f"read floor (python-calamine iterating the file): {floor['seconds']:.2f} s, {floor['rows']:,} rows")
    imports = figures["imports"]
    by_phase = {row["phase"]: row for row in imports}
    default = by_phase.get("default new")
    if default:
        # Row by row: its time grows linearly with the rows, so the 10,000-row run is scaled.
        default["scaled_seconds"] = default["seconds"] * count / max(default["new"], 1)
    print(
        f"{'import':<20}{'seconds':>9}{'cpu s':>8}{'rows/s':>9}{'peak MB':>9}{'tuned/ours':>11}{'default/ours':>13}"
        "  where the time goes (s)"
    )
    for row in imports:
        seconds = row.get("scaled_seconds", row["seconds"])
        tuned = by_phase.get(
            "tuned unchanged" if "unchanged" in row["phase"] or "changed" in row["phase"] else "tuned new"
        )
        ratio_tuned = f"{tuned['seconds'] / row['seconds']:.1f}x" if tuned and row["phase"].startswith("ours") else ""
        ratio_default = (
            f"{default['scaled_seconds'] / row['seconds']:.1f}x" if default and row["phase"].startswith("ours") else ""
        )
        name = row["phase"] + (" *" if row is default else "")
        print(
            f"{name:<20}{seconds:>9.2f}{row['cpu']:>8.2f}{count / seconds:>9,.0f}{row['peak_mb']:>9.0f}"
            f"{ratio_tuned:>11}{ratio_default:>13}  {stage_text(row, floor)}"
        )
    if default:
        print(
            f"* default resource: {default['new']:,} rows in {default['seconds']:.1f} s, scaled to {count:,} rows "
            f"(×{count / max(default['new'], 1):.2f}); errors {default['errors']}"
        )
    apps = figures["applications"]
    total = apps["new"] + apps["updated"] + apps["unchanged"]
    print(
        f"applications import ({total:,} rows, new): {apps['seconds']:.2f} s, "
        f"peak {apps['peak_mb']:.0f} MB  {stage_text(apps, None)}; "
        f"then VACUUM (ANALYZE) of the written tables {apps.get('refresh_seconds', 0):.2f} s"
    )
    for export in figures["exports"]:
        print(
            f"{export['phase']} to .xlsx: {export['rows']:,} rows in {export['seconds']:.2f} s, "
            f"{export['queries']} queries, {export['bytes'] / 1e6:.1f} MB, peak {export['peak_mb']:.0f} MB"
        )
    report = figures["report"]
    print(
        f"committee report 2025 ({report['companies']:,} companies, {report['applications']:,} applications): "
        f"{report['seconds']:.2f} s, {report['queries']} queries, peak {report['peak_mb']:.0f} MB"
    )
    print(f"{'page':<64}{'median ms':>10}{'p95 ms':>8}{'queries':>9}{'(200/page)':>11}")
    for page in figures["pages"]:
        print(
            f"{page['url']:<64}{page['median_ms']:>10.1f}{page['p95_ms']:>8.1f}{page['queries']:>9}"
            f"{page['queries_200']:>11}"
        )


def stage_text(row: dict, floor: dict | None) -> str:
    stages = row.get("stages")
    if not stages:
        return ""
    read_parse = stages.get("read_rows", 0.0)
    read = min(floor["seconds"], read_parse) if floor else None
    accounted = read_parse + sum(stages.get(name, 0) for name in ("resolve", "compare", "write"))
    parts = (
        [f"read {read:.2f}", f"parse {read_parse - read:.2f}"] if read is not None else [f"read+parse {read_parse:.2f}"]
    )
    parts += [
        f"resolve {stages.get('resolve', 0):.2f}",
        f"other {max(row['seconds'] - accounted, 0):.2f}",
        f"compare {stages.get('compare', 0):.2f}",
        f"write {stages.get('write', 0):.2f}",
    ]
    return ", ".join(parts)


def large_imports(db: Database, work: Path, sizes: list[int]) -> None:
    """Imports of larger files, new rows and then the same file again (every row compared and
    unchanged): time should grow linearly, peak memory should not grow with the file."""
    print(f"\n=== {db.label} — larger files ===")
    print(f"{'rows':>10}  {'import':<10}{'seconds':>9}{'rows/s':>9}{'peak MB':>9}")
    url = f"sqlite:///{work / 'files.sqlite3'}"
    if not (work / "files.sqlite3").exists():
        manage(url, "migrate", "--noinput")
        manage(url, "load_plan")
    for size in sizes:
        path = work / f"companies_{size}.xlsx"
        if not path.exists():
            manage(url, "generate_companies", "--count", str(size), "--applications", "0", "--xlsx", str(path))
        template = db.create("template")
        manage(template, "migrate", "--noinput")
        manage(template, "load_plan")
        for label, phase in (("new", "ours new"), ("unchanged", "ours unchanged")):
            row = run(["--phase", phase, "--file", str(path)], template)
            print(
                f"{size:>10,}  {label:<10}{row['seconds']:>9.2f}{size / row['seconds']:>9,.0f}{row['peak_mb']:>9.0f}",
                flush=True,
            )
        db.drop_all(["template"])


def read_files(work: Path, sizes: list[int]) -> list[tuple[int, str, Path]]:
    """For each size: the companies file as `generate_companies --xlsx` writes it (inline strings)
    and its shared-string version (bench/shared_strings.py: as Excel saves it)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.shared_strings import to_shared_strings

    url = f"sqlite:///{work / 'files.sqlite3'}"
    if not (work / "files.sqlite3").exists():
        manage(url, "migrate", "--noinput")
        manage(url, "load_plan")
    files = []
    for size in sizes:
        inline = work / f"companies_{size}.xlsx"
        if not inline.exists():
            start = time.perf_counter()
            manage(url, "generate_companies", "--count", str(size), "--applications", "0", "--xlsx", str(inline))
            print(f"generate_companies --count {size:,}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
        shared = work / f"companies_{size}_shared.xlsx"
        if not shared.exists():
            to_shared_strings(inline, shared)
        files += [(size, "inline", inline), (size, "shared", shared)]
    return files


def reads_table(work: Path, sizes: list[int]) -> None:
    """The floor of each .xlsx reader: seconds, µs a cell (rows × columns handed out) and memory.

    "read s" is read_table (its size check included) and the iteration; "µs/cell" counts the
    reader alone (read s minus check s); "base MB" is Django and the file's bytes, "peak MB" the
    phase's VmHWM."""
    url = f"sqlite:///{work / 'files.sqlite3'}"
    print("\n=== .xlsx readers alone (read_table with the reader forced, every row iterated) ===")
    headers = ("file MB", "check s", "read s", "µs/cell", "base MB", "peak MB")
    print(f"{'rows':>9} {'strings':<7} {'reader':<9}" + "".join(f"{header:>8}" for header in headers))
    for size, variant, path in read_files(work, sizes):
        for reader in ("calamine", "stream"):
            row = run(["--phase", "read", "--file", str(path), "--reader", reader], url)
            per_cell = max(row["seconds"] - row["check_seconds"], 0) / row["cells"] * 1e6
            print(
                f"{size:>9,} {variant:<7} {reader:<9}{row['file_mb']:>8.1f}{row['check_seconds']:>8.2f}"
                f"{row['seconds']:>8.2f}{per_cell:>8.2f}{row['base_mb']:>8.0f}{row['peak_mb']:>8.0f}"
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=64061)
    parser.add_argument("--applications", type=int, default=APPLICATIONS)
    parser.add_argument("--peer-rows", type=int, default=DEFAULT_PEER_ROWS, help="rows of the default peer's run")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ppuri-bench"))
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--skip-peers", action="store_true", help="leave out django-import-export")
    parser.add_argument("--large", default="", help="also import larger files, e.g. 200000,600000")
    parser.add_argument("--large-only", action="store_true", help="only the --large table")
    parser.add_argument("--reads", default="", help="the .xlsx readers alone on files of these sizes: 64061,200000")
    parser.add_argument("--reads-only", action="store_true", help="only the --reads table")
    parser.add_argument("--reader", default="stream")
    parser.add_argument("--phase")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--kind")
    args = parser.parse_args()
    if args.phase:
        if args.phase == "floor":
            result = floor_phase(args.file)
        elif args.phase == "read":
            result = read_phase(args.file, args.reader)
        elif args.phase == "export":
            result = export_phase(args.kind)
        elif args.phase == "report":
            result = report_phase()
        elif args.phase == "pages":
            result = pages_phase()
        else:
            result = import_phase(args.phase, args.file)
        print(json.dumps(result))
        return
    work = args.workdir
    read_sizes = [int(size) for size in args.reads.split(",") if size.strip()]
    if args.reads_only:
        work.mkdir(parents=True, exist_ok=True)
        reads_table(work, read_sizes)
        return
    if not args.large_only:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    databases = [Database("sqlite", work)] if "sqlite" in args.databases else []
    if "postgresql" in args.databases:
        url = postgres_url()
        if url:
            databases.append(Database("postgresql", work, url))
        else:
            print("PostgreSQL: not reachable (DATABASE_URL or 127.0.0.1:5432), its table is left out.")
    started = time.perf_counter()
    files = {} if args.large_only else make_files(work, args.count, args.applications, args.peer_rows)
    for db in databases if not args.large_only else []:
        figures = measure(db, files, args.count, peers=not args.skip_peers)
        print_table(db, figures, args.count, args.peer_rows)
        (work / f"figures-{db.vendor}.json").write_text(json.dumps(figures, indent=1))
    sizes = [int(size) for size in args.large.split(",") if size.strip()]
    if sizes:
        for db in databases:
            large_imports(db, work, sizes)
    if read_sizes:
        reads_table(work, read_sizes)
    print(f"\n(bench took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
