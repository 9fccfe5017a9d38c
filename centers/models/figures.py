"""2025 targets the plan gives as counts for institutions it does not name one by one.

The 2024 actuals (외국인 양성대학 '23 9 → '24 12개교, 폴리텍 46/40개 과정, 5,000명 ...) are 실적 of
`programs.Achievement`; a target links to the actual it follows (`baseline`), so that the figures
are stored once and shown side by side (46 → 40개, 5,000 → 4,520명).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from centers.choices import FigureIndicator, FigureSubject
from programs.models.plan import year_problem


class PlanTarget(models.Model):
    subject = models.CharField("대상", max_length=30, choices=FigureSubject.choices)
    year = models.PositiveSmallIntegerField("연도")
    indicator = models.CharField("지표", max_length=30, choices=FigureIndicator.choices)
    value = models.PositiveIntegerField("목표")
    is_lower_bound = models.BooleanField("이상", default=False, help_text="'2개 이상'처럼 하한인 목표")
    unit = models.CharField("단위", max_length=10)
    baseline = models.ForeignKey(
        "programs.Achievement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institution_targets",
        verbose_name="전년 실적",
    )
    baseline_start = models.ForeignKey(
        "programs.Achievement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="전년 실적의 시작 값",
        help_text=(
            "목표가 증가분(예: 신규 지정)일 때, 전년 실적과 같은 지표의 그 전 해 값. "
            "전년 실적은 두 값의 차이('23년 9개교 → '24년 12개교: 신규 3개교)로 계산합니다."
        ),
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institution_targets",
        verbose_name="관련 사업",
    )
    source = models.CharField("출처(계획 문서)", max_length=300, blank=True)

    class Meta:
        verbose_name = "인력양성 계획 목표"
        verbose_name_plural = "인력양성 계획 목표"
        ordering = ["subject", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "year", "indicator"],
                name="plantarget_unique_indicator",
                violation_error_message="같은 대상·연도·지표의 목표가 이미 있습니다.",
            ),
            models.CheckConstraint(condition=Q(year__gte=1990) & Q(year__lte=2100), name="plantarget_year_plausible"),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} {self.year}년 {self.get_indicator_display()}"

    def clean(self):
        if problem := year_problem(self.program_id, self.year):
            raise ValidationError({"year": problem})

    @property
    def baseline_value(self) -> int | None:
        """The previous year's figure in the target's own terms (new designations are an increase)."""
        if self.baseline is None:
            return None
        if self.baseline_start is None:
            return int(self.baseline.value)
        return int(self.baseline.value - self.baseline_start.value)

    @property
    def baseline_label(self) -> str:
        if self.baseline is None:
            return "-"
        value = f"{self.baseline.year}년 {self.baseline_value:,}{self.unit}"
        if self.baseline_start is None:
            return value
        start, end = self.baseline_start, self.baseline
        return (
            f"{value} ('{start.year % 100:02d}년 {int(start.value):,}{start.unit} → "
            f"'{end.year % 100:02d}년 {int(end.value):,}{end.unit})"
        )

    @property
    def value_label(self) -> str:
        suffix = " 이상" if self.is_lower_bound else ""
        return f"{self.value:,}{self.unit}{suffix}"
