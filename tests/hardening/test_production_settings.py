"""Production settings: Django's deploy checklist passes, and no secret is ever defaulted.

The production module is imported afresh under the environment each test sets (as a server would
import it), and `manage.py check --deploy` runs in this process with those settings in force:
the same checks as a subprocess, without starting Python and Django again for every case.
"""

import os
import sys
from io import StringIO

import pytest
from django.conf import Settings, settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.utils import get_random_secret_key
from django.test import override_settings

PRODUCTION = "config.settings.production"
BASE = "config.settings.base"  # reads BEHIND_PROXY and friends when imported
# Not settings of the application: where pytest-django points the test database, which module.
NOT_COMPARED = {"DATABASES", "SETTINGS_MODULE"}


@pytest.fixture
def fresh_production(monkeypatch):
    """Load the production settings anew under the environment the test sets, as Django would."""
    for name in list(os.environ):
        if name.startswith(("DJANGO_", "BEHIND_")) and name != "DJANGO_SETTINGS_MODULE":
            monkeypatch.delenv(name)
    monkeypatch.setenv("SECRET_KEY", get_random_secret_key())
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org")
    monkeypatch.delitem(sys.modules, PRODUCTION, raising=False)
    monkeypatch.delitem(sys.modules, BASE, raising=False)

    def load() -> Settings:
        sys.modules.pop(PRODUCTION, None)
        sys.modules.pop(BASE, None)
        return Settings(PRODUCTION)

    return load


def in_force(production: Settings) -> override_settings:
    """Every setting whose production value differs from the test settings, put in force."""
    missing = object()
    changed = {
        name: getattr(production, name)
        for name in dir(production)
        if name.isupper() and name not in NOT_COMPARED and getattr(production, name) != getattr(settings, name, missing)
    }
    # Same apps: the checks below run against the same app registry a server would build.
    assert "INSTALLED_APPS" not in changed
    return override_settings(**changed)


@pytest.mark.parametrize("behind_proxy", ["0", "1"])
def test_deploy_check_passes_without_warnings(monkeypatch, fresh_production, behind_proxy):
    monkeypatch.setenv("BEHIND_PROXY", behind_proxy)
    production = fresh_production()
    assert production.DEBUG is False and production.SECURE_SSL_REDIRECT is True

    out = StringIO()
    with in_force(production):
        # Raises SystemCheckError on any warning, as `manage.py check --deploy --fail-level WARNING` exits 1.
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=out, stderr=out)

    assert out.getvalue().strip() == "System check identified no issues (0 silenced)."


def test_deploy_check_would_catch_a_weakened_setting(fresh_production):
    """The in-process check sees the production values: weaken one and it fails."""
    from django.core.management.base import SystemCheckError

    production = fresh_production()
    with in_force(production), override_settings(SESSION_COOKIE_SECURE=False):
        with pytest.raises(SystemCheckError, match="security.W012"):
            call_command("check", "--deploy", "--fail-level", "WARNING", stdout=StringIO(), stderr=StringIO())


def test_production_refuses_to_start_without_secret_key(monkeypatch, fresh_production):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ImproperlyConfigured, match="운영 설정은 환경 변수 SECRET_KEY 없이 시작할 수 없습니다"):
        fresh_production()


def test_production_refuses_a_short_secret_key(monkeypatch, fresh_production):
    monkeypatch.setenv("SECRET_KEY", "changeme")

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY가 너무 짧거나 안전하지 않습니다"):
        fresh_production()


def test_production_refuses_to_start_without_allowed_hosts(monkeypatch, fresh_production):
    monkeypatch.setenv("ALLOWED_HOSTS", "")

    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        fresh_production()


@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [("0", None), ("1", ("HTTP_X_FORWARDED_PROTO", "https"))],
)
def test_forwarded_proto_is_trusted_only_behind_proxy(monkeypatch, fresh_production, behind_proxy, expected):
    monkeypatch.setenv("BEHIND_PROXY", behind_proxy)

    assert fresh_production().SECURE_PROXY_SSL_HEADER == expected
