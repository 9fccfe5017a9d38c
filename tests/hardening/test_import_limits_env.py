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


SHEET_LIMITS = ("IMPORT_MAX_ROWS", "IMPORT_MAX_COLUMNS", "IMPORT_MAX_CELLS", "AXES_ADDRESS_FAILURE_LIMIT")


def test_sheet_and_address_limits_come_from_the_environment(monkeypatch, fresh_base):
    for index, name in enumerate(SHEET_LIMITS, start=1):
        monkeypatch.setenv(name, str(index * 7))
    base = fresh_base()
    assert [getattr(base, name) for name in SHEET_LIMITS] == [7, 14, 21, 28]


def test_sheet_limits_default_to_the_whole_population_100_columns_and_18_million_cells(monkeypatch, fresh_base):
    for name in SHEET_LIMITS:
        monkeypatch.delenv(name, raising=False)
    base = fresh_base()
    assert base.IMPORT_MAX_ROWS >= 586_532 + 1  # every manufacturing firm and the header row
    assert (base.IMPORT_MAX_ROWS, base.IMPORT_MAX_COLUMNS, base.IMPORT_MAX_CELLS) == (600_000, 100, 18_000_000)
    assert base.AXES_ADDRESS_FAILURE_LIMIT == 20
