"""Admin pages of the centers app answer in Korean, filter as the staff expect, and do not N+1."""

import datetime
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centers.choices import CommitteeUnit, CourseType, InstitutionKind, ServiceRequestStatus
from centers.models import (
    CommitteeMeeting,
    OperatingCommittee,
    ServiceRequest,
    ServiceType,
    SpecializedComplex,
    SupportCenter,
    TrainingCourse,
    TrainingInstitution,
    TrainingOutcome,
)
from companies.models import Industry, Region
from programs.importing.kinds import get_kind

from .helpers import make_company, make_request, read_xlsx, regional_center, run_export, xlsx_bytes

pytestmark = pytest.mark.django_db

CHANGELISTS = {
    "supportcenter": "지원센터",
    "servicerequest": "기술지원 신청",
    "specializedcomplex": "특화단지",
    "operatingcommittee": "특화단지 운영위원회",
    "traininginstitution": "인력양성기관",
    "trainingcourse": "교육과정",
    "trainingoutcome": "연도별 양성 실적",
    "plantarget": "인력양성 계획 목표",
    "servicetype": "기술지원 서비스 유형",
    "committeedirection": "운영위원회 추진 방향(계획)",
}


def changelist(model: str) -> str:
    return reverse(f"admin:centers_{model}_changelist")


@pytest.fixture
def requests_at_siheung():
    """Four requests at the 시흥 center: 시험분석 ×2, 기술지도 ×1, 시제품제작 ×1 from 금형 and 주조 firms."""
    center = regional_center("시흥")
    mold = make_company("가온금형", industry="금형")
    casting = make_company("나래주조", industry="주조")
    make_request(center, mold, "시험분석", datetime.date(2025, 3, 4))
    make_request(center, casting, "시험분석", datetime.date(2025, 3, 5))
    make_request(center, mold, "기술지도", datetime.date(2025, 3, 6))
    make_request(center, mold, "시제품제작", datetime.date(2025, 3, 7), ServiceRequestStatus.IN_PROGRESS)
    return center


READ_ONLY = {"committeedirection"}


@pytest.mark.parametrize("model,title", CHANGELISTS.items())
def test_every_list_page_answers_in_korean(admin_client, requests_at_siheung, model, title):
    response = admin_client.get(changelist(model))
    assert response.status_code == 200
    content = response.content.decode()
    # Reference data (read-only, from the plan document) is listed for viewing, not for changing.
    page_title = f"{title} 보기" if model in READ_ONLY else f"변경할 {title} 선택"
    assert re.search(r"<title>(.*?)</title>", content).group(1) == f"{page_title} | 뿌리산업 진흥 실행계획"
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", content) == [page_title]
    assert response.context["cl"].result_count == apps.get_model("centers", model).objects.count()
    headers = [str(header["text"]) for header in response.context["result_headers"]]
    headers = [text for text in headers if not text.startswith("<input")]  # the select-all box
    assert headers and all(re.search("[가-힣]", text) for text in headers), headers


def test_the_app_is_listed_as_지원기관_on_the_admin_index(admin_client):
    app_list = admin_client.get(reverse("admin:index")).context["app_list"]
    (centers,) = [app for app in app_list if app["app_label"] == "centers"]
    assert centers["name"] == "지원기관"
    assert {model["name"] for model in centers["models"]} == set(CHANGELISTS.values())
    assert {model["admin_url"] for model in centers["models"]} == {changelist(model) for model in CHANGELISTS}


def test_center_list_filters_by_kind_region_and_field(admin_client):
    def count(query: str) -> int:
        return admin_client.get(changelist("supportcenter") + query).context["cl"].result_count

    assert count("") == SupportCenter.objects.count() == 14
    assert count("?kind__exact=regional") == 10
    gyeongbuk = Region.objects.get(name="경북권")
    # 경북권: 대구, 고령 (regional) and the DX centers of 구미, 성주.
    assert count(f"?province__region__id__exact={gyeongbuk.pk}") == 4
    casting = SupportCenter.objects.filter(industries__name="주조").first().industries.get(name="주조")
    # 주조: 시흥 (6대 기반공정), 김제, 고령, 울산.
    assert count(f"?industries__id__exact={casting.pk}") == 4
    assert count("?status__exact=building") == 4
    assert count("?q=시화반월") == 1


