"""Characters a spreadsheet cannot hold (a vertical tab in a company name once made every companies
export answer 500): refused in every text field of every model (admin forms, full_clean), refused
at import (tests/hardening/test_hostile_files.py), and dropped from exports of what is already
stored, whichever way it got there."""

import io

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from centers.models import SupportCenter
from companies.models import Company
from programs.models import Program
from programs.reports.committee import committee_report_bytes
from programs.validators import validate_spreadsheet_text
from tests.companies.helpers import make_company
from tests.programs.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

STORED = "가상\x0b기업\x01"  # what a CSV import accepted before: vertical tab, start of heading
SHOWN = "가상기업"


def sheet_rows(data: bytes, sheet: int = 0) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


@pytest.fixture
def stored_company():
    company = make_company(name="정상기업", memo="메모")
    Company.objects.filter(pk=company.pk).update(name=STORED, memo="줄\n바꿈\x0c메모")  # no validation on update
    return company


def test_admin_export_of_a_stored_control_character(admin_client, stored_company):
    response = admin_client.get(reverse("admin:companies_company_export"))

    assert response.status_code == 200
    rows = sheet_rows(response.content)
    name_column = rows[0].index("업체명")
    assert [row[name_column] for row in rows[1:]] == [SHOWN]
    assert rows[1][rows[0].index("메모")] == "줄\n바꿈메모"  # line breaks are kept, the form feed is not


def test_admin_csv_export_drops_them_too_so_the_file_imports_again(admin_client, stored_company):
    response = admin_client.get(reverse("admin:companies_company_export"), {"_format": "csv"})

    text = response.content.decode("utf-8-sig")
    assert SHOWN in text and "\x0b" not in text and "\x01" not in text


def test_staff_page_export_of_a_stored_control_character(admin_client, stored_company):
    response = admin_client.get(reverse("plan_companies:companies"), {"format": "xlsx"})

    assert response.status_code == 200
    assert SHOWN in [cell for row in sheet_rows(response.content) for cell in row]


def test_export_command_of_a_stored_control_character(tmp_path, stored_company):
    path = tmp_path / "기업.xlsx"
    call_command("export_excel", "companies", str(path), stdout=io.StringIO())

    assert SHOWN in [cell for row in sheet_rows(path.read_bytes()) for cell in row]


def test_committee_report_with_a_stored_control_character():
    program = Program.objects.filter(budgets__isnull=False).order_by("pk").first()
    Program.objects.filter(pk=program.pk).update(name=f"{program.name}\x0b")
    SupportCenter.objects.filter(pk=SupportCenter.objects.order_by("pk").first().pk).update(name="센터\x1f이름")

    workbook = openpyxl.load_workbook(io.BytesIO(committee_report_bytes(year=2025)))

    cells = {cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert program.name in cells
    assert not any(isinstance(cell, str) and ("\x0b" in cell or "\x1f" in cell) for cell in cells)


def test_admin_form_refuses_a_control_character(admin_client):
    company = make_company(name="정상기업")
    url = reverse("admin:companies_company_change", args=[company.pk])
    data = change_form_data(admin_client.get(url))
    data["name"] = "가상\x0b기업"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "엑셀에 저장할 수 없는 제어 문자(U+000B)" in response.content.decode()
    company.refresh_from_db()
    assert company.name == "정상기업"


def test_full_clean_refuses_a_control_character_and_keeps_tabs_and_line_breaks():
    company = make_company(memo="첫 줄\r\n둘째\t줄")
    company.full_clean()

    company.representative = "대표\x00자"
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    assert "representative" in refused.value.message_dict


def project_text_fields():
    for app_label in ("programs", "companies", "centers"):
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField) and not field.generated:
                    yield f"{model._meta.label}.{field.name}", field


def test_every_text_field_of_every_app_refuses_them():
    fields = dict(project_text_fields())

    assert len(fields) > 80 and "companies.Company.name" in fields and "centers.SupportCenter.description" in fields
    assert [name for name, field in fields.items() if validate_spreadsheet_text not in field.validators] == []


def test_the_field_validator_changes_no_migration():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # raises SystemExit if one is due
    assert "No changes detected" in out.getvalue()
