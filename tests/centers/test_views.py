"""Staff list pages of centers, service requests and training institutions: filters, .xlsx, query counts."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db.models import Q
from django.urls import reverse

from centers.choices import CenterKind, CenterStatus, InstitutionKind, ServiceRequestStatus
from centers.models import ServiceRequest, SupportCenter, TrainingInstitution
from centers.views import CenterListView, InstitutionListView, ServiceRequestListView
from companies.models import Industry, Province, Region
from tests import html_tables

from .helpers import make_company, make_request, regional_center

pytestmark = pytest.mark.django_db

CENTERS = reverse("plan_centers:centers")
SERVICE_REQUESTS = reverse("plan_centers:service_requests")
INSTITUTIONS = reverse("plan_centers:institutions")


@pytest.fixture
def requests_made():
    """Five 기술지원 신청 at three centers from three companies (업종 금형, 소성가공, 주조)."""
    mold = make_company("다온금형", industry="금형", province="경상남도")
    forging = make_company("라온단조", industry="소성가공", province="경상남도")
    casting = make_company("가람주물", industry="주조", province="경기도")
    jinju, siheung, gumi = (
        regional_center("진주"),
        regional_center("시흥"),
        SupportCenter.objects.get(kind="dx", locality="구미"),
    )
    done = ServiceRequestStatus.COMPLETED
    return [
        make_request(jinju, mold, "시험분석", datetime.date(2025, 2, 3)),
        make_request(jinju, forging, "기술자문", datetime.date(2025, 6, 3), ServiceRequestStatus.IN_PROGRESS),
        make_request(siheung, casting, "시험분석", datetime.date(2025, 1, 9), done, datetime.date(2025, 2, 1)),
        make_request(siheung, mold, "기술지도", datetime.date(2024, 11, 20), ServiceRequestStatus.REJECTED),
        make_request(gumi, mold, "시제품제작", datetime.date(2025, 4, 1)),
    ]


def listed(response) -> list:
    return [obj.pk for _, _, obj in response.context["rows"]]


def xlsx_rows(response) -> tuple[tuple, list[tuple]]:
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


@pytest.mark.parametrize("url", [CENTERS, SERVICE_REQUESTS, INSTITUTIONS])
def test_pages_need_a_staff_login(client, django_user_model, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("일반사용자", password="x"))
    assert client.get(url).status_code == 403
    assert client.get(url, {"format": "xlsx"}).status_code == 403


@pytest.mark.parametrize(
    ("url", "admin_name"),
    [
        (CENTERS, "centers_supportcenter_change"),
        (SERVICE_REQUESTS, "centers_servicerequest_change"),
        (INSTITUTIONS, "centers_traininginstitution_change"),
    ],
)
def test_pages_render_in_korean_and_link_rows_to_the_admin(admin_client, requests_made, url, admin_name):
    response = admin_client.get(url)
    body = response.content.decode()
    assert '<html lang="ko' in body and "엑셀 내려받기" in body
    objects = [obj for _, _, obj in response.context["rows"]]
    model = type(objects[0])
    assert len(objects) == response.context["row_count"] == model.objects.count()
    assert re.search(r'<p class="plan-count">(\d+)건', body).group(1) == str(len(objects))
    links = {link for table in html_tables.tables(body) for row in table.rows for cell in row for link in cell.links}
    assert {reverse(f"admin:{admin_name}", args=[obj.pk]) for obj in objects} <= links  # every row links to its page


def center_cases() -> dict[str, tuple[dict, Q]]:
    jeolla, gyeongbuk = Region.objects.get(name="전라권"), Region.objects.get(name="경북권")
    surface = Industry.objects.get(name="표면처리")
    dx = SupportCenter.objects.filter(kind=CenterKind.DX).first()
    return {
        "region": ({"region": jeolla.pk}, Q(province__region=jeolla)),
        "kinds_and_status": (
            {"kind": [CenterKind.DX, CenterKind.SIMULATION], "status": CenterStatus.BUILDING},
            Q(kind__in=["dx", "simulation"], status="building"),
        ),
        "field": ({"industry": surface.pk}, Q(industries=surface)),
        "program": ({"program": dx.program_id}, Q(program=dx.program_id)),
        "region_and_field": (
            {"region": gyeongbuk.pk, "industry": Industry.objects.get(name="주조").pk},
            Q(province__region=gyeongbuk, industries__name="주조"),
        ),
        "province": ({"province": Province.objects.get(short_name="경기").pk}, Q(province__short_name="경기")),
        "search": ({"q": "DX"}, Q(name__icontains="DX")),
    }


@pytest.mark.parametrize(
    "case", ["region", "kinds_and_status", "field", "program", "region_and_field", "province", "search"]
)
def test_center_filters_return_exactly_the_matching_rows(admin_client, case):
    params, meaning = center_cases()[case]
    response = admin_client.get(CENTERS, params)
    assert response.status_code == 200
    expected = set(SupportCenter.objects.filter(meaning).values_list("pk", flat=True))
    assert expected
    assert set(listed(response)) == expected and len(listed(response)) == len(expected)
    assert response.context["row_count"] == len(expected)


def test_center_export_holds_the_filtered_rows_with_numbers_as_numbers(admin_client, requests_made):
    params = {"kind": CenterKind.REGIONAL, "region": Region.objects.get(name="경남권").pk}
    page = admin_client.get(CENTERS, params)
    header, rows = xlsx_rows(admin_client.get(CENTERS, {**params, "format": "xlsx"}))
    names = [row[header.index("센터명")] for row in rows]
    assert names == [SupportCenter.objects.get(pk=pk).name for pk in listed(page)]
    assert set(names) == {f"지역뿌리기술지원센터({city})" for city in ("울산", "진주", "부산")}
    jinju = rows[names.index("지역뿌리기술지원센터(진주)")]
    assert jinju[header.index("기술지원 신청 수")] == 2
    assert jinju[header.index("지원 분야")] == "금형, 소성가공"
    assert jinju[header.index("구축장비수(종)")] == SupportCenter.objects.get(locality="진주").equipment_count


def request_cases() -> dict[str, tuple[dict, Q]]:
    jinju = regional_center("진주")
    return {
        "status": (
            {"status": [ServiceRequestStatus.RECEIVED, ServiceRequestStatus.IN_PROGRESS]},
            Q(status__in=["received", "in_progress"]),
        ),
        "center_kind": ({"center_kind": CenterKind.DX}, Q(center__kind="dx")),
        "region_and_industry": (
            {"region": Region.objects.get(name="경남권").pk, "industry": Industry.objects.get(name="금형").pk},
            Q(center__province__region__name="경남권", company__industry__name="금형"),
        ),
        "center_and_service": (
            {"center": jinju.pk, "service_type": jinju.service_types.get(name="기술자문").pk},
            Q(center=jinju, service_type__name="기술자문"),
        ),
        "date_range": (
            {"requested_on_after": "2025-01-01", "requested_on_before": "2025-03-31"},
            Q(requested_on__gte=datetime.date(2025, 1, 1), requested_on__lte=datetime.date(2025, 3, 31)),
        ),
        "search": ({"q": "금형"}, Q(company__name__icontains="금형")),
    }


@pytest.mark.parametrize(
    "case", ["status", "center_kind", "region_and_industry", "center_and_service", "date_range", "search"]
)
def test_service_request_filters_return_exactly_the_matching_rows(admin_client, requests_made, case):
    params, meaning = request_cases()[case]
    response = admin_client.get(SERVICE_REQUESTS, params)
    assert response.status_code == 200
    expected = set(ServiceRequest.objects.filter(meaning).values_list("pk", flat=True))
    assert expected
    assert set(listed(response)) == expected and len(listed(response)) == len(expected)
    assert response.context["row_count"] == len(expected)


def test_service_request_export_holds_the_filtered_rows(admin_client, requests_made):
    params = {"center": regional_center("시흥").pk}
    page = admin_client.get(SERVICE_REQUESTS, params)
    header, rows = xlsx_rows(admin_client.get(SERVICE_REQUESTS, {**params, "format": "xlsx"}))
    expected = [ServiceRequest.objects.get(pk=pk) for pk in listed(page)]
    assert (
        [row[header.index("업체명")] for row in rows] == [r.company.name for r in expected] == ["가람주물", "다온금형"]
    )
    completed = rows[0]
    assert completed[header.index("신청일")] == datetime.datetime(2025, 1, 9)  # a date cell, not text
    assert completed[header.index("완료일")] == datetime.datetime(2025, 2, 1)
    assert completed[header.index("상태")] == "완료"


def institution_cases() -> dict[str, tuple[dict, Q]]:
    return {
        "kind": ({"kind": [InstitutionKind.POLYTECH]}, Q(kind="polytech")),
        "designated_year": ({"designated_year": 2024}, Q(designated_year=2024)),
        "region": ({"region": Region.objects.get(name="전라권").pk}, Q(province__region__name="전라권")),
        "field": ({"industry": Industry.objects.get(name="주조").pk}, Q(industries__name="주조")),
        "program_and_status": (
            {"program": TrainingInstitution.objects.get(name="동아대").program_id, "status": "operating"},
            Q(program=TrainingInstitution.objects.get(name="동아대").program_id, status="operating"),
        ),
    }


@pytest.mark.parametrize("case", ["kind", "designated_year", "region", "field", "program_and_status"])
def test_institution_filters_return_exactly_the_matching_rows(admin_client, case):
    params, meaning = institution_cases()[case]
    response = admin_client.get(INSTITUTIONS, params)
    assert response.status_code == 200
    expected = set(TrainingInstitution.objects.filter(meaning).values_list("pk", flat=True))
    assert expected
    assert set(listed(response)) == expected and len(listed(response)) == len(expected)


def test_institution_export_holds_the_filtered_rows_with_years_as_numbers(admin_client):
    header, rows = xlsx_rows(admin_client.get(INSTITUTIONS, {"designated_year": 2024, "format": "xlsx"}))
    assert sorted(row[header.index("기관명")] for row in rows) == ["동아대", "전북대", "한국공학대"]
    assert {row[header.index("지정연도")] for row in rows} == {2024}
    assert all(isinstance(row[header.index("교육과정 수")], int) for row in rows)


@pytest.mark.parametrize(
    ("view", "url"),
    [(CenterListView, CENTERS), (ServiceRequestListView, SERVICE_REQUESTS), (InstitutionListView, INSTITUTIONS)],
)
def test_query_count_does_not_depend_on_page_size(
    admin_client, requests_made, django_assert_num_queries, monkeypatch, view, url
):
    monkeypatch.setattr(view, "paginate_by", 2)
    with django_assert_num_queries(20, exact=False) as small:
        admin_client.get(url)
    monkeypatch.setattr(view, "paginate_by", 100)
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client.get(url)


@pytest.mark.parametrize(("url", "term"), [(CENTERS, "진주"), (SERVICE_REQUESTS, "진주"), (INSTITUTIONS, "동아")])
def test_export_query_count_does_not_depend_on_row_count(
    admin_client, requests_made, django_assert_num_queries, url, term
):
    with django_assert_num_queries(20, exact=False) as few:
        admin_client.get(url, {"q": term, "format": "xlsx"})
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(url, {"format": "xlsx"})
