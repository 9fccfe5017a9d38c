"""Which ministry or center a staff member works for (the scope of 부처 담당자 / 센터 담당자)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class StaffAssignment(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_assignment",
        verbose_name="사용자",
    )
    ministry = models.ForeignKey(
        "programs.Ministry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="담당 부처",
        help_text="부처 담당자: 이 부처 사업의 예산·집행·일정·신청만 수정할 수 있습니다.",
    )
    center = models.ForeignKey(
        "centers.SupportCenter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name="담당 센터",
        help_text="센터 담당자: 이 센터의 기술지원 신청만 관리할 수 있습니다.",
    )

    class Meta:
        verbose_name = "담당 범위"
        verbose_name_plural = "담당 범위"
        constraints = [
            models.CheckConstraint(
                condition=Q(ministry__isnull=True) | Q(center__isnull=True),
                name="staffassignment_ministry_or_center",
            ),
        ]

    def __str__(self):
        return str(self.ministry or self.center or "-")

    def clean(self):
        if self.ministry_id and self.center_id:
            raise ValidationError("담당 부처와 담당 센터 중 하나만 지정할 수 있습니다.")
