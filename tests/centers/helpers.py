"""Small helpers building the test data of the centers tests (companies, requests, institutions)."""

import datetime
import io
import itertools

from openpyxl import Workbook, load_workbook

from centers.choices import ServiceRequestStatus
from centers.models import ServiceRequest, ServiceType, SupportCenter
from companies.models import Company, Industry, Province
from programs.identifiers import brn_check_digit
from programs.importing.export import export_kind
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file

_serial = itertools.count(100_000)


def valid_brn() -> str:
    first_nine = f"{next(_serial):09d}"
    return first_nine + str(brn_check_digit(first_nine))


def make_company(name: str = "테스트정밀", industry: str = "금형", province: str = "경기도") -> Company:
    return Company.objects.create(
        brn=valid_brn(),
        name=name,
        industry=Industry.objects.get(name=industry),
        province=Province.objects.get(name=province),
    )


def regional_center(locality: str = "시흥") -> SupportCenter:
    return SupportCenter.objects.get(name=f"지역뿌리기술지원센터({locality})")


def service_type(name: str) -> ServiceType:
    return ServiceType.objects.get(name=name)


def make_request(
    center: SupportCenter,
    company: Company,
    service: str = "시험분석",
    requested_on: datetime.date = datetime.date(2025, 3, 4),
    status: str = ServiceRequestStatus.RECEIVED,
    completed_on: datetime.date | None = None,
) -> ServiceRequest:
    return ServiceRequest.objects.create(
        center=center,
        company=company,
        service_type=service_type(service),
        requested_on=requested_on,
        status=status,
        completed_on=completed_on,
    )


def xlsx_bytes(headers: list[str], rows: list[list]) -> bytes:
    """An .xlsx file with a header row and data rows, as a user would upload it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def read_xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def run_import(kind_name: str, data: bytes, *, dry_run: bool = False, file_name: str = "자료.xlsx"):
    return import_file(kind=get_kind(kind_name), data=data, file_name=file_name, source="command", dry_run=dry_run)


def run_export(kind_name: str, queryset=None, file_format: str = "xlsx") -> bytes:
    stream = io.BytesIO()
    export_kind(kind=get_kind(kind_name), stream=stream, file_format=file_format, queryset=queryset)
    return stream.getvalue()
