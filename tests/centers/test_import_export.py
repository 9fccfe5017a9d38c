"""Excel import/export of centers, service requests, institutions, courses and outcomes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from centers.choices import InstitutionKind, ServiceRequestStatus
from centers.models import ServiceRequest, SupportCenter, TrainingCourse, TrainingInstitution, TrainingOutcome
from programs.models import ImportBatch

from .helpers import (
    make_company,
    make_request,
    read_xlsx,
    regional_center,
    run_export,
    run_import,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

REQUEST_HEADERS = ["센터", "사업자등록번호", "서비스 유형", "신청일", "상태", "완료일", "메모"]


def test_exported_centers_import_back_unchanged():
    exported = run_export("centers")
    rows = read_xlsx(exported)
    assert rows[0][:3] == ["센터명", "종류", "표시 순서"]
    assert len(rows) == 1 + SupportCenter.objects.count()
    result = run_import("centers", exported)
    assert result.counts == {"new": 0, "updated": 0, "unchanged": 14, "invalid": 0}


def test_a_changed_cell_updates_only_that_center_and_is_recorded():
    rows = read_xlsx(run_export("centers"))
    header = rows[0]
    busan = next(row for row in rows if row[0] == "지역뿌리기술지원센터(부산)")
    busan[header.index("구축장비수(종)")] = 16
    result = run_import("centers", xlsx_bytes(header, rows[1:]))
    assert result.counts["updated"] == 1 and result.counts["unchanged"] == 13
    assert SupportCenter.objects.get(name="지역뿌리기술지원센터(부산)").equipment_count == 16
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert batch.kind == "centers"
    assert batch.rows.get().before == {"equipment_count": 15}


def test_center_rows_with_problems_are_reported_in_korean_and_nothing_is_written():
    header = ["센터명", "종류", "지역", "시·도", "권역", "구축장비수(종)"]
    rows = [
        ["지역뿌리기술지원센터(시흥)", "지역뿌리기술지원센터", "시흥", "경기", "수도권", 36],  # valid change
        ["새 센터", "지역뿌리기술지원센터", "어딘가", "", "", 3],  # regional without 시·도
        ["다른 센터", "연구소", "", "", "", 1],  # unknown kind
        ["세 번째 센터", "실증 플랫폼", "창원", "경남", "수도권", 1],  # 권역 disagrees with 시·도
    ]
    result = run_import("centers", xlsx_bytes(header, rows))
    assert not result.written
    messages = [str(error) for error in result.errors]
    assert messages == [
        "3행 [시·도] 값 '(빈 칸)': 지역뿌리기술지원센터는 시·도를 입력해야 합니다.",
        "4행 [종류] 값 '연구소': 알 수 없는 종류입니다. 가능한 종류: 지역뿌리기술지원센터, "
        "제조공정혁신 DX지원센터, 공정혁신 시뮬레이션센터, 실증 플랫폼, 공동훈련센터, 기타",
        "5행 [권역] 값 '수도권': 경상남도은(는) 경남권에 속합니다.",
    ]
    assert SupportCenter.objects.get(name="지역뿌리기술지원센터(시흥)").equipment_count == 35
    assert not SupportCenter.objects.filter(name="새 센터").exists()


@pytest.fixture
def company():
    return make_company("한빛주물", industry="주조", province="경상북도")


def test_service_requests_are_imported_and_upserted_idempotently(company):
    rows = [
        [
            "지역뿌리기술지원센터(고령)",
            company.brn_display,
            "시험분석",
            "2025-03-04",
            "접수",
            None,
            "주물 성분 분석",
        ],
        [
            "지역뿌리기술지원센터(고령)",
            company.brn,
            "기술지도",
            datetime.date(2025, 3, 10),
            "완료",
            "2025-04-02",
            "",
        ],
    ]
    data = xlsx_bytes(REQUEST_HEADERS, rows)
    first = run_import("service_requests", data)
    assert first.counts["new"] == 2, [str(error) for error in first.errors]
    second = run_import("service_requests", data)
    assert second.counts == {"new": 0, "updated": 0, "unchanged": 2, "invalid": 0}
    statuses = dict(ServiceRequest.objects.filter(company=company).values_list("service_type__name", "status"))
    assert statuses == {"시험분석": ServiceRequestStatus.RECEIVED, "기술지도": ServiceRequestStatus.COMPLETED}


def test_one_bad_service_request_row_stops_the_whole_file(company):
    rows = [
        ["지역뿌리기술지원센터(고령)", company.brn, "시험분석", "2025-03-04", "접수", None, ""],
        # The DX center of 성주 offers 시험분석 and 시제품제작 only.
        ["뿌리산업 제조공정혁신 DX지원센터(성주)", company.brn, "기술자문", "2025-03-04", "접수", None, ""],
        ["지역뿌리기술지원센터(고령)", company.brn, "시제품제작", "2025-03-04", "완료", "2025-03-01", ""],
        ["지역뿌리기술지원센터(고령)", "123-45-67890", "시험분석", "2025-03-04", "", None, ""],
    ]
    result = run_import("service_requests", xlsx_bytes(REQUEST_HEADERS, rows))
    assert not result.written
    assert [str(error) for error in result.errors] == [
        "3행 [서비스 유형] 값 '기술자문': "
        "'뿌리산업 제조공정혁신 DX지원센터(성주)'은(는) '기술자문' 서비스를 제공하지 않습니다.",
        "4행 [완료일] 값 '2025-03-01': 완료일은 신청일보다 앞설 수 없습니다.",
        "5행 [사업자등록번호] 값 '123-45-67890': 사업자등록번호의 검증번호(마지막 자리)가 맞지 않습니다.",
    ]
    assert not ServiceRequest.objects.filter(company=company).exists()


def test_an_import_cannot_skip_a_status_step(company):
    make_request(regional_center("고령"), company, service="시험분석", requested_on=datetime.date(2025, 3, 4))
    rows = [["지역뿌리기술지원센터(고령)", company.brn, "시험분석", "2025-03-04", "완료", "2025-03-20", ""]]
    result = run_import("service_requests", xlsx_bytes(REQUEST_HEADERS, rows))
    assert [str(error) for error in result.errors] == [
        "2행 [상태] 값 '완료': '접수' 상태에서 '완료'(으)로 바꿀 수 없습니다(가능: 반려, 진행)."
    ]
    rows[0][4:6] = ["진행", None]
    assert run_import("service_requests", xlsx_bytes(REQUEST_HEADERS, rows)).counts["updated"] == 1


def test_institutions_courses_and_outcomes_round_trip():
    institutions = xlsx_bytes(
        ["기관명", "종류", "지역", "시·도", "지정연도", "상태", "관련 사업"],
        [
            [
                "가나 외국인 양성대학",
                "외국인 기술인력 양성대학",
                "창원",
                "경남",
                2025,
                "지정",
                "외국인 기술인력 양성대학",
            ]
        ],
    )
    assert run_import("institutions", institutions).counts["new"] == 1
    courses = xlsx_bytes(
        ["기관명", "연도", "과정명", "과정 구분", "분야", "정원(명)"],
        [["가나 외국인 양성대학", 2025, "용접 실무", "학위", "용접", 40]],
    )
    assert run_import("courses", courses).counts["new"] == 1
    outcomes = xlsx_bytes(
        ["기관명", "연도", "양성 인원(명)", "졸업·수료(명)", "뿌리기업 취업(명)", "비자 전환 D-2→E-7-4(명)"],
        [["가나 외국인 양성대학", 2025, 40, 35, 30, 28]],
    )
    assert run_import("outcomes", outcomes).counts["new"] == 1
    institution = TrainingInstitution.objects.get(name="가나 외국인 양성대학")
    assert institution.kind == InstitutionKind.FOREIGN_UNIVERSITY
    assert institution.program.code == "foreign-tech-university"
    assert TrainingCourse.objects.get(institution=institution).industry.name == "용접"
    assert TrainingOutcome.objects.get(institution=institution).visa_changes == 28
    for kind in ("institutions", "courses", "outcomes"):
        result = run_import(kind, run_export(kind))
        assert result.counts["new"] == result.counts["updated"] == result.counts["invalid"] == 0, kind
        assert result.counts["unchanged"] > 0


def test_outcome_rules_refuse_the_file():
    outcomes = xlsx_bytes(
        ["기관명", "연도", "졸업·수료(명)", "뿌리기업 취업(명)", "비자 전환 D-2→E-7-4(명)"],
        [
            ["한국폴리텍대학 포항캠퍼스", 2025, 100, 80, 5],
            ["한국공학대", 2025, 6, 7, None],
            ["없는 대학", 2025, 1, 1, None],
        ],
    )
    result = run_import("outcomes", outcomes)
    assert [str(error) for error in result.errors] == [
        "2행 [비자 전환 D-2→E-7-4(명)] 값 '5': 비자 전환 인원은 외국인 기술인력 양성대학만 입력합니다.",
        "3행 [뿌리기업 취업(명)] 값 '7': 뿌리기업 취업 인원은 졸업·수료 인원보다 많을 수 없습니다.",
        "4행 [기관명] 값 '없는 대학': 등록되지 않은 인력양성기관입니다. 먼저 기관을 등록해 주세요.",
    ]
    assert not TrainingOutcome.objects.exists()


def test_formula_like_text_is_exported_as_text_and_imported_back():
    center = regional_center("원주")
    center.description = '=HYPERLINK("http://evil.example","클릭")'
    center.save()
    exported = run_export("centers", SupportCenter.objects.filter(pk=center.pk))
    cell = load_workbook(io.BytesIO(exported)).worksheets[0]["O2"]
    assert cell.value == center.description and cell.data_type == "s"
    csv_text = run_export("centers", SupportCenter.objects.filter(pk=center.pk), file_format="csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert run_import("centers", csv_text.encode("utf-8"), file_name="센터.csv").counts["unchanged"] == 1


def test_commands_export_and_import(tmp_path, company):
    path = tmp_path / "신청.xlsx"
    rows = [["지역뿌리기술지원센터(울산)", company.brn, "시험분석", "2025-05-02", "", None, ""]]
    path.write_bytes(xlsx_bytes(REQUEST_HEADERS, rows))
    call_command("import_excel", "service_requests", str(path), "--dry-run", stdout=io.StringIO())
    assert not ServiceRequest.objects.filter(company=company).exists()
    call_command("import_excel", "service_requests", str(path), stdout=io.StringIO())
    assert ServiceRequest.objects.get(company=company).status == ServiceRequestStatus.RECEIVED
    out = tmp_path / "out.xlsx"
    call_command("export_excel", "service_requests", str(out), stdout=io.StringIO())
    exported = read_xlsx(out.read_bytes())
    assert exported[1][:5] == [
        "지역뿌리기술지원센터(울산)",
        company.brn_display,
        "한빛주물",
        "주조",
        "시험분석",
    ]
    rows[0][2] = "시제품만들기"
    path.write_bytes(xlsx_bytes(REQUEST_HEADERS, rows))
    with pytest.raises(CommandError, match="아무것도 저장하지 않았습니다"):
        call_command("import_excel", "service_requests", str(path), stdout=io.StringIO(), stderr=io.StringIO())
