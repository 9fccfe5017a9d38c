"""Which center a staff member works for (the scope of 센터 담당자)."""

from django.conf import settings
from django.db import models


class CenterAssignment(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="center_assignment",
        verbose_name="사용자",
    )
    center = models.ForeignKey(
        "centers.SupportCenter",
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name="담당 센터",
        help_text="센터 담당자: 이 센터의 기술지원 신청만 관리할 수 있습니다.",
    )

    class Meta:
        verbose_name = "담당 센터"
        verbose_name_plural = "담당 센터"

    def __str__(self):
        return str(self.center)
