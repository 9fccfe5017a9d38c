"""Rows that carry a program and a year agree with that year's plan (`YearAgreement`).

When a plan year exists, the program must be placed in it; a year without a plan year (the 2024
budgets and 실적 the 2025 plan cites) is not checked. The 2026 plan year here is SYNTHETIC: an
empty draft, so no program is placed in it.
"""

import re

import pytest
from django.core.exceptions import ValidationError

from centers.models import PlanTarget
from companies.models import Application
from programs import services
from programs.importing.kinds import get_kind
from programs.importing.pipeline import import_file
from programs.models import (
    Achievement,
    Milestone,
    Ministry,
    PlanYear,
    Program,
    ProgramBudget,
    ProgramPlacement,
    Task,
)
from programs.models.plan import YearAgreement
from tests.companies.helpers import make_company, write_xlsx
from tests.programs.test_plan_years import budget_import, xlsx

pytestmark = pytest.mark.django_db

NOT_PLACED_2026 = r"이 사업은 2026년 실행계획에 편성되어 있지 않습니다\(편성 연도: 2025\)\."


@pytest.fixture
def empty_2026():
    return PlanYear.objects.create(year=2026, title="(합성) 2026년 실행계획")


@pytest.fixture
def polytech():
    return Program.objects.get(code="polytech")


def refusal(instance) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict["year"]


def test_budget_for_a_year_the_program_is_not_placed_in_is_refused(empty_2026, polytech):
    [message] = refusal(ProgramBudget(program=polytech, year=2026, amount=1_000_000))
    assert re.fullmatch(NOT_PLACED_2026, message)


def test_milestone_for_a_year_the_program_is_not_placed_in_is_refused(empty_2026, polytech):
    milestone = Milestone.objects.filter(program=polytech).first()
    milestone.year = 2026
    assert any(re.fullmatch(NOT_PLACED_2026, m) for m in refusal(milestone))
    assert not Milestone.objects.filter(program=polytech, year=2026).exists()


def test_achievement_of_a_program_for_a_year_it_is_not_placed_in_is_refused(empty_2026, polytech):
    achievement = Achievement(year=2026, indicator="(합성) 수료생", value=1, unit="명", program=polytech)
    assert any(re.fullmatch(NOT_PLACED_2026, m) for m in refusal(achievement))


def test_achievement_of_a_task_only_is_not_checked(empty_2026):
    achievement = Achievement.objects.filter(program=None).first()
    achievement.year = 2026
    achievement.indicator = "(합성) 과제 실적"
    achievement.full_clean()


def test_plan_target_of_a_program_for_a_year_it_is_not_placed_in_is_refused(empty_2026):
    target = PlanTarget.objects.exclude(program=None).first()
    target.year = 2026
    assert any(re.fullmatch(NOT_PLACED_2026, m) for m in refusal(target))


def test_application_for_a_year_the_program_is_not_placed_in_is_refused(empty_2026, polytech):
    application = Application(company=make_company(), program=polytech, year=2026)
    assert any(re.fullmatch(NOT_PLACED_2026, m) for m in refusal(application))
    Application(company=application.company, program=polytech, year=2025).full_clean()


def test_application_import_refuses_a_year_the_program_is_not_placed_in(tmp_path, empty_2026, polytech):
    company = make_company()
    path = write_xlsx(
        tmp_path / "신청.xlsx",
        ["사업자등록번호", "사업", "연도", "상태"],
        [[company.brn, polytech.name, 2025, "접수"], [company.brn, polytech.name, 2026, "접수"]],
    )
    result = import_file(kind=get_kind("applications"), data=path.read_bytes(), file_name=path.name)
    [error] = result.errors
    assert (error.row_number, error.column, str(error.value)) == (3, "연도", "2026")
    assert re.fullmatch(NOT_PLACED_2026, error.message)
    assert Application.objects.count() == 0


def test_a_year_without_a_plan_year_is_not_checked(polytech):
    """2024 (before the first plan year) and 2027 (no plan yet) are open to every program."""
    assert not PlanYear.objects.filter(year__in=[2024, 2027]).exists()
    ProgramBudget(program=polytech, year=2027, amount=1).full_clean()
    assert YearAgreement.load().problem(polytech.pk, 2024) is None


def test_the_loaded_2025_plan_and_2024_figures_agree_with_their_years():
    agreement = YearAgreement.load()
    rows = [
        *ProgramBudget.objects.values_list("program_id", "year"),
        *Milestone.objects.values_list("program_id", "year"),
        *Achievement.objects.exclude(program=None).values_list("program_id", "year"),
        *PlanTarget.objects.exclude(program=None).values_list("program_id", "year"),
    ]
    years = {year for _, year in rows}
    assert {2024, 2025} <= years
    assert [row for row in rows if agreement.problem(*row)] == []
    budget_2024 = ProgramBudget.objects.filter(year=2024).first()
    budget_2024.full_clean()


def test_budget_table_refuses_a_previous_year_budget_for_a_program_new_that_year(admin_user):
    draft = services.plan_year_copy(source=PlanYear.objects.get(year=2025), year=2026, user=admin_user)
    new = Program.objects.create(code="synthetic-new", name="(합성) 신규 사업", ministry=Ministry.objects.first())
    task = Task.objects.filter(area__plan_year=draft).first()
    ProgramPlacement.objects.create(plan_year=draft, program=new, task=task)
    rows = [[task.area.budget_label, new.name, "500", "1,000", "500", "100.0"]]
    result = budget_import(xlsx(rows))
    [error] = result.errors
    assert (error.row_number, error.column) == (2, "전년")
    assert error.message == (
        "이 사업은 2025년 실행계획에 편성되어 있지 않습니다(편성 연도: 2026). 전년 예산은 비워 두세요(신규)."
    )
    assert not ProgramBudget.objects.filter(program=new).exists()
