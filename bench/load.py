"""Load figure: staff sessions browsing the lists on gunicorn + PostgreSQL while a large import runs.

    .venv/bin/python bench/load.py                      # 30 sessions, 64,061 companies, 200,000 applications
    .venv/bin/python bench/load.py --sessions 10 --count 5000 --applications 15000 --baseline 10

What it does, against 127.0.0.1 only (bench/README.md has the figures):

1. makes a PostgreSQL database of its own (`<name>_bench_load`, from DATABASE_URL or the local
   server; dropped at the end), migrates it, loads the plan and the population (the companies and
   applications files of `generate_companies`, imported with `import_excel`), and creates the
   staff accounts (role 시스템 관리자) and one importing superuser;
2. starts `bin/serve` as production runs it (config.settings.production, gunicorn with its default
   workers and threads, WhiteNoise, the db_worker) on a free port;
3. logs every session in through the admin's login form (cookies and CSRF as a browser sends them;
   the server is told the connection is HTTPS as its proxy would);
4. each session browses list pages (admin changelists and /plan/ lists, with and without filters),
   one after another with a short pause (--think); after --baseline seconds the importing session
   uploads a file of --count NEW companies through the admin (upload, preview, confirm), the
   worker imports it, and the session follows the progress page until it is done;
5. stops --tail seconds after the import finished (or at --max-seconds), then prints, per page
   kind, the request count, p50 and p95 latency before the import and while it ran, and the
   errors (HTTP status other than 200, or no answer within --timeout).

The run is bounded: --max-seconds (default 900) stops everything whatever happens.
"""

import argparse
import datetime
import json
import os
import random
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Database, manage, postgres_url, setup_django  # noqa: E402

# Set once by the driver; its subprocesses (the users phase) inherit it.
PASSWORD = os.environ.setdefault("PPURI_LOAD_PASSWORD", "load-test-" + secrets.token_hex(8))

# (kind, url): what staff open most, with the filters the issue names.
PAGES = (
    ("admin companies", "/admin/companies/company/"),
    ("admin companies duplicate", "/admin/companies/company/?duplicate=yes"),
    ("admin companies search", "/admin/companies/company/?q=가상뿌리기업 0123"),
    ("admin applications", "/admin/companies/application/"),
    ("admin applications duplicate", "/admin/companies/application/?duplicate=yes"),
    ("admin applications year+status", "/admin/companies/application/?year=2025&status__exact=selected"),
    ("plan companies", "/plan/companies/"),
    ("plan companies filtered", "/plan/companies/?sales_bracket=3&growth_stage=doyak"),
    ("plan companies duplicate", "/plan/companies/?duplicate=true"),
    ("plan applications", "/plan/applications/"),
    ("plan applications year+status", "/plan/applications/?year=2025&status=selected"),
    ("plan applications duplicate", "/plan/applications/?duplicate=true"),
    ("plan programs", "/plan/programs/"),
    ("admin index", "/admin/"),
)


# --- phases that need Django (run in a subprocess with the bench's settings) -----------------------


def users_phase(sessions: int) -> dict:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from programs import access

    User = get_user_model()
    group = Group.objects.get(name=access.SYSTEM_ADMIN)
    names = []
    for number in range(1, sessions + 1):
        user, _ = User.objects.get_or_create(username=f"load{number:02d}", defaults={"is_staff": True})
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(group)
        names.append(user.username)
    importer, _ = User.objects.get_or_create(
        username="load-importer", defaults={"is_staff": True, "is_superuser": True}
    )
    importer.set_password(PASSWORD)
    importer.save()
    return {"staff": names, "importer": importer.username}


def new_companies_phase(source: Path, target: Path, offset: int) -> dict:
    """The companies of `source` under new 사업자등록번호 (serials after `offset`) and names."""
    setup_django()
    from python_calamine import CalamineWorkbook

    from companies.synthetic import synthetic_brn
    from programs.excel import ExcelColumn, write_xlsx

    rows = CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0).to_python()
    header, body = rows[0], rows[1:]
    brn, name = header.index("사업자등록번호"), header.index("업체명")

    def renamed():
        for serial, row in enumerate(body, start=offset + 1):
            row = list(row)
            number = synthetic_brn(serial)
            row[brn] = f"{number[:3]}-{number[3:5]}-{number[5:]}"
            row[name] = f"부하시험기업 {serial:06d}"
            yield [None if value == "" else value for value in row]

    with target.open("wb") as stream:
        write_xlsx(stream, [ExcelColumn(title) for title in header], renamed(), sheet_title="뿌리기업")
    return {"rows": len(body), "bytes": target.stat().st_size}


