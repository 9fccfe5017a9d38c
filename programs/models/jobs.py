"""Background jobs: long imports (their preview and their writing), exports and committee reports
run by the task worker.

A job row is what staff follow (state, stage, rows read / checked / written, the reason of a
failure, the file produced); the task itself runs through Django's tasks API (programs/tasks.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class BackgroundJob(models.Model):
    class Action(models.TextChoices):
        IMPORT = "import", "가져오기"
        PREVIEW = "preview", "가져오기 미리보기"
        EXPORT = "export", "내보내기"
        REPORT = "report", "위원회 보고서"

    class State(models.TextChoices):
        WAITING = "waiting", "대기 중"
        RUNNING = "running", "진행 중"
        DONE = "done", "완료"
        FAILED = "failed", "실패"

    action = models.CharField("작업", max_length=20, choices=Action.choices)
    kind = models.CharField("종류", max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="사용자",
    )
    state = models.CharField("상태", max_length=20, choices=State.choices, default=State.WAITING)
    stage = models.CharField("단계", max_length=100, blank=True)
    rows_total = models.PositiveIntegerField("전체 행", null=True, blank=True)
    rows_read = models.PositiveIntegerField("읽은 행", default=0)
    rows_checked = models.PositiveIntegerField("검사한 행", default=0)
    rows_written = models.PositiveIntegerField("저장·기록한 행", default=0)
    message = models.TextField("결과", blank=True)
    params = models.JSONField("조건", default=dict, blank=True)
    file_name = models.CharField("파일명", max_length=255, blank=True)
    source = models.BinaryField("올린 파일", null=True, blank=True)  # an import's upload, dropped when done
    result = models.BinaryField("만든 파일", null=True, blank=True)  # an export's workbook
    result_url = models.CharField("결과 주소", max_length=255, blank=True)
    task_id = models.CharField("작업 ID", max_length=64, blank=True)
    created_at = models.DateTimeField("요청 일시", auto_now_add=True)
    updated_at = models.DateTimeField("갱신 일시", auto_now=True)
    finished_at = models.DateTimeField("끝난 일시", null=True, blank=True)

    class Meta:
        verbose_name = "백그라운드 작업"
        verbose_name_plural = "백그라운드 작업"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "kind", "state"], name="backgroundjob_active_idx")]
        constraints = [
            # One import of a kind at a time: a second one is refused while the first waits or runs.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(action="import", state__in=["waiting", "running"]),
                name="backgroundjob_one_import_per_kind",
                violation_error_message="같은 종류의 가져오기가 이미 기다리거나 진행 중입니다.",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} #{self.pk} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        done = self.rows_written
        if self.action == self.Action.IMPORT:  # three passes over the rows: read, check, write
            done = (self.rows_read + self.rows_checked + self.rows_written) / 3
        elif self.action == self.Action.PREVIEW:  # read and check only
            done = (self.rows_read + self.rows_checked) / 2
        return min(int(done * 100 / self.rows_total), 99)
