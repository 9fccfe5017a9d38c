"""Production: every secret comes from the environment, no defaults, HTTPS only.

Required: `SECRET_KEY` (50+ random characters) and `ALLOWED_HOSTS`. Behind a reverse proxy that
terminates TLS set `BEHIND_PROXY=1` (and `PROXY_COUNT` when there is more than one proxy).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from config.logging import logging_config

from .base import *  # noqa: F403
from .base import BEHIND_PROXY, MIDDLEWARE, STORAGES, env_list

# Django's own deploy check (security.W009) asks for at least this much.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_HINT = (
    f"{SECRET_KEY_MIN_LENGTH}자 이상의 무작위 문자열을 설정하십시오. 생성 예: python -c "
    '"from django.core.management.utils import get_random_secret_key; print(get_random_secret_key())"'
)


def production_secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if not key:
        raise ImproperlyConfigured(f"운영 설정은 환경 변수 SECRET_KEY 없이 시작할 수 없습니다. {SECRET_KEY_HINT}")
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(f"환경 변수 SECRET_KEY가 너무 짧거나 안전하지 않습니다. {SECRET_KEY_HINT}")
    return key


DEBUG = False
SECRET_KEY = production_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("환경 변수 ALLOWED_HOSTS가 설정되지 않았습니다. 예: ALLOWED_HOSTS=ppuri.example.go.kr")

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if BEHIND_PROXY:
    # Only our proxy sets this header; without a proxy a client could claim HTTPS with it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The health URL is probed over plain HTTP by the load balancer / supervisor, not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# WhiteNoise serves `collectstatic`'s output, right after the security middleware (its documented
# place): compressed (gzip, and brotli when installed) files
# under content-hashed names, cached for a year by browsers.
MIDDLEWARE = [*MIDDLEWARE[:1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# One JSON object per log line on stdout (config/logging.py).
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