def phase(args: list[str], url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    completed = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )
    if completed.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- HTTP as a browser behind the TLS proxy does it ------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Session:
    """One logged-in staff member: cookies kept by hand (they are Secure; the bench talks plain HTTP
    to 127.0.0.1 with X-Forwarded-Proto: https, as the proxy in front of gunicorn would)."""

    def __init__(self, base: str, timeout: float):
        self.base, self.timeout, self.cookies = base, timeout, {}

    def request(self, path: str, *, data: bytes | None = None, content_type: str | None = None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
            "User-Agent": "ppuri-bench-load",
        }
        if data is not None:
            origin = "https://" + urllib.parse.urlsplit(self.base).netloc
            headers.update({"Origin": origin, "Referer": origin + path})
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        url = self.base + urllib.parse.quote(path, safe="/?=&%")
        request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
        try:
            response = OPENER.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:  # redirects (no handler) and error statuses
            response = error
        with response:
            body = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                key, _, rest = header.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers, body

    def csrf_form(self, path: str) -> str:
        status, _, body = self.request(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"{path}: HTTP {status}, no CSRF form")
        return match.group(1).decode()

    def login(self, username: str) -> None:
        token = self.csrf_form("/admin/login/")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": "/admin/"}
        ).encode()
        status, headers, _ = self.request("/admin/login/?next=/admin/", data=form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username}: HTTP {status}")

    def post_file(self, path: str, token: str, file_name: str, data: bytes):
        boundary = "----ppuri" + secrets.token_hex(12)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode(),
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
            ).encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.request(path, data=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}")


