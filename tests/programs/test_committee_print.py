"""The committee workbook printed as the committee prints it: LibreOffice, A4 landscape, to PDF.

LibreOffice opens the file (no repair: the conversion produces every sheet) and prints exactly the
pages the layout planned — one more than the manual breaks of each sheet — so no table is cut by
an automatic break and no header is missing above a table. Skipped where LibreOffice is absent
(Debian: `apt-get install -y libreoffice-calc-nogui`).
"""

import datetime
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.utils import timezone

from companies.models import Industry, Province
from programs.models import Program
from programs.reports.committee import build_committee_report
from tests.companies.helpers import make_application, make_company

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice(soffice)가 없습니다: apt-get install -y libreoffice-calc-nogui 로 설치하면 시험합니다.",
    ),
]

GENERATED_AT = timezone.make_aware(datetime.datetime(2025, 7, 1, 9, 0))


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def convert(path, tmp_path) -> bytes:
    profile = tmp_path / "lo-profile"  # a profile of its own: never waits on another soffice
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / "committee.pdf").read_bytes()


@pytest.fixture
def some_applications():
    for index, (industry, province) in enumerate([("주조", "경기"), ("금형", "부산"), ("용접", "대구")]):
        company = make_company(
            name=f"인쇄시험{index}",
            industry=Industry.objects.get(name=industry),
            province=Province.objects.get(short_name=province),
            sales_amount=(index + 1) * 40 * 100_000_000,
        )
        make_application(company, Program.objects.get(code="export-voucher"), status="selected")


def test_libreoffice_prints_every_sheet_on_the_pages_laid_out(tmp_path, some_applications):
    path = tmp_path / "committee.xlsx"
    build_committee_report(year=2025, generated_at=GENERATED_AT).save(path)
    workbook = openpyxl.load_workbook(path)
    planned = {sheet.title: len(sheet.row_breaks.brk) + 1 for sheet in workbook.worksheets}

    pdf = convert(path, tmp_path)

    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == sum(planned.values())
    assert sum(planned.values()) == 28  # this data set; a change here is a change of the printed report
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "committee.pdf"), "-"], capture_output=True, check=True
        ).stdout.decode()
        pages = text.split("\f")
        footers = [re.search(r"(\S[^\n]*?) — (\d+)쪽", page) for page in pages if page.strip()]
        sheets = [footer.group(1).strip() for footer in footers]
        assert [name for name in dict.fromkeys(sheets)] == list(planned)
        assert {name: sheets.count(name) for name in planned} == planned
