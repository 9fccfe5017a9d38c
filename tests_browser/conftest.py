"""Fixtures of the browser suite: a fresh back-office served live, and Chromium driving it.

The suite builds its own SQLite database in a temporary folder (or uses BROWSER_DATABASE_URL),
loads the plan, roles and generated companies (server.prepare_database), serves it with
runserver, and drives Debian's /usr/bin/chromium through Playwright (never a downloaded
browser). Set BROWSER_BASE_URL to drive a server that is already running instead (its database
must hold the same users; handy while editing templates).

A failing test saves a full-page screenshot of every page it had open under
screenshots/failures/ (BROWSER_SCREENSHOTS to change), and says where.
"""

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from django.conf import settings as _settings  # noqa: E402

if _settings.configured:
    # pytest-django already set Django up on the project's own database: this suite would fill it.
    raise pytest.UsageError("브라우저 테스트는 `make test-browser` (pytest -c tests_browser/pytest.ini)로 실행하세요.")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
# Playwright's sync API keeps an event loop in this thread; the ORM calls here are plain reads/writes.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
_DB_DIR = Path(tempfile.mkdtemp(prefix="ppuri-browser-"))
if not os.environ.get("BROWSER_BASE_URL"):
    os.environ["DATABASE_URL"] = os.environ.get("BROWSER_DATABASE_URL") or f"sqlite:///{_DB_DIR / 'browser.sqlite3'}"

import django  # noqa: E402

django.setup()

import server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("BROWSER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (1366, 1920)
HEIGHTS = {1366: 768, 1920: 1080}
FAILURES = Path(os.environ.get("BROWSER_SCREENSHOTS", ROOT / "screenshots" / "failures"))


@pytest.fixture(scope="session")
def base_url():
    given = os.environ.get("BROWSER_BASE_URL")
    if given:
        yield given.rstrip("/")
        return
    server.prepare_database()
    # Background work runs inside the request here (no worker beside runserver): the pages' jobs
    # finish at once. The worker path itself is tested by tests/programs/test_jobs.py.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "PYTHONUNBUFFERED": "1",
        "TASKS_BACKEND": "immediate",
    }
    with server.serve(env, _DB_DIR / "runserver.log") as url:
        yield url
    shutil.rmtree(_DB_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: apt-get install -y chromium", returncode=3)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page with what went wrong on it since the last `reset()`: console errors, failed requests."""

    def __init__(self, page):
        self.page = page
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and self.failed_requests.append(f"{r.status} {r.url}"))
        page.on("requestfailed", self._request_failed)

    def _request_failed(self, request) -> None:
        # A request the browser itself cancelled because the page moved on (the tab's icon while
        # a click navigates) is not a failure of the server: only real errors count.
        if request.failure == "net::ERR_ABORTED" and request.resource_type in ("image", "other"):
            return
        self.failed_requests.append(f"{request.failure} {request.url}")

    def reset(self):
        self.console_errors.clear()
        self.failed_requests.clear()


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, f"{username}: login failed"


_open_pages: list = []


def _new_context(browser, width: int, **kwargs):
    context = browser.new_context(
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        viewport={"width": width, "height": HEIGHTS.get(width, 900)},
        accept_downloads=True,
        **kwargs,
    )
    context.set_default_timeout(20_000)
    return context


@pytest.fixture
def new_page(browser, base_url):
    """`new_page(user=..., width=...)`: a fresh logged-in page (closed, or screenshotted on failure, after)."""
    contexts = []

    def make(user=server.ADMIN, width: int = 1366):
        context = _new_context(browser, width)
        contexts.append(context)
        watched = Watched(context.new_page())
        if user:
            login(watched.page, base_url, *user)
        _open_pages.append(watched.page)
        return watched

    yield make
    for context in contexts:
        context.close()
    _open_pages.clear()


@pytest.fixture(scope="session")
def admin_page(browser, base_url):
    """One logged-in administrator page shared by the layout checks (faster than logging in for each)."""
    context = _new_context(browser, WIDTHS[0])
    watched = Watched(context.new_page())
    login(watched.page, base_url, *server.ADMIN)
    yield watched
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = list(_open_pages)
    shared = item.funcargs.get("admin_page") if hasattr(item, "funcargs") else None
    if shared:
        pages.append(shared.page)
    FAILURES.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])[:120]
    saved = []
    for index, page in enumerate(pages):
        if page.is_closed():
            continue
        path = FAILURES / f"{name}-{index}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            saved.append(str(path))
        except Exception as error:  # a crashed page must not hide the test's own failure
            saved.append(f"(no screenshot: {error})")
    if saved:
        report.sections.append(("screenshots", "\n".join(saved)))
        print(f"\nscreenshots of {item.nodeid}: {', '.join(saved)}")


def pytest_terminal_summary(terminalreporter):
    if FAILURES.exists() and any(FAILURES.iterdir()) and terminalreporter.stats.get("failed"):
        terminalreporter.write_line(f"failure screenshots: {FAILURES}")


def pytest_sessionstart(session):
    shutil.rmtree(FAILURES, ignore_errors=True)
