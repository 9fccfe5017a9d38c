"""The import limits the README documents as environment variables are read from the environment."""

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE = "config.settings.base"


@pytest.fixture
def fresh_base(monkeypatch):
    monkeypatch.delitem(sys.modules, BASE, raising=False)
    yield lambda: importlib.import_module(BASE)
    sys.modules.pop(BASE, None)


def test_limits_come_from_the_environment(monkeypatch, fresh_base):
    monkeypatch.setenv("IMPORT_MAX_UPLOAD_BYTES", "1234")
    monkeypatch.setenv("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", "5678")
    base = fresh_base()
    assert (base.IMPORT_MAX_UPLOAD_BYTES, base.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES) == (1234, 5678)


def test_defaults_are_30_and_300_megabytes(monkeypatch, fresh_base):
    monkeypatch.delenv("IMPORT_MAX_UPLOAD_BYTES", raising=False)
    monkeypatch.delenv("IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", raising=False)
    base = fresh_base()
    assert (base.IMPORT_MAX_UPLOAD_BYTES, base.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES) == (30 * 2**20, 300 * 2**20)


def test_a_limit_that_is_not_a_number_stops_start_up(monkeypatch, fresh_base):
    monkeypatch.setenv("IMPORT_MAX_UPLOAD_BYTES", "30MB")
    with pytest.raises(ImproperlyConfigured, match="IMPORT_MAX_UPLOAD_BYTES"):
        fresh_base()
