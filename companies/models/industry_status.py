"""The plan's 참고 「뿌리산업 현황」 tables that are not about one 업종, 권역 or 규모 ('23 figures).

- `IndustryStanding`: < 뿌리산업의 위상 > — manufacturing and the root industry, and the printed
  제조업 내 비중;
- `WorkforceFigure`: < 직무별 종사자 수 > — one column of the table (a job, a subtotal, 외국인, 계),
  with the job-mix share the footnote prints;
- `StatedShare`: the shares and rates stated in the text and footnotes (the trend series
  '21 → '23, the shares in the prose), each with the number of decimals it is printed with.

Everything is kept exactly as printed; the 검증 sheet recomputes what can be recomputed.
"""

from django.db import models

from companies.choices import StatedMeasure, WorkforceColumn
from programs.money import MoneyField


class IndustryStanding(models.Model):
    year = models.PositiveSmallIntegerField("기준연도", unique=True)
    manufacturing_firms = models.PositiveIntegerField("제조업 사업체 수(개사)")
    manufacturing_workers = models.PositiveIntegerField("제조업 종사자 수(명)")
    manufacturing_sales = MoneyField("제조업 매출액(원, 표의 조원 값 환산)")
    manufacturing_exports = MoneyField("제조업 수출액(원, 표의 조원 값 환산)")
    root_firms = models.PositiveIntegerField("뿌리산업 사업체 수(개사)")
    root_workers = models.PositiveIntegerField("뿌리산업 종사자 수(명)")
    root_sales = MoneyField("뿌리산업 매출액(원, 표의 조원 값 환산)")
    root_exports = MoneyField("뿌리산업 수출액(원, 표의 조원 값 환산)")
    firm_share = models.DecimalField("제조업 내 비중: 사업체 수(%, 표기)", max_digits=4, decimal_places=1)
    worker_share = models.DecimalField("제조업 내 비중: 종사자 수(%, 표기)", max_digits=4, decimal_places=1)
    sales_share = models.DecimalField("제조업 내 비중: 매출액(%, 표기)", max_digits=4, decimal_places=1)
    export_share = models.DecimalField("제조업 내 비중: 수출액(%, 표기)", max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = "뿌리산업의 위상(계획)"
        verbose_name_plural = "뿌리산업의 위상(계획)"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}년 뿌리산업의 위상"


class WorkforceFigure(models.Model):
    year = models.PositiveSmallIntegerField("기준연도")
    column = models.CharField("구분", max_length=20, choices=WorkforceColumn.choices)
    order = models.PositiveSmallIntegerField("순서", help_text="표의 열 순서(계가 맨 앞)")
    workers = models.PositiveIntegerField("종사자(명)")
    shortage = models.PositiveIntegerField("부족인원(명)")
    shortage_rate = models.DecimalField("부족률(%, 표기)", max_digits=4, decimal_places=1)
    job_share = models.DecimalField(
        "직무별 비중(%, 각주 표기)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="표 아래 각주 '직무별 비중(%)'에 적힌 값(직무 5개만)",
    )

    class Meta:
        verbose_name = "직무별 종사자 수(계획)"
        verbose_name_plural = "직무별 종사자 수(계획)"
        ordering = ["year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "column"],
                name="workforcefigure_unique_column",
                violation_error_message="같은 연도에 같은 직무 열이 이미 있습니다.",
            ),
            models.UniqueConstraint(
                fields=["year", "order"],
                name="workforcefigure_unique_order",
                violation_error_message="같은 연도에 같은 순서의 직무가 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return f"{self.year}년 {self.get_column_display()}"


class StatedShare(models.Model):
    measure = models.CharField("지표", max_length=30, choices=StatedMeasure.choices)
    subject = models.CharField("대상", max_length=30, blank=True, help_text="업종 그룹·권역처럼 대상이 있는 지표만")
    year = models.PositiveSmallIntegerField("연도")
    value = models.DecimalField("값(%)", max_digits=4, decimal_places=1)
    places = models.PositiveSmallIntegerField("표기 자릿수", help_text="계획이 적은 소수 자릿수(58% → 0, 12.5% → 1)")
    source = models.CharField("출처(계획 문서)", max_length=200)

    class Meta:
        verbose_name = "현황 본문 비중·비율(계획)"
        verbose_name_plural = "현황 본문 비중·비율(계획)"
        ordering = ["measure", "subject", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "subject", "year"],
                name="statedshare_unique",
                violation_error_message="같은 항목·대상·연도의 비중·비율이 이미 있습니다.",
            ),
        ]

    def __str__(self):
        subject = f" {self.subject}" if self.subject else ""
        return f"{self.get_measure_display()}{subject} ('{self.year % 100:02d})"

    @property
    def value_label(self) -> str:
        return f"{self.value:.{self.places}f}%"


class PopulationTable(models.TextChoices):
    INDUSTRY = "industry", "14대 업종별 현황(뿌리산업 행)"
    SIZE = "size", "규모별 현황(전 체 행)"


class PopulationTotal(models.Model):
    """The total row of a population table, as printed (each table prints its own)."""

    table = models.CharField("표", max_length=20, choices=PopulationTable.choices, unique=True)
    firms = models.PositiveIntegerField("사업체 수(개사)")
    workers = models.PositiveIntegerField("종사자 수(명, 만명 표기는 환산)")
    sales = MoneyField("매출액(원, 표의 조원 값 환산)")
    exports = MoneyField("수출액(원, 표의 조원 값 환산)")

    class Meta:
        verbose_name = "현황 표 합계 행(계획)"
        verbose_name_plural = "현황 표 합계 행(계획)"
        ordering = ["table"]

    def __str__(self):
        return self.get_table_display()
