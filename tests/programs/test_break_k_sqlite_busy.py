"""Break-it tests: a request that loses the database's lock to a long write (on SQLite an import
holds the one write lock for up to a minute: starting an export or a report, logging in) is told
so in Korean (503), not given a 500. Other database errors stay errors."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from programs import jobs
from programs.db_errors import LOCK_MESSAGE

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")  # what Django raises when SQLite's busy timeout ends


def test_a_report_asked_for_while_an_import_holds_the_database_is_refused_in_korean(admin_client, monkeypatch):
    monkeypatch.setattr(jobs, "fail_stale_jobs", locked)
    response = admin_client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025})
    assert response.status_code == 503
    assert LOCK_MESSAGE in response.content.decode()
    assert response["Retry-After"]


def test_a_login_while_an_import_holds_the_database_is_refused_in_korean(admin_user, monkeypatch):
    monkeypatch.setattr(SessionStore, "save", locked)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": "pw-for-tests", "next": "/admin/"}
    )
    assert response.status_code == 503
    assert LOCK_MESSAGE in response.content.decode()


def test_other_database_errors_are_not_taken_for_a_lock(admin_client, monkeypatch):
    def missing(*args, **kwargs):
        raise OperationalError("no such table: programs_backgroundjob")

    monkeypatch.setattr(jobs, "fail_stale_jobs", missing)
    with pytest.raises(OperationalError):
        admin_client.post(reverse("admin:programs_reportsnapshot_generate"), {"year": 2025})
