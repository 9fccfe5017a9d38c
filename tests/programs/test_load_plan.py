"""load_plan loads the plan exactly as the document states it, and a second run changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command

from programs import selectors
from programs.formats import format_number, won_to_million
from programs.models import (
    Achievement,
    FocusTechnology,
    Milestone,
    Ministry,
    PlanYear,
    PolicyArea,
    Program,
    ProgramBudget,
    ProgramPlacement,
    Task,
)
from tests.programs import plan_document

pytestmark = pytest.mark.django_db

PLAN_MODELS = [
    PlanYear,
    Ministry,
    PolicyArea,
    Task,
    Program,
    ProgramPlacement,
    ProgramBudget,
    Milestone,
    Achievement,
    FocusTechnology,
]


def snapshot() -> str:
    return "".join(serializers.serialize("json", model.objects.order_by("pk")) for model in PLAN_MODELS)


def printed_rate(rate: Decimal | None) -> str:
    return "신규" if rate is None else format_number(rate, 1)


def test_second_run_changes_nothing():
    before = snapshot()
    out = StringIO()
    call_command("load_plan", stdout=out)
    assert snapshot() == before
    assert "변경 없음" in out.getvalue()
    assert "새로 만든 행" not in out.getvalue()


def test_run_restores_a_changed_plan_figure():
    program = Program.objects.get(code="polytech")
    ProgramBudget.objects.filter(program=program, year=2025).update(amount=1)
    out = StringIO()
    call_command("load_plan", stdout=out)
    assert ProgramBudget.objects.get(program=program, year=2025).amount == 42_718_000_000
    assert "바뀐 행 1건" in out.getvalue()


def test_plan_structure_counts():
    assert PolicyArea.objects.count() == 3
    assert Task.objects.count() == 7
    assert Program.objects.in_year(2025).filter(placement__has_budget_line=True).count() == 17
    assert list(Task.objects.values_list("area__number", "number")) == [
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
        (2, 3),
        (3, 1),
        (3, 2),
    ]
    assert FocusTechnology.objects.count() == 8


def test_every_budget_row_matches_the_plan_table():
    expected_rows, _ = plan_document.budget_table()
    assert len(expected_rows) == 17
    areas, _ = selectors.budget_table(year=2025)
    loaded = [(row.area.budget_label, program) for row in areas for program in row.programs]
    assert len(loaded) == 17
    for expected, (area_label, program) in zip(expected_rows, loaded, strict=True):
        assert program.name == expected.name
        assert area_label == expected.area_label
        previous = None if program.budget_previous is None else won_to_million(program.budget_previous)
        assert previous == expected.previous, program.name
        assert won_to_million(program.budget_current) == expected.current, program.name
        assert won_to_million(program.budget_change) == expected.change, program.name
        rate = selectors.change_rate(program.budget_previous, program.budget_current)
        assert printed_rate(rate) == expected.rate, program.name


def test_area_subtotals_and_total_equal_the_plan():
    expected_rows, expected_total = plan_document.budget_table()
    areas, total = selectors.budget_table(year=2025)
    for row in areas:
        members = [r for r in expected_rows if r.area_label == row.area.budget_label]
        assert won_to_million(row.subtotal.previous) == sum(r.previous or 0 for r in members)
        assert won_to_million(row.subtotal.current) == sum(r.current for r in members)
    assert won_to_million(total.previous) == expected_total.previous == 640_099
    assert won_to_million(total.current) == expected_total.current == 684_557
    assert won_to_million(total.change) == expected_total.change == 44_458
    assert printed_rate(total.change_rate) == expected_total.rate == "6.9"


def test_budgets_are_whole_won():
    budget = ProgramBudget.objects.get(program__name="제조공정의 전주기 효율향상 기술개발 및 실증", year=2025)
    assert budget.amount == 5_225_000_000


def test_new_programs_have_no_previous_budget():
    new = Program.objects.in_year(2025).filter(placement__has_budget_line=True).exclude(budgets__year=2024)
    assert set(new.values_list("name", flat=True)) == {
        "차세대 공통핵심 뿌리기술 개발사업",
        "친환경 표면처리 소재 및 실증 기반구축",
    }


def test_every_schedule_line_of_the_plan_is_loaded():
    loaded = set(Milestone.objects.filter(year=2025).values_list("plan_text", flat=True))
    expected = plan_document.schedule_items()
    assert len(expected) == 28
    assert set(expected) == loaded


def test_schedule_months_follow_the_text():
    voucher = Milestone.objects.filter(program__code="export-voucher").order_by("order")
    assert [(m.label, m.start_month, m.end_month) for m in voucher] == [
        ("공고", 1, 1),
        ("선정", 2, 2),
        ("수출바우처 서비스 지원", 4, 11),
    ]
    polytech = Milestone.objects.get(program__code="polytech")
    assert (polytech.start_month, polytech.end_month, polytech.quarters) == (3, 12, {1, 2, 3, 4})


AFTER, BEFORE, IN_LIST = plan_document.figure_after, plan_document.figure_before, plan_document.figure_in_list

# Where section II prints each achievement: (words that pick its line, the words naming the figure
# in that line, how the figure stands next to them). The 주요 실적 table's rows are picked by their
# first cell (전문인력, 숙련인력, 외국인력).
SECTION_TWO_PLACES = {
    (2024, "차세대 뿌리산업 R&D 인력 양성(공학대·전북대·동아대)"): ("전문인력\t", "공학대·전북대·동아대", AFTER),
    (2024, "폴리텍대학 학위과정"): ("숙련인력\t", "폴리텍대학 학위", AFTER),
    (2024, "폴리텍대학 비학위과정"): ("숙련인력\t", "비학위", AFTER),
    (2024, "폴리텍대학 숙련기능인력 양성"): ("숙련인력\t", "숙련기능인력 양성", AFTER),
    (2024, "마이스터대 전문기술 인력 양성"): ("숙련인력\t", "마이스터대 전문기술 인력 양성", AFTER),
    (2023, "외국인 기술인력 양성대학"): ("외국인력\t", "'23년", AFTER),
    (2024, "외국인 기술인력 양성대학"): ("외국인력\t", "'24년", AFTER),
    (2024, "'25년 신규 추진 핵심기술"): ("'25년 신규 추진", "핵심기술", BEFORE),
    (2024, "'25년 신규 핵심기술 관련 세부과제"): ("'25년 신규 추진", "세부과제", BEFORE),
    (2024, "테크맵 요소기술(10대 뿌리공정)"): ("10대 뿌리공정", "요소기술", BEFORE),
    (2024, "글로벌 수요연계 기술개발 과제"): ("뿌리기업 전용 R&D", "과제", BEFORE),
    (2024, "R&D 연계 맞춤형 특허전략 지원"): ("맞춤형 특허전략 지원", "R&D 연계 맞춤형 특허전략 지원", AFTER),
    (2024, "특허"): ("IP획득전략", "특허", IN_LIST),
    (2024, "IP획득전략"): ("IP획득전략", "IP획득전략", IN_LIST),
    (2024, "장벽특허무력화전략"): ("IP획득전략", "장벽특허무력화전략", IN_LIST),
    (2024, "특허인프라구축전략"): ("IP획득전략", "특허인프라구축전략", IN_LIST),
    (2024, "지능형 공정전환 지원"): ("공정 최적화를 위한", "지능형 공정전환 지원", AFTER),
    (2024, "표준공정모델 보급"): ("공정 최적화를 위한", "표준공정모델 보급 확대", AFTER),
    (2024, "자동화장비 구축 지원"): ("공정 최적화를 위한", "자동화장비 구축 지원", AFTER),
    (2024, "기술-품질 측정·시험평가"): ("실험실을 활용한", "기술-품질 측정·시험평가", AFTER),
    (2024, "현장 맞춤 기술컨설팅 지원"): ("실험실을 활용한", "현장 맞춤 기술컨설팅 지원", AFTER),
    (2024, "기업 경영지표DB 분석"): ("실험실을 활용한", "기업 경영지표DB 분석", AFTER),
    (2024, "n-Tier 공급망모델(자동차·조선)"): ("실험실을 활용한", "자동차·조선", AFTER),
    (2024, "특화단지운영위원회 구성"): ("광역지자체 중심으로", "특화단지운영위원회", BEFORE),
    (2024, "특화단지운영위원회 운영"): ("광역지자체 중심으로", "총", AFTER),
    (2024, "3D프린팅특화단지(울산) 공동 기술협력 총사업비('24~'26)"): ("공동과제 발굴 및 기술협력 지원", "총", AFTER),
    (2024, "3D프린팅특화단지(울산) 공동 기술협력 정부지원('24~'26)"): ("공동과제 발굴 및 기술협력 지원", "정부", AFTER),
}


def test_every_section_two_achievement_has_its_place_in_the_document():
    loaded = set(Achievement.objects.filter(source__startswith="II").values_list("year", "indicator"))
    assert loaded == set(SECTION_TWO_PLACES)
    assert Achievement.objects.exclude(source__startswith="II").count() == 0


@pytest.mark.parametrize(("year", "indicator"), list(SECTION_TWO_PLACES))
def test_2024_achievements_equal_section_two_at_their_place(year, indicator):
    line_key, label, read = SECTION_TWO_PLACES[year, indicator]
    printed = read(plan_document.section_two_line(line_key), label)
    achievement = Achievement.objects.get(year=year, indicator=indicator)
    assert (achievement.value, achievement.unit) == (printed.value, printed.unit)


def test_a_figure_is_read_at_its_place_not_anywhere_in_the_line():
    line = plan_document.section_two_line("IP획득전략")
    assert plan_document.figure_in_list(line, "특허").value == 8  # not the 18 of 특허전략 지원 elsewhere
    assert plan_document.figure_in_list(line, "특허인프라구축전략").value == 19
    with pytest.raises(AssertionError):
        plan_document.figure_after(line, "특허")  # three items contain '특허': ambiguous, refused
    with pytest.raises(AssertionError):
        plan_document.figure_after("자동화장비 구축 지원(75개사) 확대", "구축")  # no number right after it


def test_foreign_workforce_universities_grow_as_section_two_states():
    line = plan_document.section_two_line("외국인력\t")
    values = dict(Achievement.objects.filter(indicator="외국인 기술인력 양성대학").values_list("year", "value"))
    assert values == {2023: AFTER(line, "'23년").value, 2024: AFTER(line, "'24년").value}
    assert values[2024] > values[2023]


def test_focus_technologies_follow_the_plan_table():
    text = plan_document.plan_text()
    for technology in FocusTechnology.objects.all():
        assert f"{technology.field}\t{technology.technology}\t{technology.related_industries}" in text