def test_center_list_page_does_not_grow_with_rows(admin_client, requests_at_siheung, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        response = admin_client.get(changelist("supportcenter"))
    assert "지역뿌리기술지원센터(시흥)" in response.content.decode()


def test_service_request_list_does_not_grow_with_rows(admin_client, requests_at_siheung, django_assert_max_num_queries):
    for day in range(1, 21):
        make_request(
            regional_center("부산"),
            make_company(f"도금{day}", industry="표면처리"),
            "시험분석",
            datetime.date(2025, 4, day),
        )
    with django_assert_max_num_queries(11):
        response = admin_client.get(changelist("servicerequest"))
    assert response.context["cl"].result_count == 24


def test_center_page_shows_its_requests_with_counts_by_type_and_industry(admin_client, requests_at_siheung):
    response = admin_client.get(reverse("admin:centers_supportcenter_change", args=[requests_at_siheung.pk]))
    content = response.content.decode()
    assert "서비스 유형별 신청" in content and "업종별 신청" in content
    by_type = content[content.index("서비스 유형별 신청") :]
    # every offered type, with 0 for 기술자문
    for name, count in [("시험분석", 2), ("기술지도", 1), ("시제품제작", 1), ("기술자문", 0)]:
        assert f"<td>{name}</td><td style='text-align:right'>{count}</td>" in by_type
    assert "<td>금형</td><td style='text-align:right'>3</td>" in content
    assert "<td>주조</td><td style='text-align:right'>1</td>" in content
    assert "가온금형" in content and "나래주조" in content


def test_request_list_filters_by_status_and_company_industry(admin_client, requests_at_siheung):
    def count(query: str) -> int:
        return admin_client.get(changelist("servicerequest") + query).context["cl"].result_count

    assert count("?status__exact=in_progress") == 1
    casting_id = ServiceRequest.objects.filter(company__name="나래주조").get().company.industry_id
    assert count(f"?company__industry__id__exact={casting_id}") == 1
    assert count("?q=가온") == 3


def test_status_actions_follow_the_workflow(admin_client, requests_at_siheung):
    received = ServiceRequest.objects.filter(status=ServiceRequestStatus.RECEIVED, service_type__name="기술지도").get()
    response = admin_client.post(
        changelist("servicerequest"),
        {"action": "mark_completed", "_selected_action": [received.pk]},
        follow=True,
    )
    assert "바꾸지 못했습니다" in response.content.decode()
    assert "&#x27;접수&#x27; 상태에서 &#x27;완료&#x27;(으)로 바꿀 수 없습니다" in response.content.decode()
    admin_client.post(changelist("servicerequest"), {"action": "mark_in_progress", "_selected_action": [received.pk]})
    response = admin_client.post(
        changelist("servicerequest"),
        {"action": "mark_completed", "_selected_action": [received.pk]},
        follow=True,
    )
    assert "1건을 「완료」로 바꿨습니다." in response.content.decode()
    received.refresh_from_db()
    assert received.status == ServiceRequestStatus.COMPLETED and received.completed_on is not None


def test_request_form_refuses_a_service_the_center_does_not_offer(admin_client):
    company = make_company()
    dx = SupportCenter.objects.get(name="뿌리산업 제조공정혁신 DX지원센터(구미)")
    response = admin_client.post(
        reverse("admin:centers_servicerequest_add"),
        {
            "center": dx.pk,
            "company": company.pk,
            "service_type": ServiceType.objects.get(name="기술자문").pk,
            "requested_on": "2025-03-04",
            "status": "received",
            "memo": "",
        },
    )
    assert response.status_code == 200
    assert "서비스를 제공하지 않습니다" in response.content.decode()
    assert not ServiceRequest.objects.filter(company=company).exists()


def test_institution_list_filters_by_kind_program_and_designation_year(admin_client):
    def count(query: str) -> int:
        return admin_client.get(changelist("traininginstitution") + query).context["cl"].result_count

    assert count(f"?kind__exact={InstitutionKind.RND_UNIVERSITY}") == 3
    assert count("?designated_year=2024") == 3
    polytech_program = TrainingInstitution.objects.filter(kind=InstitutionKind.POLYTECH).first().program
    assert count(f"?program__id__exact={polytech_program.pk}") == 3
    assert count("?q=폴리텍") == 3


def test_institution_page_shows_courses_and_outcomes_by_year(admin_client):
    institution = TrainingInstitution.objects.create(kind=InstitutionKind.FOREIGN_UNIVERSITY, name="테스트 양성대학")
    TrainingCourse.objects.create(institution=institution, year=2025, name="용접 실무", course_type=CourseType.DEGREE)
    TrainingOutcome.objects.create(
        institution=institution, year=2024, trainees=30, graduates=25, hired=20, visa_changes=18
    )
    TrainingOutcome.objects.create(institution=institution, year=2025, trainees=41)
    content = admin_client.get(
        reverse("admin:centers_traininginstitution_change", args=[institution.pk])
    ).content.decode()
    assert "교육과정" in content and "용접 실무" in content
    assert "연도별 양성 실적" in content
    outcomes = content[content.index('id="outcomes-group"') :]
    assert outcomes.index('value="2024"') < outcomes.index('value="2025"')
    assert 'value="18"' in outcomes


def test_institution_list_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    for number in range(15):
        TrainingInstitution.objects.create(kind=InstitutionKind.SPECIALIST, name=f"양성기관 {number}")
    with django_assert_max_num_queries(11):
        response = admin_client.get(changelist("traininginstitution"))
    assert response.context["cl"].result_count == TrainingInstitution.objects.count() > 15


def test_filtered_export_from_the_list_has_only_the_shown_rows(admin_client):
    response = admin_client.get(reverse("admin:centers_supportcenter_export") + "?kind__exact=dx")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content) if response.streaming else response.content)
    assert [row[0] for row in rows[1:]] == [
        "뿌리산업 제조공정혁신 DX지원센터(구미)",
        "뿌리산업 제조공정혁신 DX지원센터(성주)",
    ]


