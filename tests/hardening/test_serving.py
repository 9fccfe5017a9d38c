"""Serving for real: the health URL, JSON logs, and the production static files setup."""

import json
import logging

import pytest
from django.db import DatabaseError

from config.logging import JsonFormatter
from tests.hardening.test_production_settings import fresh_production  # noqa: F401 (fixture)


@pytest.mark.django_db
def test_health_url_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_url_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("config.health.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_log_lines_are_json_with_extra_fields():
    record = logging.LogRecord("programs.tasks", logging.INFO, __file__, 1, "가져오기 %s건", (3,), None)
    record.task_id = "abc"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "가져오기 3건"
    assert entry["level"] == "INFO" and entry["logger"] == "programs.tasks" and entry["task_id"] == "abc"


def test_production_serves_static_files_through_whitenoise_with_hashed_names(fresh_production):  # noqa: F811
    production = fresh_production()
    assert production.MIDDLEWARE[1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert any("healthz" in pattern for pattern in production.SECURE_REDIRECT_EXEMPT)
