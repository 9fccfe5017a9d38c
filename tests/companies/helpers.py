"""Test data helpers for the companies tests: valid identifiers, companies, programs, files."""

import csv
import itertools

import openpyxl

from companies.models import Application, Company, Industry, Province
from programs.identifiers import brn_check_digit, corporate_number_check_digit
from programs.models import Program

_serial = itertools.count(1)


def valid_brn(serial: int | None = None) -> str:
    first_nine = f"12381{(serial if serial is not None else next(_serial)):04d}"
    return first_nine + str(brn_check_digit(first_nine))


def valid_corporate_number(serial: int = 1) -> str:
    first_twelve = f"110111{serial:06d}"
    return first_twelve + str(corporate_number_check_digit(first_twelve))


def dashed(brn: str) -> str:
    return f"{brn[:3]}-{brn[3:5]}-{brn[5:]}"


def make_company(**fields) -> Company:
    values = {
        "brn": valid_brn(),
        "name": "테스트기업",
        "province": Province.objects.get(short_name="경기"),
        "industry": Industry.objects.get(name="주조"),
        "sales_amount": 700_000_000,
    }
    values.update(fields)
    company = Company.objects.create(**values)
    company.refresh_from_db()
    return company


def some_programs(count: int = 2) -> list[Program]:
    programs = list(Program.objects.order_by("pk")[:count])
    assert len(programs) == count, "load_plan should have loaded the plan's programs"
    return programs


def make_application(company, program, **fields) -> Application:
    return Application.objects.create(company=company, program=program, year=fields.pop("year", 2025), **fields)


COMPANY_HEADERS = [
    "사업자등록번호",
    "업체명",
    "시·도",
    "업종",
    "매출액(원)",
    "종사자 수",
    "외국인 종사자 수",
    "설립일",
    "R&D 역량 보유",
    "메모",
]


def write_xlsx(path, headers, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, headers, rows, encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def read_xlsx(path) -> list[list]:
    workbook = openpyxl.load_workbook(path)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
