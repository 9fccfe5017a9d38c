"""센터 담당자 manages only their own center's service requests."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centers.models import ServiceRequest
from programs import access
from tests.centers.helpers import make_company, make_request, regional_center, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, role_user):
    user = role_user(access.CENTER_OFFICER, center=regional_center("김제"), name="김제센터")
    client.force_login(user)
    return user


@pytest.fixture
def requests_at_two_centers():
    company = make_company()
    return make_request(regional_center("김제"), company), make_request(regional_center("부산"), company)


def change_url(service_request):
    return reverse("admin:centers_servicerequest_change", args=[service_request.pk])


def test_officer_edits_own_centers_request(client, officer, requests_at_two_centers):
    own, _ = requests_at_two_centers
    assert 'name="_save"' in client.get(change_url(own)).content.decode()


def test_officer_cannot_change_or_delete_another_centers_request(client, officer, requests_at_two_centers):
    own, other = requests_at_two_centers
    assert client.post(change_url(other), {"memo": "x"}).status_code == 403
    assert (
        client.post(reverse("admin:centers_servicerequest_delete", args=[other.pk]), {"post": "yes"}).status_code == 403
    )
    response = client.post(
        reverse("admin:centers_servicerequest_changelist"),
        {"action": "mark_in_progress", "_selected_action": [own.pk, other.pk]},
    )
    assert response.status_code == 403
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {"received"}


def test_officer_import_for_another_center_is_refused(client, officer, requests_at_two_centers):
    own, _ = requests_at_two_centers
    data = xlsx_bytes(
        ["센터명", "사업자등록번호", "서비스 유형", "신청일"],
        [["지역뿌리기술지원센터(부산)", own.company.brn, "기술지도", datetime.date(2025, 4, 1)]],
    )
    response = client.post(
        reverse("admin:centers_servicerequest_import"), {"file": SimpleUploadedFile("신청.xlsx", data)}
    )
    assert "담당 센터가 아닌 센터의 기술지원 신청은 가져올 수 없습니다" in response.content.decode()
    assert ServiceRequest.objects.count() == 2


def test_officer_cannot_change_programs(client, officer):
    from programs.models import Program

    program = Program.objects.get(code="polytech")
    assert client.post(reverse("admin:programs_program_change", args=[program.pk]), {"name": "x"}).status_code == 403
