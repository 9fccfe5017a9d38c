"""Production settings: Django's deploy checklist passes, and no secret is ever defaulted."""

import importlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

PRODUCTION = "config.settings.production"


def production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "BEHIND_"))}
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="example.org",
    )
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("behind_proxy", ["0", "1"])
def test_deploy_check_passes_without_warnings(behind_proxy):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(BEHIND_PROXY=behind_proxy))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.fixture
def fresh_production_import(monkeypatch):
    """Import the production module anew under the environment the test sets."""
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org")
    monkeypatch.delitem(sys.modules, PRODUCTION, raising=False)
    yield lambda: importlib.import_module(PRODUCTION)
    sys.modules.pop(PRODUCTION, None)


def test_production_refuses_to_start_without_secret_key(monkeypatch, fresh_production_import):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ImproperlyConfigured, match="운영 설정은 환경 변수 SECRET_KEY 없이 시작할 수 없습니다"):
        fresh_production_import()


def test_production_refuses_a_short_secret_key(monkeypatch, fresh_production_import):
    monkeypatch.setenv("SECRET_KEY", "changeme")

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY가 너무 짧거나 안전하지 않습니다"):
        fresh_production_import()


def test_production_refuses_to_start_without_allowed_hosts(monkeypatch, fresh_production_import):
    monkeypatch.setenv("SECRET_KEY", get_random_secret_key())
    monkeypatch.setenv("ALLOWED_HOSTS", "")

    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        fresh_production_import()


@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")],
)
def test_forwarded_proto_is_trusted_only_behind_proxy(behind_proxy, expected):
    show = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"

    result = run_manage("shell", "--no-imports", "-c", show, env=production_env(BEHIND_PROXY=behind_proxy))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
