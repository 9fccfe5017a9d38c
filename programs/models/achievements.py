"""실적 (counted achievements) and the 8 R&D focus technologies of section IV-2-1."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from programs.models.plan import year_problem


class Achievement(models.Model):
    year = models.PositiveSmallIntegerField("연도")
    indicator = models.CharField("지표", max_length=200)
    value = models.DecimalField("값", max_digits=14, decimal_places=2)
    unit = models.CharField("단위", max_length=20)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="achievements",
        verbose_name="관련 사업",
    )
    task = models.ForeignKey(
        "programs.Task",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="achievements",
        verbose_name="관련 추진과제",
    )
    source = models.CharField("출처(계획 문서)", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        verbose_name = "실적"
        verbose_name_plural = "실적"
        ordering = ["year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator"],
                name="achievement_unique_indicator",
                violation_error_message="같은 연도에 같은 지표의 실적이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(program__isnull=False) | Q(task__isnull=False),
                name="achievement_linked_to_program_or_task",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="achievement_value_non_negative"),
        ]

    def __str__(self):
        return f"{self.year}년 {self.indicator}"

    def clean(self):
        if problem := year_problem(self.program_id, self.year):
            raise ValidationError({"year": problem})


class FocusTechnology(models.Model):
    year = models.PositiveSmallIntegerField("연도")
    order = models.PositiveSmallIntegerField("순서")
    field = models.CharField("분야", max_length=30)
    technology = models.CharField("중점 공정기술", max_length=200)
    related_industries = models.CharField("연관산업", max_length=200)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        related_name="focus_technologies",
        verbose_name="사업",
    )

    class Meta:
        verbose_name = "핵심 공정기술"
        verbose_name_plural = "핵심 공정기술"
        ordering = ["year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "field"],
                name="focus_technology_unique_field",
                violation_error_message="같은 연도에 같은 분야의 핵심 공정기술이 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return f"{self.field}: {self.technology}"
