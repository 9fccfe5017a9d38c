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
    PolicyArea,
    Program,
    ProgramBudget,
    Task,
)
from tests.programs import plan_document

pytestmark = pytest.mark.django_db

PLAN_MODELS = [Ministry, PolicyArea, Task, Program, ProgramBudget, Milestone, Achievement, FocusTechnology]


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
    assert Program.objects.filter(has_budget_line=True).count() == 17
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
    new = Program.objects.filter(has_budget_line=True).exclude(budgets__year=2024)
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


@pytest.mark.parametrize(
    ("indicator", "value", "unit"),
    [
        ("지능형 공정전환 지원", 16, "개"),
        ("표준공정모델 보급", 90, "개"),
        ("자동화장비 구축 지원", 75, "개사"),
        ("R&D 연계 맞춤형 특허전략 지원", 18, "개사"),
        ("특허", 8, "건"),
        ("IP획득전략", 39, "건"),
        ("장벽특허무력화전략", 49, "건"),
        ("특허인프라구축전략", 19, "건"),
        ("폴리텍대학 숙련기능인력 양성", 5000, "명"),
    ],
)
def test_2024_achievements_equal_section_two(indicator, value, unit):
    achievement = Achievement.objects.get(year=2024, indicator=indicator)
    assert (achievement.value, achievement.unit) == (value, unit)
    assert f"{value:,}" in plan_document.plan_text() or str(value) in plan_document.plan_text()


def test_foreign_workforce_universities_grow_from_9_to_12():
    values = dict(Achievement.objects.filter(indicator="외국인 기술인력 양성대학").values_list("year", "value"))
    assert values == {2023: 9, 2024: 12}


def test_focus_technologies_follow_the_plan_table():
    text = plan_document.plan_text()
    for technology in FocusTechnology.objects.all():
        assert f"{technology.field}\t{technology.technology}\t{technology.related_industries}" in text
