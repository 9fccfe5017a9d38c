"""Ministry officers change only their ministry's applications; committee members change nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from companies.models import Application, Company
from programs import access
from programs.models import Program
from tests.companies.helpers import make_application, make_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, role_user):
    user = role_user(access.MINISTRY_OFFICER, ministry="mss")
    client.force_login(user)
    return user


@pytest.fixture
def applications():
    company = make_company(name="가나주조")
    own = make_application(company, Program.objects.get(code="export-voucher"))  # 중기부
    other = make_application(company, Program.objects.get(code="smart-process"))  # 산업부
    return own, other


def change_url(application):
    return reverse("admin:companies_application_change", args=[application.pk])


def test_officer_changes_own_ministrys_application(client, officer, applications):
    own, _ = applications
    page = client.get(change_url(own))
    assert 'name="_save"' in page.content.decode()


def test_officer_cannot_post_another_ministrys_application(client, officer, applications):
    _, other = applications
    assert 'name="_save"' not in client.get(change_url(other)).content.decode()
    response = client.post(
        change_url(other),
        {"company": other.company_id, "program": other.program_id, "year": 2025, "status": "reviewing"},
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=other.pk).status == "received"


def test_officer_cannot_add_application_to_another_ministrys_program(client, officer):
    company = make_company(name="다라금형")
    response = client.post(
        reverse("admin:companies_application_add"),
        {
            "company": company.pk,
            "program": Program.objects.get(code="robot-demo").pk,
            "year": 2025,
            "status": "received",
        },
    )
    assert "다른 부처 소관 사업의 자료는 수정할 수 없습니다" in response.content.decode()
    assert not Application.objects.exists()


def test_officer_bulk_status_change_with_another_ministrys_row_is_refused(client, officer, applications):
    own, other = applications
    response = client.post(
        reverse("admin:companies_application_changelist"),
        {"action": "set_status_reviewing", "_selected_action": [own.pk, other.pk]},
    )
    assert response.status_code == 403
    assert set(Application.objects.values_list("status", flat=True)) == {"received"}


def test_officer_import_touching_another_ministry_is_refused_whole(client, officer):
    company = make_company(name="마바용접")
    workbook = openpyxl.Workbook()
    workbook.active.append(["사업자등록번호", "사업", "연도", "상태"])
    workbook.active.append([company.brn, "수출바우처", 2025, "접수"])
    workbook.active.append([company.brn, "첨단제조로봇실증", 2025, "접수"])
    stream = io.BytesIO()
    workbook.save(stream)
    response = client.post(
        reverse("admin:companies_application_import"), {"file": SimpleUploadedFile("신청.xlsx", stream.getvalue())}
    )
    body = response.content.decode()
    assert "담당 부처 소관이 아닌 사업의 자료는 가져올 수 없습니다" in body and not response.context.get("token")
    assert [error.row_number for error in response.context["errors"]] == [3]
    assert not Application.objects.exists()


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_officer_reads_exports_and_filtered_lists_of_everything(client, officer, applications):
    rows = xlsx_rows(client.get(reverse("admin:companies_application_export")))
    header, data = rows[0], rows[1:]
    # Both applications, the other ministry's one too: officers read everything.
    assert sorted(row[header.index("사업")] for row in data) == ["수출바우처", "지능형 뿌리공정 시스템 구축"]
    page = client.get(reverse("plan_companies:applications"))
    assert page.status_code == 200 and page.context["row_count"] == 2
    assert {obj.pk for _, _, obj in page.context["rows"]} == {application.pk for application in applications}


def test_committee_member_changes_nothing(client, role_user, applications):
    client.force_login(role_user(access.COMMITTEE_MEMBER))
    own, _ = applications
    assert client.get(reverse("admin:companies_application_add")).status_code == 403
    assert client.get(reverse("admin:companies_company_import")).status_code == 403
    assert client.post(change_url(own), {"status": "reviewing"}).status_code == 403
    company = Company.objects.get()
    assert client.post(reverse("admin:companies_company_change", args=[company.pk]), {"name": "x"}).status_code == 403
    listing = client.get(reverse("admin:companies_application_changelist"))
    # The only action offered is the export of the selected rows (위원 read and download).
    offered = [value for value, _ in listing.context["action_form"].fields["action"].choices if value]
    assert listing.context["cl"].result_count == 2 and offered == ["export_selected"]
    response = client.post(
        reverse("admin:companies_application_changelist"),
        {"action": "set_status_reviewing", "_selected_action": [own.pk]},
    )
    assert response.status_code == 302  # back to the list: an action it does not offer is not run
    assert Application.objects.get(pk=own.pk).status == "received"
    rows = xlsx_rows(client.get(reverse("admin:companies_company_export")))
    assert [row[rows[0].index("업체명")] for row in rows[1:]] == ["가나주조"]
    assert Company.objects.get().name == "가나주조"


def test_staff_without_a_role_cannot_export_or_import(client, django_user_model, applications):
    client.force_login(django_user_model.objects.create_user("역할없음", password="pw", is_staff=True))
    assert client.get(reverse("admin:companies_company_export")).status_code == 403
    assert client.get(reverse("admin:companies_application_export")).status_code == 403
    assert client.get(reverse("admin:companies_application_import")).status_code == 403
    assert client.get(reverse("plan_companies:applications"), {"format": "xlsx"}).status_code == 403
