"""Yearly budgets and monthly execution of programs, in whole won."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from programs.audit import audit_trail
from programs.choices import Month
from programs.models.plan import ProgramPlacement, year_problem
from programs.models.years import PlanYearStatus
from programs.money import MoneyField
from programs.versioning import Versioned


class ProgramBudget(Versioned):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="budgets", verbose_name="사업"
    )
    year = models.PositiveSmallIntegerField("연도")
    amount = MoneyField("예산액(원)", input_unit="million")

    history = audit_trail("연도별 예산")

    class Meta:
        verbose_name = "연도별 예산"
        verbose_name_plural = "연도별 예산"
        ordering = ["program", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year"],
                name="budget_unique_program_year",
                violation_error_message="이 사업의 같은 연도 예산이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_amount_non_negative",
                violation_error_message="예산액은 0원 이상이어야 합니다.",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="budget_year_plausible"),
        ]

    def __str__(self):
        return f"{self.program} {self.year}년"

    def clean(self):
        if problem := year_problem(self.program_id, self.year):
            raise ValidationError({"year": problem})


def execution_years(program_id: int) -> list[int]:
    """The plan years a program's execution may be entered for: years it is placed in, not 종료."""
    placements = ProgramPlacement.objects.filter(program_id=program_id)
    return sorted(placements.exclude(plan_year__status=PlanYearStatus.CLOSED).values_list("plan_year", flat=True))


class BudgetExecution(Versioned):
    """Execution (집행) of a program's budget in one month of the plan year."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="executions", verbose_name="사업"
    )
    year = models.PositiveSmallIntegerField("연도")
    month = models.PositiveSmallIntegerField("월", choices=Month.choices)
    amount = MoneyField("집행액(원)", input_unit="million")
    memo = models.CharField("메모", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="입력자",
    )
    entered_at = models.DateTimeField("입력 일시", auto_now=True)

    history = audit_trail("예산 집행")

    class Meta:
        verbose_name = "예산 집행"
        verbose_name_plural = "예산 집행"
        ordering = ["program", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "month"],
                name="execution_unique_program_month",
                violation_error_message="이 사업의 같은 연월 집행이 이미 있습니다.",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="execution_amount_non_negative"),
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="execution_month_1_12"),
        ]

    def __str__(self):
        return f"{self.program} {self.year}년 {self.month}월"

    def clean(self):
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "집행액은 0원 이상이어야 합니다."
        if self.year is not None and self.program_id is not None:
            years = execution_years(self.program_id)
            if self.year not in years:
                listed = ", ".join(str(year) for year in years) + "년" if years else "없음"
                errors["year"] = f"집행은 실행계획 연도({listed})에만 입력할 수 있습니다."
        if self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = "월은 1~12 사이여야 합니다."
        if errors:
            raise ValidationError(errors)
