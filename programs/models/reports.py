"""Snapshots of generated committee workbooks: what the committee saw can be downloaded again."""

from django.conf import settings
from django.db import models


class ReportSnapshot(models.Model):
    year = models.PositiveSmallIntegerField("기준연도")
    ministry = models.ForeignKey(
        "programs.Ministry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="소관부처 범위",
        help_text="비어 있으면 전체 부처",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="생성자",
    )
    created_at = models.DateTimeField("생성 일시", auto_now_add=True)
    file_name = models.CharField("파일명", max_length=200)
    content = models.BinaryField("파일 내용")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("크기(바이트)")

    class Meta:
        verbose_name = "위원회 보고서"
        verbose_name_plural = "위원회 보고서"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name
