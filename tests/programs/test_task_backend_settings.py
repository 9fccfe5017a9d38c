"""TASKS_BACKEND picks the task backend from the environment: the database (default) or Redis (RQ)."""

import pytest

from tests.hardening.test_production_settings import fresh_production  # noqa: F401  (fixture)


def test_rq_backend_from_the_environment(monkeypatch, fresh_production):  # noqa: F811
    monkeypatch.setenv("TASKS_BACKEND", "rq")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    monkeypatch.setenv("TASKS_QUEUE", "ppuri-production")
    production = fresh_production()
    assert production.TASKS == {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["ppuri-production"]}}
    assert "django_rq" in production.INSTALLED_APPS
    # RQ's own default (180 s) would stop a large import on a busy server.
    assert production.RQ_QUEUES == {
        "ppuri-production": {"URL": "redis://cache.internal:6379/2", "DEFAULT_TIMEOUT": 3600}
    }


def test_database_backend_by_default(monkeypatch, fresh_production):  # noqa: F811
    monkeypatch.delenv("TASKS_BACKEND", raising=False)
    monkeypatch.delenv("TASKS_QUEUE", raising=False)
    production = fresh_production()
    assert production.TASKS["default"] == {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    assert "django_rq" not in production.INSTALLED_APPS and not hasattr(production, "RQ_QUEUES")


def test_an_unknown_backend_is_refused_in_korean(monkeypatch, fresh_production):  # noqa: F811
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("TASKS_BACKEND", "celery")
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND은\\(는\\) db, rq, immediate 중 하나여야 합니다"):
        fresh_production()
