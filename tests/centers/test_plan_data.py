"""What load_plan puts in the centers app equals what the plan states."""

from collections import Counter

import pytest
from django.core.management import call_command

from centers import plan_data
from centers.choices import CenterKind, CenterStatus, InstitutionKind
from centers.models import PlanTarget, SupportCenter, TrainingCourse, TrainingInstitution
from centers.selectors import regional_center_equipment_total
from companies.models import IndustryGroup
from programs.models import Program
from tests.programs import plan_document as program_document

from .plan_document import regional_center_table

pytestmark = pytest.mark.django_db

# The plan's 지원 분야 '6대 기반공정' is the whole 기반 공정산업 group (DOMAIN.md, 14대 업종 table).
FIELD_GROUPS = {"6대 기반공정": "기반 공정산업"}


def expected_industries(fields: str) -> list[str]:
    if fields in FIELD_GROUPS:
        group = IndustryGroup.objects.get(name=FIELD_GROUPS[fields])
        return list(group.industries.order_by("order").values_list("name", flat=True))
    return [name.strip() for name in fields.split(",")]


def test_regional_centers_equal_the_plans_table_row_by_row():
    table = regional_center_table()
    assert len(table) == 10
    centers = list(SupportCenter.objects.filter(kind=CenterKind.REGIONAL).order_by("order"))
    assert len(centers) == len(table)
    for center, row in zip(centers, table, strict=True):
        assert center.locality == row.locality
        assert center.equipment_count == row.equipment_count
        assert center.site == row.site
        industries = list(center.industries.order_by("order").values_list("name", flat=True))
        assert sorted(industries) == sorted(expected_industries(row.fields)), row.locality
        assert center.status == CenterStatus.OPERATING


def test_regional_centers_have_185_items_of_equipment():
    assert sum(row.equipment_count for row in regional_center_table()) == 185
    assert regional_center_equipment_total() == 185


def test_regional_centers_lie_in_the_region_of_their_locality():
    # 지역 → 시·도 → 권역, as in DOMAIN.md's 권역 definition.
    expected = {
        "시흥": "수도권",
        "원주": "강원/제주",
        "김제": "전라권",
        "광주": "전라권",
        "순천": "전라권",
        "대구": "경북권",
        "고령": "경북권",
        "울산": "경남권",
        "진주": "경남권",
        "부산": "경남권",
    }
    centers = SupportCenter.objects.filter(kind=CenterKind.REGIONAL).select_related("province__region")
    assert {center.locality: center.province.region.name for center in centers} == expected


def test_regional_centers_offer_the_four_services_the_plan_lists():
    for center in SupportCenter.objects.filter(kind=CenterKind.REGIONAL):
        assert set(center.service_types.values_list("name", flat=True)) == {
            "시험분석",
            "기술지도",
            "시제품제작",
            "기술자문",
        }


def test_dx_and_simulation_centers_as_the_plan_states():
    # IV-2-3: 공정혁신 DX 금형장비 14종(구미), 열처리 장비 16종(성주);
    # 공정혁신시뮬레이션센터 구축 완료(시흥, '25년말).
    line = program_document.section_four_line("공정혁신 DX 금형장비")
    dx = {c.locality: c for c in SupportCenter.objects.filter(kind=CenterKind.DX)}
    assert dx["구미"].equipment_count == program_document.figure_after(line, "금형장비").value
    assert list(dx["구미"].industries.values_list("name", flat=True)) == ["금형"]
    assert dx["성주"].equipment_count == program_document.figure_after(line, "열처리 장비").value
    assert list(dx["성주"].industries.values_list("name", flat=True)) == ["열처리"]
    assert "(구미)" in line and "(성주)" in line
    assert {center.program.code for center in dx.values()} == {"dx-infra"}
    simulation = SupportCenter.objects.get(kind=CenterKind.SIMULATION)
    assert simulation.locality == "시흥"
    assert simulation.status == CenterStatus.BUILDING
    assert simulation.program.name == "공정혁신 시뮬레이션 센터 구축"


