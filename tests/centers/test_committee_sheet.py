"""The committee workbook's 지원기관 sheet: the plan's centers and the services they delivered."""

import pytest

from centers.choices import InstitutionKind
from centers.models import TrainingInstitution
from tests.centers.helpers import make_company, make_request, regional_center
from tests.centers.plan_document import regional_center_table
from tests.programs.workbook import table, workbook

pytestmark = pytest.mark.django_db


def centers_table(**kwargs):
    return table(workbook(**kwargs)["지원기관"], "지역뿌리기술지원센터 구축현황")


def test_regional_centers_as_the_plan_prints_them_with_their_185_items_of_equipment():
    centers = centers_table()
    printed = regional_center_table()
    rows = centers.rows[:-1]
    assert [(r["지역"], r["지원 분야"], r["구축장비수(종)"], r["센터 위치"]) for r in rows] == [
        (row.locality, row.fields, row.equipment_count, row.site) for row in printed
    ]
    assert centers.row(지역="시흥")["지원 분야"] == "6대 기반공정"
    assert centers.row(지역="순천")["지원 분야"] == "표면처리, 소성가공"
    total = centers.rows[-1]
    assert total["지역"] == "계 10곳" and total["구축장비수(종)"] == 185
    assert centers.cells[-1]["구축장비수(종)"].data_type == "n"


def test_services_delivered_are_counted_by_type():
    center, company = regional_center("김제"), make_company()
    make_request(center, company, "시험분석")
    make_request(center, company, "기술지도")
    make_request(center, make_company("둘째정밀"), "시험분석")
    gimje = centers_table().row(지역="김제")
    assert [gimje[h] for h in ("시험분석(건)", "기술지도(건)", "시제품제작(건)", "기술자문(건)", "합계(건)")] == [
        2,
        1,
        0,
        0,
        3,
    ]


def test_new_designations_are_compared_with_last_years_new_designations():
    """'24 실적 12 counts every designated university; the '25 target counts new ones (2 이상)."""
    TrainingInstitution.objects.create(
        kind=InstitutionKind.FOREIGN_UNIVERSITY, name="시험대학교", designated_year=2025, status="designated"
    )
    targets = table(workbook()["지원기관"], "인력양성 목표")
    new = targets.row(지표="신규 지정")
    assert (new["'24년 실적"], new["'25년 목표"], new["등록 실적"], new["단위"]) == (3, 2, 1, "개교 이상")
    assert new["전년 실적의 근거"] == "'23년 9개교→'24년 12개교"
    assert new["전년/목표(%)"] == 150.0 and new["등록/목표(%)"] == 50.0
    courses = targets.row(지표="학위과정 수")
    assert (courses["'24년 실적"], courses["'25년 목표"]) == (46, 40)


def test_committee_direction_table_and_last_years_committees():
    sheet = workbook()["지원기관"]
    direction = table(sheet, "뿌리산업 특화단지 운영위원회 추진 방향")
    assert direction.row(구분="운영단위") == {"구분": "운영단위", "현행": "광역지자체 단위", "'25년~": "권역 단위"}
    committees = table(sheet, "특화단지 운영위원회")
    province = committees.row(운영단위="광역지자체 단위")
    assert (province["'24년 실적 위원회(개)"], province["'24년 실적 회의(회)"]) == (10, 12)


def test_query_count_does_not_grow_with_requests(django_assert_num_queries):
    center = regional_center("부산")
    make_request(center, make_company("첫째기업"), "시험분석")
    with django_assert_num_queries(120, exact=False) as few:
        workbook()
    for index in range(30):
        make_request(center, make_company(f"기업{index}"), "기술자문")
    with django_assert_num_queries(len(few.captured_queries)):
        workbook()