# --- the run ---------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (kind, start, milliseconds, ok, detail)
        self.events = {}
        self.wall = {}  # the same events in wall-clock time, to place the server's access log lines

    def add(self, kind: str, start: float, ms: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.samples.append((kind, start, ms, ok, detail))

    def mark(self, name: str) -> None:
        with self.lock:
            self.events.setdefault(name, time.monotonic())
            self.wall.setdefault(name, time.time())


def browse(session: Session, recorder: Recorder, stop: threading.Event, think: float, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        kind, path = rng.choice(PAGES)
        start = time.monotonic()
        try:
            status, _, body = session.request(path)
            ok, detail = status == 200, f"HTTP {status}"
        except Exception as exc:  # timeouts, refused connections: an error the user would see
            ok, detail = False, type(exc).__name__
        recorder.add(kind, start, (time.monotonic() - start) * 1000, ok, "" if ok else detail)
        stop.wait(rng.uniform(0, 2 * think))


def run_import(session: Session, recorder: Recorder, path: Path, poll: float, deadline: float) -> dict:
    """Upload → preview → confirm through the admin, then follow the job to its end."""
    import_path = "/admin/companies/company/import/"
    recorder.mark("import started")
    token = session.csrf_form(import_path)
    start = time.monotonic()
    status, headers, body = session.post_file(import_path, token, path.name, path.read_bytes())
    upload_seconds = time.monotonic() - start
    preview = follow_job(session, headers, poll, deadline) if status == 302 else None
    if preview is not None:  # the preview itself ran as a background job: open its result page
        status, headers, body = session.request(preview["result_url"])
    match = re.search(rb'name="token" value="(\w+)"', body)
    if status != 200 or not match:
        raise RuntimeError(f"preview: HTTP {status}, no confirmation token")
    preview_seconds = time.monotonic() - start
    recorder.mark("preview done")
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": session.cookies["csrftoken"], "token": match.group(1)})
    status, headers, _ = session.request(import_path, data=form.encode())
    if status != 302 or "/progress/" not in headers.get("Location", ""):
        raise RuntimeError(f"confirm: HTTP {status}, Location {headers.get('Location')!r}")
    job = follow_job(session, headers, poll, deadline)
    recorder.mark("import finished")
    return {
        "upload_seconds": upload_seconds,
        "preview_in_background": preview is not None,
        "preview_seconds": preview_seconds,
        "write_seconds": recorder.events["import finished"] - recorder.events["preview done"],
        "job": job,
    }


def follow_job(session: Session, headers, poll: float, deadline: float) -> dict:
    location = urllib.parse.urlsplit(headers["Location"]).path
    status_path = location.replace("/progress/", "/status/")
    while time.monotonic() < deadline:
        status, _, body = session.request(status_path)
        job = json.loads(body) if status == 200 else {}
        if job.get("finished"):
            if job.get("state") != "done":
                raise RuntimeError(f"job failed: {job.get('message', '')[:500]}")
            return job
        time.sleep(poll)
    raise RuntimeError("the job did not finish before --max-seconds")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(recorder: Recorder, imported: dict | None, args, log_path: Path) -> None:
    events = recorder.events
    began, finished = events.get("import started"), events.get("import finished")
    print(
        f"\n=== {args.sessions} staff sessions on gunicorn + PostgreSQL, "
        f"{args.count:,} companies / {args.applications:,} applications ==="
    )
    if imported:
        job = imported["job"]
        where = "by the worker" if imported["preview_in_background"] else "in the request"
        print(
            f"import of {args.count:,} new companies through the admin: upload answered in "
            f"{imported['upload_seconds']:.1f} s, preview ready {imported['preview_seconds']:.1f} s ({where}), "
            f"confirm → written {imported['write_seconds']:.1f} s ({job['message']})"
        )
    print(f"{'page kind':<34}{'before import':>22}{'during import':>24}{'errors':>8}")
    print(f"{'':<34}{'n   p50   p95 ms':>22}{'n   p50   p95 ms':>24}")
    totals = {"before": [], "during": [], "errors": 0}
    for kind, _ in PAGES:
        rows = [s for s in recorder.samples if s[0] == kind]
        before = [s[2] for s in rows if s[3] and began and s[1] < began]
        during = [s[2] for s in rows if s[3] and began and s[1] >= began and (not finished or s[1] <= finished)]
        errors = sum(1 for s in rows if not s[3])
        totals["before"] += before
        totals["during"] += during
        totals["errors"] += errors
        print(f"{kind:<34}{cell(before):>22}{cell(during):>24}{errors:>8}")
    print(f"{'all pages':<34}{cell(totals['before']):>22}{cell(totals['during']):>24}{totals['errors']:>8}")
    server = server_times(log_path, recorder.wall)
    if server:
        print(
            "server time (gunicorn access log, pages only): "
            + ", ".join(f"{phase} {cell(values).strip()}" for phase, values in server.items() if values)
            + " (n p50 p95 ms)"
        )
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(f"the load generator itself used {cpu.ru_utime + cpu.ru_stime:.1f} CPU s on the same machine")
    failures = [s for s in recorder.samples if not s[3]]
    if failures:
        kinds = {}
        for kind, _, _, _, detail in failures:
            kinds[(kind, detail)] = kinds.get((kind, detail), 0) + 1
        print("errors: " + ", ".join(f"{kind} {detail} ×{n}" for (kind, detail), n in sorted(kinds.items())))


def server_times(log_path: Path, wall: dict) -> dict[str, list[float]]:
    """duration_ms of the page requests in the JSON access log, before and during the import."""
    began, finished = wall.get("import started"), wall.get("import finished")
    pages = {urllib.parse.urlsplit(url).path for _, url in PAGES}
    phases = {"before": [], "during": []}
    for line in log_path.read_text(errors="replace").splitlines():
        if '"gunicorn.access"' not in line:
            continue
        entry = json.loads(line)
        if entry["path"] not in pages or not began:
            continue
        moment = datetime.datetime.strptime(entry["time"], "[%d/%b/%Y:%H:%M:%S %z]").timestamp()
        if moment < int(began):
            phases["before"].append(float(entry["duration_ms"]))
        elif not finished or moment <= finished:
            phases["during"].append(float(entry["duration_ms"]))
    return phases


def cell(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{len(values):>4} {statistics.median(values):>5.0f} {percentile(values, 0.95):>5.0f}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer /healthz within {seconds:.0f} s (exit code {server.poll()})")


def populate(db: Database, work: Path, args) -> tuple[str, Path]:
    url = db.create("load")
    files_url = f"sqlite:///{work / 'files.sqlite3'}"
    for step in (("migrate", "--noinput"), ("load_plan",)):
        manage(files_url, *step)
    population = work / "population.xlsx"
    manage(
        files_url,
        *("generate_companies", "--count", str(args.count), "--applications", str(args.applications)),
        *("--xlsx", str(population)),
    )
    for step in (("migrate", "--noinput"), ("load_plan",), ("setup_roles",)):
        manage(url, *step)
    manage(url, "import_excel", "companies", str(population))
    manage(url, "import_excel", "applications", str(work / "population_applications.xlsx"))
    new_file = work / "new_companies.xlsx"
    phase(["--phase", "new-companies", "--file", str(population), "--target", str(new_file)], url)
    return url, new_file


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--count", type=int, default=64061, help="companies in the database, and in the import")
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--baseline", type=float, default=45, help="seconds of browsing before the import")
    parser.add_argument("--tail", type=float, default=5, help="seconds of browsing after the import")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a session's pages (s)")
    parser.add_argument("--timeout", type=float, default=30, help="a page slower than this counts as an error")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--tasks-backend", choices=["db", "rq"], default="db", help="rq: Redis at REDIS_URL")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ppuri-bench-load")
    parser.add_argument("--phase")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--target", type=Path)
    args = parser.parse_args()
    if args.phase == "users":
        print(json.dumps(users_phase(args.sessions)))
        return
    if args.phase == "new-companies":
        print(json.dumps(new_companies_phase(args.file, args.target, args.count)))
        return

    started = time.monotonic()
    postgres = postgres_url()
    if not postgres:
        raise SystemExit("PostgreSQL does not answer (DATABASE_URL or 127.0.0.1:5432): the load figure needs it.")
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    db = Database("postgresql", work, postgres)
    url, new_file = populate(db, work, args)
    accounts = phase(["--phase", "users", "--sessions", str(args.sessions)], url)
    print(f"population ready in {time.monotonic() - started:.0f} s; starting the server", flush=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "DATABASE_URL": url,
        "STATIC_ROOT": str(work / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "TASKS_BACKEND": args.tasks_backend,
        "TASKS_QUEUE": f"ppuri-bench-load-{port}",  # a Redis shared with others: a queue of its own
        "LOG_LEVEL": "WARNING",
    }
    log = (work / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, str(ROOT / "bin" / "serve")], cwd=ROOT, env=env, stdout=log, stderr=log)
    recorder, stop, imported = Recorder(), threading.Event(), None
    try:
        wait_healthy(base, server, 180)
        sessions = []
        for username in accounts["staff"]:
            session = Session(base, args.timeout)
            session.login(username)
            sessions.append(session)
        importer = Session(base, max(args.timeout, 600))
        importer.login(accounts["importer"])
        deadline = started + args.max_seconds
        threads = [
            threading.Thread(target=browse, args=(session, recorder, stop, args.think, number), daemon=True)
            for number, session in enumerate(sessions)
        ]
        for thread in threads:
            thread.start()
        print(f"{len(sessions)} sessions browsing; the import starts in {args.baseline:.0f} s", flush=True)
        stop.wait(args.baseline)
        try:
            imported = run_import(importer, recorder, new_file, 1.0, deadline)
        except Exception as exc:
            print(f"import FAILED: {exc}")
        stop.wait(min(args.tail, max(deadline - time.monotonic(), 0)))
        stop.set()
        for thread in threads:
            thread.join(timeout=args.timeout + 5)
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        db.drop_all(["load"])
    report(recorder, imported, args, work / "serve.log")
    print(f"\n(load run took {time.monotonic() - started:.0f} s; server log: {work / 'serve.log'})")


if __name__ == "__main__":
    main()
