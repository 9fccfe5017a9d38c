"""Settings shared by every environment, read from environment variables.

`DATABASE_URL` selects the database (SQLite file in the project when unset, PostgreSQL in
production). Environment-specific modules (`dev`, `production`) decide defaults for secrets.
`BEHIND_PROXY` says a reverse proxy terminates HTTPS and sets X-Forwarded-For/-Proto; only then
are those headers trusted (`PROXY_COUNT` proxies, default 1). `AXES_FAILURE_LIMIT`,
`AXES_ADDRESS_FAILURE_LIMIT` and `AXES_COOLOFF_MINUTES` tune the login lockout (django-axes).
`IMPORT_MAX_*` set the import limits, `IMPORT_STREAM_ABOVE_CELLS` the sheet size above which
.xlsx files are read by the streaming reader. `DATABASE_PARALLEL_WORKERS` (PostgreSQL, default 0)
allows parallel query workers.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"환경 변수 {name}은(는) 정수여야 합니다: {value!r}") from None


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"환경 변수 {name}이(가) 설정되지 않았습니다.")
    return value


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "programs",
    "companies",
    "centers",
    "config",  # last: adjusts third-party apps (config.apps)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A lock lost to another writer (SQLite: an import holds the write lock): a Korean 503, not a 500.
    "programs.db_errors.LockLostMiddleware",
    # Records who made each change in the history tables (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The axes backend must come first so a locked-out user is refused before passwords are checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"


def database_settings(url: str | None, *, conn_max_age: int, parallel_workers: int) -> dict:
    """The default database from its URL; on PostgreSQL, at most `parallel_workers` parallel
    workers per query (max_parallel_workers_per_gather, default 0).

    Why 0: the pages are short queries served to many staff at once. A parallel plan spends
    2-3 processes on one request, and with every core busy they wait for each other: on the
    2-core server the 중복지원 counts took 57-82 ms with parallel workers and 12-22 ms without
    (bench/README.md). Raise DATABASE_PARALLEL_WORKERS on a database server with idle cores."""
    config = dj_database_url.parse(url or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=conn_max_age)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["ENGINE"] = "config.sqlite3"  # Django's, flushing trigger-guarded tables last (config/sqlite3)
        # A 16 MB page cache a connection (SQLite's default is 2 MB): an import's inserts land at
        # random places of each index (200,000 applications: 9 indexes), and with the default cache
        # every one of them reads its page again. Memory is taken only as pages are used.
        # Write-ahead log: staff keep reading every page while an import writes (one transaction
        # of up to a minute); with SQLite's rollback journal, once the import's changes outgrow its
        # cache it locks readers out until it commits (pages wait, then "database is locked").
        options = config.setdefault("OPTIONS", {})
        given = options.get("init_command", "")
        options["init_command"] = f"{given}; PRAGMA journal_mode = WAL; PRAGMA cache_size = -16384".lstrip("; ")
        # One writer at a time: a write made while an import writes (a login's session, a save)
        # waits for it, up to SQLITE_BUSY_TIMEOUT seconds, instead of failing after SQLite's 5. A
        # wait that runs out is answered 503 "잠시 뒤 다시 시도하세요" (config/errors.py); an admin
        # save says so on its form (programs/admin_conflicts.py). Transactions stay DEFERRED:
        # IMMEDIATE would make every change form (the admin opens one in a transaction) wait too.
        options.setdefault("timeout", env_int("SQLITE_BUSY_TIMEOUT", 30))
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        given = options.get("options", "")
        options["options"] = f"{given} -c max_parallel_workers_per_gather={parallel_workers}".strip()
    return config


DATABASES = {
    "default": database_settings(
        os.environ.get("DATABASE_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        parallel_workers=env_int("DATABASE_PARALLEL_WORKERS", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
# Django's ko locale defines separators, but they are only used when this is on.
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Korean labels for third-party apps that ship no Korean catalog (django-axes).
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]

LOGIN_URL = "admin:login"
# Where a login lands when its `next` is missing or refused (an off-site address): the admin
# index, not Django's /accounts/profile/, which this site does not have.
LOGIN_REDIRECT_URL = "admin:index"

# The plan year is data (programs.PlanYear), not a setting: programs.years.current_year().

# The plan document the reference data comes from, kept in the repository (unchanged bytes).
PLAN_DOCUMENT = Path(os.environ.get("PLAN_DOCUMENT", BASE_DIR / "fixtures" / "plan" / "2025-ppuri-execution-plan.txt"))

# Import limits (README: 가져오기 파일 한도): the uploaded file, an .xlsx's declared uncompressed
# size, its shared-string table, and the sheet's size. A 600,000-row companies file (the whole
# manufacturing population is 586,532 firms) fits: ~78 MB written by programs.xlsx_stream (inline
# strings, ~710 MB of sheet XML), less as Excel writes it (shared strings). Rows count the header.
# Cells bound the work; memory is bounded by the reader: python-calamine builds the whole
# rectangle (~31 bytes a cell, empty or not) so it reads sheets of at most IMPORT_STREAM_ABOVE_CELLS
# used cells, the streaming reader (programs.importing.xlsx_rows) the larger ones in flat memory.
# The shared strings are held by either reader (calamine: ~40 bytes each besides the text).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
IMPORT_MAX_SHARED_STRINGS_BYTES = env_int("IMPORT_MAX_SHARED_STRINGS_BYTES", 256 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1_000_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 18_000_000)
# Rows an import parses, checks and writes at a time: its memory follows this, not the file.
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 5000)
IMPORT_STREAM_ABOVE_CELLS = env_int("IMPORT_STREAM_ABOVE_CELLS", 2_000_000)


# --- Background tasks (Django's tasks API, the django-tasks backport) -------------------------
# TASKS_BACKEND: "db" (default: tasks are rows in this database, `manage.py db_worker` runs them;
# start as many workers as wanted, on any machine that reaches the database), "rq" (Redis at
# REDIS_URL through django-tasks-rq; `manage.py rqworker <queue> --job-class django_tasks_rq.Job`,
# as many as wanted), or "immediate" (run inside the request, no worker: tests and one-off
# scripts). TASKS_QUEUE names the queue (default "default"): deployments sharing one Redis (staging
# and production) each need their own.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
TASKS_QUEUE = os.environ.get("TASKS_QUEUE", "default")


def tasks_settings(backend: str, queue: str = "default") -> dict:
    backends = {
        "db": "django_tasks_db.DatabaseBackend",
        "rq": "django_tasks_rq.RQBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if backend not in backends:
        raise ImproperlyConfigured(f"TASKS_BACKEND은(는) db, rq, immediate 중 하나여야 합니다: {backend!r}")
    return {"default": {"BACKEND": backends[backend], "QUEUES": [queue]}}


def rq_queues(queue: str, redis_url: str, timeout: int) -> dict:
    """django-rq's queue of the tasks; `timeout` (seconds) bounds one job (RQ's default, 180 s, is
    shorter than a large import on a busy server)."""
    return {queue: {"URL": redis_url, "DEFAULT_TIMEOUT": timeout}}


TASKS = tasks_settings(TASKS_BACKEND, TASKS_QUEUE)
# Above these, an import's confirmation and an export run in the background with a progress page;
# below, they stay in the request (no waiting for a worker to import 20 rows).
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_BYTES", 1024 * 1024)
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 5000)
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = rq_queues(
        TASKS_QUEUE, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), env_int("RQ_JOB_TIMEOUT", 3600)
    )


# --- Reverse proxy and client IP -------------------------------------------------------------
BEHIND_PROXY = env_bool("BEHIND_PROXY")


def client_ip_settings(*, behind_proxy: bool, proxy_count: int) -> dict:
    """django-axes' client IP settings: X-Forwarded-For is trusted only behind our own proxies.

    Without a proxy the header is whatever the client sent, so only REMOTE_ADDR counts.
    `proxy_count` is the number of reverse proxies in front of Django; the nearest one is
    REMOTE_ADDR, the others appear in X-Forwarded-For after the client, so ipware (strict by
    default) expects exactly `proxy_count - 1` of them and falls back to REMOTE_ADDR when a
    client prepends addresses of its own.
    """
    if not behind_proxy:
        return {
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
        }
    if proxy_count < 1:
        raise ImproperlyConfigured("BEHIND_PROXY를 켰다면 PROXY_COUNT는 1 이상이어야 합니다.")
    return {
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    }


_client_ip = client_ip_settings(behind_proxy=BEHIND_PROXY, proxy_count=env_int("PROXY_COUNT", 1))
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = _client_ip["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_ip["AXES_IPWARE_META_PRECEDENCE_ORDER"]

# --- Login lockout (django-axes) -------------------------------------------------------------
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
# One account from one address (a typo-prone colleague elsewhere is not locked out with them),
# and one address across usernames at a higher limit (colleagues behind one office address):
# config/lockout.py explains the handler that gives the address its own limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "config.lockout.AccountAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Used where axes answers without the template (e.g. the backend's response context).
AXES_COOLOFF_MESSAGE = "로그인 실패가 여러 번 반복되어 계정이 잠겼습니다. 잠시 후 다시 시도하십시오."
AXES_PERMALOCK_MESSAGE = "로그인 실패가 여러 번 반복되어 계정이 잠겼습니다. 관리자에게 잠금 해제를 요청하십시오."
