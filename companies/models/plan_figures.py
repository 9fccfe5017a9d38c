"""The plan's size table (매출 규모) and the 성장 메뉴판 (growth stages and their matched programs)."""

from django.db import models

from companies.choices import GrowthStage, SalesBracket
from programs.money import MoneyField


class SalesBracketFigure(models.Model):
    """One row of the plan's table 「뿌리산업 규모별 현황」('23), kept exactly as printed."""

    bracket = models.PositiveSmallIntegerField("매출 규모", choices=SalesBracket.choices, unique=True)
    plan_firms = models.PositiveIntegerField("사업체 수(개사)")
    plan_firm_share = models.DecimalField("사업체 비중(%)", max_digits=4, decimal_places=1)
    plan_workers = models.PositiveIntegerField("종사자 수(명, 표의 만명 값 환산)")
    plan_worker_share = models.DecimalField("종사자 비중(%)", max_digits=4, decimal_places=1)
    plan_sales = MoneyField("매출액(원, 표의 조원 값 환산)", input_unit="million")
    plan_sales_share = models.DecimalField("매출액 비중(%)", max_digits=4, decimal_places=1)
    plan_exports = MoneyField("수출액(원, 표의 조원 값 환산)", input_unit="million")
    plan_export_share = models.DecimalField("수출액 비중(%)", max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = "규모별 현황(계획)"
        verbose_name_plural = "규모별 현황(계획)"
        ordering = ["bracket"]

    def __str__(self):
        return self.get_bracket_display()


class GrowthStageProfile(models.Model):
    """A column of the 성장 메뉴판: the stage's sales range, the plan's firm count and goal."""

    stage = models.CharField("성장단계", max_length=10, choices=GrowthStage.choices, unique=True)
    order = models.PositiveSmallIntegerField("순서", unique=True)
    sales_label = models.CharField("매출액 구간", max_length=30)
    plan_firms_label = models.CharField("기업 수(계획 표기)", max_length=20)
    plan_share = models.DecimalField("비중(%)", max_digits=4, decimal_places=1)
    goal = models.CharField("기업 목표", max_length=100)
    requires_rnd = models.BooleanField("R&D 역량 보유 요건", default=False)

    class Meta:
        verbose_name = "성장 메뉴판 단계"
        verbose_name_plural = "성장 메뉴판 단계"
        ordering = ["order"]

    def __str__(self):
        return self.get_stage_display()


class GrowthStageMatch(models.Model):
    """A program the 성장 메뉴판 matches to a stage; `program` is set when the plan's label is a known 사업."""

    profile = models.ForeignKey(
        GrowthStageProfile, on_delete=models.CASCADE, related_name="matches", verbose_name="성장단계"
    )
    order = models.PositiveSmallIntegerField("순서")
    label = models.CharField("매칭 지원사업(계획 표기)", max_length=100)
    agency = models.CharField("기관(계획 표기)", max_length=30, blank=True)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="growth_stage_matches",
        verbose_name="사업",
    )

    class Meta:
        verbose_name = "성장단계별 매칭 지원사업"
        verbose_name_plural = "성장단계별 매칭 지원사업"
        ordering = ["profile__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "order"],
                name="growthstagematch_unique_order",
                violation_error_message="이 성장단계에는 같은 순서의 매칭 지원사업이 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return f"{self.label}({self.agency})" if self.agency else self.label
