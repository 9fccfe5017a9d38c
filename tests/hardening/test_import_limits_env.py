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


def test_defaults_fit_a_600000_row_file(monkeypatch, fresh_base):
    for name in ("IMPORT_MAX_UPLOAD_BYTES", "IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES", "IMPORT_MAX_SHARED_STRINGS_BYTES"):
        monkeypatch.delenv(name, raising=False)
    base = fresh_base()
    # programs.xlsx_stream writes ~130 bytes a companies row (~1,180 inflated): 600,000 rows ≈ 78 MB, 710 MB
    assert (base.IMPORT_MAX_UPLOAD_BYTES, base.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES) == (100 * 2**20, 2**30)
    assert base.IMPORT_MAX_SHARED_STRINGS_BYTES == 256 * 2**20


def test_a_limit_that_is_not_a_number_stops_start_up(monkeypatch, fresh_base):
    monkeypatch.setenv("IMPORT_MAX_UPLOAD_BYTES", "30MB")
    with pytest.raises(ImproperlyConfigured, match="IMPORT_MAX_UPLOAD_BYTES"):
        fresh_base()


SHEET_LIMITS = (
    "IMPORT_MAX_ROWS",
    "IMPORT_MAX_COLUMNS",
    "IMPORT_MAX_CELLS",
    "IMPORT_STREAM_ABOVE_CELLS",
    "AXES_ADDRESS_FAILURE_LIMIT",
)


def test_sheet_and_address_limits_come_from_the_environment(monkeypatch, fresh_base):
    for index, name in enumerate(SHEET_LIMITS, start=1):
        monkeypatch.setenv(name, str(index * 7))
    base = fresh_base()
    assert [getattr(base, name) for name in SHEET_LIMITS] == [7, 14, 21, 28, 35]


def test_sheet_limits_default_to_the_whole_population_100_columns_and_18_million_cells(monkeypatch, fresh_base):
    for name in SHEET_LIMITS:
        monkeypatch.delenv(name, raising=False)
    base = fresh_base()
    assert base.IMPORT_MAX_ROWS >= 600_000 + 1  # a 600,000-row file (every manufacturing firm) and its header
    assert (base.IMPORT_MAX_ROWS, base.IMPORT_MAX_COLUMNS, base.IMPORT_MAX_CELLS) == (1_000_000, 100, 18_000_000)
    assert base.IMPORT_STREAM_ABOVE_CELLS == 2_000_000
    assert base.AXES_ADDRESS_FAILURE_LIMIT == 20
