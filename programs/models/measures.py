"""What section IV states besides budget lines: measures without a program, and programs' terms.

- `Measure`: an action of a 추진과제 that is neither a budget line nor a program of another
  ministry (신증설 입지지원, 차세대 경영인 네트워크, 수요산업 커미티).
- `ProgramTerm`: a term of a program the plan states as a number (최대 720만원, 3%p, 최대 3년 ...),
  kept as a number with its unit so that it can be compared and reported, not only read in the text.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from programs.formats import EOK, format_number
from programs.money import MoneyField


class Measure(models.Model):
    task = models.ForeignKey(
        "programs.Task", on_delete=models.PROTECT, related_name="measures", verbose_name="추진과제"
    )
    order = models.PositiveSmallIntegerField("순서", help_text="IV장에 나오는 순서")
    heading = models.CharField("IV장 소제목", max_length=50, help_text="예: 투자·금융 지원, 기업육성, 기술개발")
    name = models.CharField("추진 내용", max_length=100, unique=True)
    description = models.TextField("내용(계획 문서)")
    participants = models.TextField("대상·구성(계획 문서)", blank=True)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name="관련 사업",
        help_text="같은 단락에서 계획이 함께 적은 사업(없으면 비움)",
    )
    source = models.CharField("출처(계획 문서)", max_length=200)

    class Meta:
        verbose_name = "비예산 추진 내용(IV장)"
        verbose_name_plural = "비예산 추진 내용(IV장)"
        ordering = ["task__area__number", "task__number", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "order"],
                name="measure_unique_order_in_task",
                violation_error_message="이 추진과제에는 같은 순서의 비예산 추진 내용이 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return self.name


class TermKind(models.TextChoices):
    MAX_AMOUNT = "max_amount", "최대 지원금액"
    MAX_YEARS = "max_years", "최대 지원기간"
    RATE_POINTS = "rate_points", "금리 우대(%p)"


TERM_UNITS = {TermKind.MAX_AMOUNT: "원", TermKind.MAX_YEARS: "년", TermKind.RATE_POINTS: "%p"}


class ProgramTerm(models.Model):
    """One numeric term of a program; amounts in won (`amount`), years and %p in `value`."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="terms", verbose_name="사업")
    order = models.PositiveSmallIntegerField("순서")
    kind = models.CharField("조건", max_length=20, choices=TermKind.choices)
    condition = models.CharField("적용 대상·조건(계획 문서)", max_length=200)
    amount = MoneyField("금액(원)", null=True, blank=True)
    value = models.DecimalField(
        "값", max_digits=6, decimal_places=2, null=True, blank=True, help_text="년 또는 %p. 인하는 음수(△)"
    )
    is_approximate = models.BooleanField("내외", default=False, help_text="계획이 '내외'로 적은 값")
    source = models.CharField("출처(계획 문서)", max_length=200)

    class Meta:
        verbose_name = "사업 지원 조건"
        verbose_name_plural = "사업 지원 조건"
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "order"],
                name="programterm_unique_order",
                violation_error_message="이 사업에는 같은 순서의 지원 조건이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=(Q(kind=TermKind.MAX_AMOUNT) & Q(amount__gte=0) & Q(value__isnull=True))
                | (~Q(kind=TermKind.MAX_AMOUNT) & Q(amount__isnull=True) & Q(value__isnull=False)),
                name="programterm_amount_or_value_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.program} — {self.condition}: {self.value_label}"

    @property
    def unit(self) -> str:
        return TERM_UNITS[self.kind]

    @property
    def value_label(self) -> str:
        """As the plan writes it: 720만원, 10억원 내외, 3년, 3%p, △0.3%p."""
        if self.kind == TermKind.MAX_AMOUNT:
            text = won_label(self.amount)
        else:
            value = Decimal(self.value)
            places = 0 if value == value.to_integral_value() else 1
            text = f"{format_number(value, places)}{self.unit}"
        return f"{text} 내외" if self.is_approximate else text


def won_label(amount: int) -> str:
    """A won amount in the plan's round units: 7,200,000 → 720만원, 1,000,000,000 → 10억원."""
    if amount % EOK == 0:
        return f"{amount // EOK:,}억원"
    if amount % 10_000 == 0:
        return f"{amount // 10_000:,}만원"
    return f"{amount:,}원"
