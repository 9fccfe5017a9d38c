"""Import batches: every Excel/CSV import, from the admin or the command line, is recorded."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from programs.choices import ImportKind, ImportRowAction, ImportSource


class ImportBatch(models.Model):
    kind = models.CharField("가져오기 종류", max_length=30, choices=ImportKind.choices)
    file_name = models.CharField("파일명", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="사용자",
    )
    source = models.CharField("경로", max_length=20, choices=ImportSource.choices, default=ImportSource.ADMIN)
    created_at = models.DateTimeField("일시", auto_now_add=True)
    new_count = models.PositiveIntegerField("신규", default=0)
    updated_count = models.PositiveIntegerField("변경", default=0)
    unchanged_count = models.PositiveIntegerField("변경 없음", default=0)
    undone_at = models.DateTimeField("되돌린 일시", null=True, blank=True)

    class Meta:
        verbose_name = "가져오기 이력"
        verbose_name_plural = "가져오기 이력"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(sha256=""), name="importbatch_sha256_present"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def total_count(self) -> int:
        return self.new_count + self.updated_count + self.unchanged_count

    def recorded_counts(self) -> dict[str, int]:
        """The rows the batch recorded, by 처리 ({"new": ..., "updated": ...}): the file's rows and
        those its kind wrote besides (e.g. the 지원예산 표's placement orders), which new_count and
        updated_count (the file's rows only) leave out. What its page shows and undo works on."""
        counts = dict.fromkeys(ImportRowAction.values, 0)
        counts.update(self.rows.order_by().values_list("action").annotate(count=models.Count("pk")))
        return counts


class ImportBatchRow(models.Model):
    """One row of an import that created or changed an object (unchanged rows are only counted)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows", verbose_name="가져오기")
    row_number = models.PositiveIntegerField("행 번호")
    action = models.CharField("처리", max_length=20, choices=ImportRowAction.choices)
    # Indexed by importrow_target_idx (content_type, object_id), not on its own: one index less
    # for each of an import's rows.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="대상 종류", db_index=False)
    object_id = models.PositiveBigIntegerField("대상 ID")
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField("대상", max_length=200)
    before = models.JSONField("변경 전 값", null=True, blank=True)
    # The row's version right after this import wrote it (programs.versioning): undo compares it
    # with the current one under a row lock. Empty for batches written before versions existed.
    version = models.PositiveIntegerField("가져온 뒤 버전", null=True, blank=True)

    class Meta:
        verbose_name = "가져오기 행"
        verbose_name_plural = "가져오기 행"
        ordering = ["batch", "row_number"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="importrow_target_idx")]

    def __str__(self):
        return f"{self.row_number}행 {self.object_repr}"


class PendingUpload(models.Model):
    """A file between its preview and its confirmation, kept in the database so that any server
    process can confirm it (a local temporary file is only on the machine that previewed it)."""

    token = models.CharField("토큰", max_length=32, unique=True)
    kind = models.CharField("가져오기 종류", max_length=30, choices=ImportKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="사용자"
    )
    file_name = models.CharField("파일명", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.BinaryField("파일 내용")
    # {row number: [pk, version]} of every row the preview compared ([null, null] for new rows):
    # the confirmation refuses rows that changed since the preview the user approved.
    snapshot = models.JSONField("미리보기 때 행 버전", default=dict, blank=True)
    created_at = models.DateTimeField("올린 일시", auto_now_add=True)

    class Meta:
        verbose_name = "확인 대기 파일"
        verbose_name_plural = "확인 대기 파일"

    def __str__(self):
        return self.file_name
