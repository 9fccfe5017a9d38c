"""Hostile uploads through the admin import page: refused with a Korean reason, nothing written."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Company
from programs.importing import admin as importing_admin
from programs.importing import files
from programs.models import ImportBatch, PendingUpload

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:companies_company_import")
HEADERS = ["사업자등록번호", "업체명", "시·도", "업종"]


def valid_xlsx(name="정상기업") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["220-81-62517", name, "서울특별시", "주조"])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def with_entities(data: bytes) -> bytes:
    """The same workbook whose XML declares an exponential entity (billion laughs) and uses it."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE x [<!ENTITY l0 "lol">{laughs}]>'
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if "정상기업".encode() in content:
                text = content.decode().split("?>", 1)[-1].replace(">정상기업<", ">&l9;<")
                content = (f'<?xml version="1.0"?>{doctype}' + text).encode()
            archive.writestr(item, content)
    return out.getvalue()


def upload(client, name: str, data: bytes):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def assert_refused(response, reason: str):
    assert response.status_code == 200
    body = response.content.decode()
    assert reason in body and "저장할 수 없습니다" in body
    assert "token" not in response.context or not response.context.get("token")
    assert not Company.objects.exists() and not ImportBatch.objects.exists()
    assert not PendingUpload.objects.exists()


def test_valid_file_previews(admin_client):
    response = upload(admin_client, "기업.xlsx", valid_xlsx())
    assert response.context["token"] and PendingUpload.objects.count() == 1
    assert not Company.objects.exists()


def test_other_file_renamed_to_xlsx_is_refused(admin_client):
    assert_refused(upload(admin_client, "기업.xlsx", b"%PDF-1.7 not a spreadsheet"), "xlsx 형식(zip)이 아닙니다")


def test_wrong_extension_is_refused(admin_client):
    assert_refused(upload(admin_client, "기업.xls", valid_xlsx()), "지원하지 않는 파일 형식")


def test_xml_entity_expansion_is_refused(admin_client):
    assert_refused(upload(admin_client, "기업.xlsx", with_entities(valid_xlsx())), "엑셀 파일을 읽을 수 없습니다")


def test_zip_bomb_is_refused_from_its_declared_size(admin_client, monkeypatch):
    monkeypatch.setattr(files, "MAX_XLSX_UNCOMPRESSED_BYTES", 1024 * 1024)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    assert_refused(upload(admin_client, "기업.xlsx", bomb.getvalue()), "압축")


def test_oversize_upload_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr(importing_admin, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1000)
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("기업.xlsx", valid_xlsx())}, follow=True)
    assert "파일이 너무 큽니다" in response.content.decode()
    assert not Company.objects.exists() and not PendingUpload.objects.exists()


def test_confirmation_works_from_any_process_and_only_for_the_uploader(admin_client, django_user_model):
    from django.test import Client

    token = upload(admin_client, "기업.xlsx", valid_xlsx()).context["token"]
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("다른관리자", "o@example.com", "pw"))
    other.post(IMPORT_URL, {"token": token})
    assert not Company.objects.exists()  # another user's token is not accepted
    admin_client.post(IMPORT_URL, {"token": token})
    assert Company.objects.get().name == "정상기업"
    assert not PendingUpload.objects.exists()