def test_named_institutions_are_loaded_and_no_others():
    names = dict(TrainingInstitution.objects.values_list("name", "kind"))
    assert {name for name, kind in names.items() if kind == InstitutionKind.RND_UNIVERSITY} == {
        "한국공학대",
        "동아대",
        "전북대",
    }
    assert {name for name, kind in names.items() if kind == InstitutionKind.POLYTECH} == {
        "한국폴리텍대학 남인천캠퍼스",
        "한국폴리텍대학 순천캠퍼스",
        "한국폴리텍대학 포항캠퍼스",
    }
    # The plan counts the foreign-workforce universities (9 → 12) but names none of them.
    assert not TrainingInstitution.objects.filter(kind=InstitutionKind.FOREIGN_UNIVERSITY).exists()
    assert not TrainingInstitution.objects.filter(kind=InstitutionKind.MEISTER).exists()


def test_joint_training_center_courses_are_the_three_fields_the_plan_adds():
    courses = TrainingCourse.objects.filter(institution__kind=InstitutionKind.JOINT_TRAINING, year=2025)
    assert sorted(courses.values_list("industry__name", flat=True)) == ["사출/프레스", "소성가공", "주조"]


def test_workforce_targets_follow_the_2024_actuals():
    # II-1: 폴리텍 학위·비학위 과정 수와 양성 인원 → IV-1-1: '25년 과정 수와 인원;
    # 외국인 양성대학 '23 → '24 개교 수 → '25 신규 지정 N개 이상.
    after = program_document.figure_after
    skilled = program_document.section_two_line("숙련인력\t")
    courses = program_document.section_four_line("뿌리산업분야 학위과정")
    trainees = program_document.section_four_line("신중년특화")
    targets = {t.indicator: t for t in PlanTarget.objects.filter(subject="polytech").select_related("baseline")}
    assert (targets["degree_courses"].baseline.value, targets["degree_courses"].value) == (
        after(skilled, "폴리텍대학 학위").value,
        after(courses, "뿌리산업분야 학위과정").value,
    )
    assert (targets["non_degree_courses"].baseline.value, targets["non_degree_courses"].value) == (
        after(skilled, "비학위").value,
        after(courses, "비학위과정").value,
    )
    assert (targets["trainees"].baseline.value, targets["trainees"].value) == (
        after(skilled, "숙련기능인력 양성").value,
        after(trainees, "과정 운영").value,
    )
    foreign = PlanTarget.objects.get(subject="foreign_university")
    foreign_line = program_document.section_two_line("외국인력\t")
    assert foreign.baseline.value == after(foreign_line, "'24년").value
    designations = after(program_document.section_four_line("외국인 기술인력 양성대학 신규 지정"), "신규 지정")
    assert (foreign.value, foreign.is_lower_bound) == (designations.value, True)
    assert foreign.value_label == f"{designations.value}개교 이상"
    program = Program.objects.get(code="foreign-tech-university")
    assert list(program.achievements.order_by("year").values_list("value", flat=True)) == [
        after(foreign_line, "'23년").value,
        after(foreign_line, "'24년").value,
    ]


def test_loading_twice_changes_nothing():
    counts = plan_data.load()
    assert "새로 만든 행" not in counts and "바뀐 행" not in counts
    assert counts["지원센터"] == 14


def test_a_changed_row_is_put_back_by_load_plan():
    center = SupportCenter.objects.get(name="지역뿌리기술지원센터(부산)")
    center.equipment_count = 99
    center.save()
    center.industries.clear()
    call_command("load_plan", verbosity=0, stdout=open("/dev/null", "w"))
    center.refresh_from_db()
    assert center.equipment_count == 15
    assert list(center.industries.values_list("name", flat=True)) == ["표면처리"]


def test_a_missing_program_stops_the_load_with_a_clear_message():
    Program.objects.filter(code="dx-infra").update(code="renamed")
    with pytest.raises(plan_data.PlanDataError, match="사업 코드 'dx-infra'"):
        plan_data.load()


def test_load_reports_korean_labels():
    counts = Counter(plan_data.load())
    assert set(counts) >= {"지원센터", "특화단지", "인력양성기관", "교육과정", "인력양성 계획 목표"}
