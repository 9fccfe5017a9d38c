"""Which ministry a staff member works for (the scope of 부처 담당자; 담당 센터 is the centers app's)."""

from django.conf import settings
from django.db import models


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

    class Meta:
        verbose_name = "담당 부처"
        verbose_name_plural = "담당 부처"

    def __str__(self):
        return str(self.ministry or "-")
