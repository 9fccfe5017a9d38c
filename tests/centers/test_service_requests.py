"""기술지원 신청 rules: types a center offers, date order, allowed status changes — in services and DB."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from centers import services
from centers.choices import ServiceRequestStatus as Status
from centers.models import ServiceRequest, SupportCenter

from .helpers import make_company, make_request, regional_center, service_type

pytestmark = pytest.mark.django_db

MARCH_4 = datetime.date(2025, 3, 4)


@pytest.fixture
def company():
    return make_company()


def test_a_request_for_a_service_the_center_offers_is_received(company):
    request = services.service_request_create(
        center=regional_center("시흥"),
        company=company,
        service_type=service_type("시제품제작"),
        requested_on=MARCH_4,
    )
    assert request.status == Status.RECEIVED
    assert request.completed_on is None


def test_a_center_refuses_a_service_type_it_does_not_offer(company):
    # The DX center of 구미 offers 시험분석 and 시제품제작 (fixtures), not 기술지도.
    dx_gumi = SupportCenter.objects.get(name="뿌리산업 제조공정혁신 DX지원센터(구미)")
    with pytest.raises(ValidationError) as error:
        services.service_request_create(
            center=dx_gumi, company=company, service_type=service_type("기술지도"), requested_on=MARCH_4
        )
    assert error.value.message_dict["service_type"] == [
        "'뿌리산업 제조공정혁신 DX지원센터(구미)'은(는) '기술지도' 서비스를 제공하지 않습니다."
    ]
    assert not ServiceRequest.objects.filter(company=company).exists()


def test_a_request_goes_received_in_progress_completed(company):
    request = make_request(regional_center(), company)
    services.service_request_set_status(service_request=request, status=Status.IN_PROGRESS)
    services.service_request_set_status(
        service_request=request, status=Status.COMPLETED, completed_on=datetime.date(2025, 4, 1)
    )
    request.refresh_from_db()
    assert (request.status, request.completed_on) == (Status.COMPLETED, datetime.date(2025, 4, 1))


def test_a_received_request_cannot_be_completed_without_being_taken_on(company):
    request = make_request(regional_center(), company)
    with pytest.raises(ValidationError, match="'접수' 상태에서 '완료'"):
        services.service_request_set_status(service_request=request, status=Status.COMPLETED)
    request.refresh_from_db()
    assert request.status == Status.RECEIVED


@pytest.mark.parametrize("final", [Status.COMPLETED, Status.REJECTED])
def test_a_closed_request_cannot_change_status(company, final):
    completed_on = MARCH_4 if final == Status.COMPLETED else None
    request = make_request(regional_center(), company, status=final, completed_on=completed_on)
    request = ServiceRequest.objects.get(pk=request.pk)
    with pytest.raises(ValidationError):
        services.service_request_set_status(service_request=request, status=Status.IN_PROGRESS)


def test_rejection_is_possible_from_received_and_in_progress(company):
    first = make_request(regional_center(), company, requested_on=MARCH_4)
    second = make_request(regional_center(), company, requested_on=datetime.date(2025, 3, 5))
    services.service_request_set_status(service_request=first, status=Status.REJECTED)
    services.service_request_set_status(service_request=second, status=Status.IN_PROGRESS)
    services.service_request_set_status(service_request=second, status=Status.REJECTED)
    assert set(ServiceRequest.objects.filter(company=company).values_list("status", flat=True)) == {Status.REJECTED}


def test_completion_before_the_request_date_is_refused(company):
    request = make_request(regional_center(), company, status=Status.IN_PROGRESS)
    request = ServiceRequest.objects.get(pk=request.pk)
    with pytest.raises(ValidationError) as error:
        services.service_request_set_status(
            service_request=request, status=Status.COMPLETED, completed_on=datetime.date(2025, 3, 3)
        )
    assert error.value.message_dict["completed_on"] == ["완료일은 신청일보다 앞설 수 없습니다."]


def test_the_form_rules_are_also_the_databases(company):
    center = regional_center()
    cases = [
        {"status": Status.IN_PROGRESS, "completed_on": MARCH_4},  # 완료일 only when 완료
        {"status": Status.COMPLETED, "completed_on": None},  # 완료 needs a 완료일
        {"status": Status.COMPLETED, "completed_on": datetime.date(2025, 3, 1)},  # before 신청일
        {"status": "unknown", "completed_on": None},
    ]
    for case in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_request(center, company, **case)
    assert not ServiceRequest.objects.filter(company=company).exists()


def test_the_same_request_cannot_be_recorded_twice(company):
    make_request(regional_center(), company)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_request(regional_center(), company)


def test_a_status_change_made_on_a_loaded_request_is_checked_by_clean(company):
    # What an admin form does: set the field on a stored row, then full_clean().
    request = ServiceRequest.objects.get(pk=make_request(regional_center(), company).pk)
    request.status = Status.COMPLETED
    request.completed_on = MARCH_4
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert "status" in error.value.message_dict