def test_admin_import_previews_then_writes_on_confirmation(admin_client):
    data = xlsx_bytes(["기관명", "종류", "상태"], [["신규 전문인력 양성기관", "전문인력 양성기관", "지정"]])
    url = reverse("admin:centers_traininginstitution_import")
    response = admin_client.post(url, {"file": SimpleUploadedFile("기관.xlsx", data)})
    assert response.status_code == 200
    assert not TrainingInstitution.objects.filter(name="신규 전문인력 양성기관").exists()
    assert "신규 전문인력 양성기관" in response.content.decode()  # the preview names the new row
    token = response.context["token"]
    response = admin_client.post(url, {"token": token}, follow=True)
    assert "가져왔습니다" in response.content.decode()
    assert TrainingInstitution.objects.get(name="신규 전문인력 양성기관").kind == InstitutionKind.SPECIALIST


@pytest.fixture
def many_rows():
    """Enough rows in every list for an N+1 to show: committees, meetings, courses, outcomes."""
    regions = list(Region.objects.order_by("order"))
    for number, region in enumerate(regions):
        committee = OperatingCommittee.objects.create(
            name=f"{region.name} 특화단지운영위원회",
            unit=CommitteeUnit.REGION,
            region=region,
            start_year=2025,
        )
        committee.complexes.add(SpecializedComplex.objects.get())
        CommitteeMeeting.objects.create(
            committee=committee, held_on=datetime.date(2025, 5, number + 1), agenda="성과 공유"
        )
        institution = TrainingInstitution.objects.create(kind=InstitutionKind.SPECIALIST, name=f"양성기관 {number}")
        institution.industries.set(Industry.objects.all()[:3])
        for year in (2024, 2025):
            TrainingCourse.objects.create(
                institution=institution,
                year=year,
                name="용접 실무",
                course_type=CourseType.NON_DEGREE,
                industry=Industry.objects.get(name="용접"),
            )
            TrainingOutcome.objects.create(institution=institution, year=year, trainees=20, graduates=15, hired=9)


@pytest.mark.parametrize("model", CHANGELISTS)
def test_no_list_page_grows_with_its_rows(
    admin_client, many_rows, requests_at_siheung, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(11):
        response = admin_client.get(changelist(model))
    assert response.context["cl"].result_count == apps.get_model("centers", model).objects.count() > 0


@pytest.mark.parametrize("kind", ["centers", "service_requests", "institutions", "courses", "outcomes"])
def test_exports_take_a_fixed_number_of_queries(many_rows, requests_at_siheung, kind, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        rows = read_xlsx(run_export(kind))
    model = get_kind(kind).model
    assert len(rows) - 1 == model.objects.count() > 0  # the header, then every row
