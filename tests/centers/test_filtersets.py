"""The centers app's FilterSets, on their own (the same criteria as the admin lists)."""

import datetime

import pytest

from centers.filtersets import (
    ServiceRequestFilterSet,
    SupportCenterFilterSet,
    TrainingCourseFilterSet,
    TrainingInstitutionFilterSet,
)
from centers.models import ServiceRequest, SupportCenter, TrainingCourse, TrainingInstitution
from companies.models import Industry, Region

from .helpers import make_company, make_request, regional_center

pytestmark = pytest.mark.django_db


def names(filterset) -> set[str]:
    assert filterset.is_valid(), filterset.errors
    return {obj.name for obj in filterset.qs}


def test_centers_by_region_and_field():
    jeolla = Region.objects.get(name="전라권")
    assert names(SupportCenterFilterSet({"region": jeolla.pk}, queryset=SupportCenter.objects.all())) == {
        "지역뿌리기술지원센터(김제)",
        "지역뿌리기술지원센터(광주)",
        "지역뿌리기술지원센터(순천)",
    }
    surface = Industry.objects.get(name="표면처리")
    # 표면처리: 시흥 (6대 기반공정), 순천, 부산 and the 표면처리 실증 플랫폼.
    assert len(names(SupportCenterFilterSet({"industry": surface.pk}, queryset=SupportCenter.objects.all()))) == 4


def test_centers_by_kind_status_and_search():
    data = {"kind": ["dx", "simulation"], "status": "building"}
    assert len(names(SupportCenterFilterSet(data, queryset=SupportCenter.objects.all()))) == 3
    assert names(SupportCenterFilterSet({"q": "다산주물"}, queryset=SupportCenter.objects.all())) == {
        "지역뿌리기술지원센터(고령)"
    }


def test_service_requests_by_company_industry_and_date():
    center = regional_center("진주")
    mold = make_company("다온금형", industry="금형", province="경상남도")
    forging = make_company("라온단조", industry="소성가공", province="경상남도")
    make_request(center, mold, "시험분석", datetime.date(2025, 2, 3))
    make_request(center, forging, "기술자문", datetime.date(2025, 6, 3))
    queryset = ServiceRequest.objects.all()
    by_industry = ServiceRequestFilterSet({"industry": mold.industry_id}, queryset=queryset)
    assert [request.company.name for request in by_industry.qs] == ["다온금형"]
    by_date = ServiceRequestFilterSet({"requested_on_after": "2025-06-01"}, queryset=queryset)
    assert [request.company.name for request in by_date.qs] == ["라온단조"]
    assert ServiceRequestFilterSet({"q": "라온"}, queryset=queryset).qs.count() == 1


def test_institutions_by_kind_year_and_program():
    queryset = TrainingInstitution.objects.all()
    assert names(TrainingInstitutionFilterSet({"designated_year": 2024}, queryset=queryset)) == {
        "한국공학대",
        "동아대",
        "전북대",
    }
    polytech = TrainingInstitution.objects.filter(kind="polytech").first().program
    assert len(names(TrainingInstitutionFilterSet({"program": polytech.pk}, queryset=queryset))) == 3


def test_courses_by_field():
    casting = Industry.objects.get(name="주조")
    filterset = TrainingCourseFilterSet({"industry": casting.pk}, queryset=TrainingCourse.objects.all())
    assert names(filterset) == {"주조 분야 교육과정(설계·시뮬레이션)"}


def test_service_request_search_finds_a_dashed_business_number():
    company = make_company("검색정밀")
    make_request(regional_center("김제"), company)
    dashed = f"{company.brn[:3]}-{company.brn[3:5]}-{company.brn[5:]}"
    found = ServiceRequestFilterSet({"q": dashed}, queryset=ServiceRequest.objects.all()).qs
    assert [request.company.name for request in found] == ["검색정밀"]
