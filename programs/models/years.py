"""연도별 실행계획: each yearly plan owns its 추진분야, 추진과제 and program placements.

The year itself is the primary key, so every row that belongs to a year (areas, placements)
stores the year as its foreign key value: `placement.plan_year_id == 2025`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from programs.audit import audit_trail


class PlanYearStatus(models.TextChoices):
    DRAFT = "draft", "작성 중"
    CONFIRMED = "confirmed", "확정"
    CLOSED = "closed", "종료"


class PlanYearQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status__in=[PlanYearStatus.CONFIRMED, PlanYearStatus.CLOSED])


class PlanYear(models.Model):
    year = models.PositiveSmallIntegerField("연도", primary_key=True)
    title = models.CharField("계획명", max_length=200)
    status = models.CharField("상태", max_length=10, choices=PlanYearStatus.choices, default=PlanYearStatus.DRAFT)
    source_document = models.CharField(
        "계획 문서",
        max_length=300,
        blank=True,
        help_text="이 계획의 원문 파일(예: fixtures/plan/2025-ppuri-execution-plan.txt)",
    )
    confirmed_at = models.DateTimeField("확정 일시", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="확정한 사람",
    )

    objects = PlanYearQuerySet.as_manager()
    history = audit_trail("연도별 실행계획")

    Status = PlanYearStatus

    class Meta:
        verbose_name = "연도별 실행계획"
        verbose_name_plural = "연도별 실행계획"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="planyear_year_plausible"),
            models.CheckConstraint(
                condition=Q(status=PlanYearStatus.DRAFT) | Q(confirmed_at__isnull=False),
                name="planyear_confirmed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.year}년 실행계획({self.get_status_display()})"

    @property
    def is_locked(self) -> bool:
        """Confirmed (or closed): structure and budgets change only by a 시스템 관리자, with a reason."""
        return self.status != PlanYearStatus.DRAFT
