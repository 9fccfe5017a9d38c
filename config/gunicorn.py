"""gunicorn settings for `bin/serve` (production): `gunicorn -c config/gunicorn.py config.wsgi`.

Environment: HOST/PORT (127.0.0.1:8000), WEB_CONCURRENCY (workers, default 2 × cores + 1),
GUNICORN_THREADS (threads per worker, default 2), GUNICORN_TIMEOUT (seconds, default 120: a
small import still runs inside its request). Access log lines are JSON like the app's logs.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then: memory of a large export is given back
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "remote": "%(h)s"}'
)
