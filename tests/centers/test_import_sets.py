"""지원 분야 / 제공 서비스 / 분야 are many-to-many sets: an import that has the column replaces them."""

import pytest

from centers.models import SupportCenter, TrainingInstitution
from tests.centers.helpers import read_xlsx, run_export, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["센터명", "종류", "지역", "시·도", "지원 분야", "제공 서비스"]


def names(related) -> set[str]:
    return set(related.values_list("name", flat=True))


def test_new_center_gets_its_fields_and_services():
    data = xlsx_bytes(
        HEADERS,
        [
            [
                "지역뿌리기술지원센터(테스트)",
                "지역뿌리기술지원센터",
                "안산",
                "경기도",
                "6대 기반공정, 로봇",
                "시험분석, 기술지도",
            ]
        ],
    )
    result = run_import("centers", data)
    assert result.written, [str(error) for error in result.errors]
    center = SupportCenter.objects.get(name="지역뿌리기술지원센터(테스트)")
    assert names(center.industries) == {"주조", "금형", "소성가공", "용접", "표면처리", "열처리", "로봇"}
    assert names(center.service_types) == {"시험분석", "기술지도"}


def test_a_file_with_the_column_replaces_the_set_and_without_it_leaves_it():
    center = SupportCenter.objects.get(name="지역뿌리기술지원센터(원주)")
    result = run_import(
        "centers", xlsx_bytes(HEADERS[:5], [[center.name, "지역뿌리기술지원센터", "원주", "강원", "용접"]])
    )
    assert result.counts["updated"] == 1 and result.written
    assert result.updated[0].fields == [("지원 분야", "금형, 소성가공", "용접")]
    assert names(center.industries) == {"용접"}
    services_before = names(center.service_types)
    assert (
        run_import("centers", xlsx_bytes(HEADERS[:4], [[center.name, "지역뿌리기술지원센터", "원주", "강원"]])).counts[
            "unchanged"
        ]
        == 1
    )
    assert names(center.service_types) == services_before


def test_unknown_industry_is_refused_and_nothing_written():
    data = xlsx_bytes(
        HEADERS, [["지역뿌리기술지원센터(오류)", "지역뿌리기술지원센터", "안산", "경기도", "주조, 우주항공", ""]]
    )
    result = run_import("centers", data)
    assert not result.written
    error = result.errors[0]
    assert (error.row_number, error.column, error.value) == (2, "지원 분야", "우주항공")
    assert "알 수 없는 업종" in error.message
    assert not SupportCenter.objects.filter(name="지역뿌리기술지원센터(오류)").exists()


def test_exported_sets_import_back_unchanged():
    rows = read_xlsx(run_export("centers"))
    assert any(row[rows[0].index("지원 분야")] for row in rows[1:])
    data = xlsx_bytes(rows[0], rows[1:])
    result = run_import("centers", data)
    assert result.counts["updated"] == 0 and result.counts["new"] == 0
    institutions = read_xlsx(run_export("institutions"))
    assert run_import("institutions", xlsx_bytes(institutions[0], institutions[1:])).counts["updated"] == 0


def test_institution_fields_are_importable():
    data = xlsx_bytes(["기관명", "종류", "분야"], [["동아대", "뿌리산업 전문인력 양성대학(석박사)", "주조, 용접"]])
    assert run_import("institutions", data).written
    assert names(TrainingInstitution.objects.get(name="동아대").industries) == {"주조", "용접"}
