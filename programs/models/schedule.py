"""추진일정: the milestones of each program, by month, as in section V of the plan."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from programs.audit import audit_trail
from programs.choices import MilestoneStatus, Month
from programs.models.plan import year_problem
from programs.versioning import Versioned, VersionedQuerySet

OVERDUE_LABEL = "기한 경과"
# The statuses the schedule shows, in the order of its legend and charts.
SCHEDULE_STATUSES = (
    MilestoneStatus.DONE.label,
    MilestoneStatus.IN_PROGRESS.label,
    MilestoneStatus.PLANNED.label,
    MilestoneStatus.DELAYED.label,
    OVERDUE_LABEL,
)


class MilestoneQuerySet(VersionedQuerySet):
    def not_done(self):
        return self.exclude(status=MilestoneStatus.DONE)

    def overdue(self, today):
        """Not done, and the last month of the milestone is before `today`'s month (연중 items never are)."""
        past = Q(year__lt=today.year) | Q(year=today.year, end_month__lt=today.month)
        return self.not_done().filter(past, end_month__isnull=False)


class Milestone(Versioned):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="milestones", verbose_name="사업"
    )
    year = models.PositiveSmallIntegerField("연도")
    plan_text = models.CharField("추진내용", max_length=200, help_text="계획 문서의 추진일정 표에 적힌 그대로")
    label = models.CharField("일정 항목", max_length=100)
    start_month = models.PositiveSmallIntegerField("시작 월", choices=Month.choices, null=True, blank=True)
    end_month = models.PositiveSmallIntegerField("종료 월", choices=Month.choices, null=True, blank=True)
    status = models.CharField("상태", max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    order = models.PositiveSmallIntegerField("순서", default=0)

    history = audit_trail("추진일정")

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "추진일정"
        verbose_name_plural = "추진일정"
        ordering = ["program", "year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "order"],
                name="milestone_unique_order",
                violation_error_message="이 사업의 같은 연도 추진일정에 같은 순서가 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(start_month__isnull=True) | (Q(start_month__gte=1) & Q(start_month__lte=12)),
                name="milestone_start_month_1_12",
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | (Q(end_month__gte=1) & Q(end_month__lte=12)),
                name="milestone_end_month_1_12",
            ),
            models.CheckConstraint(
                condition=(Q(start_month__isnull=True) & Q(end_month__isnull=True))
                | (
                    Q(start_month__isnull=False)
                    & Q(end_month__isnull=False)
                    & Q(end_month__gte=models.F("start_month"))
                ),
                name="milestone_months_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.program} — {self.label}"

    def clean(self):
        if problem := year_problem(self.program_id, self.year):
            raise ValidationError({"year": problem})
        if (self.start_month is None) != (self.end_month is None):
            raise ValidationError("시작 월과 종료 월은 함께 입력하거나 함께 비워 두어야 합니다.")
        for field in ("start_month", "end_month"):
            value = getattr(self, field)
            if value is not None and not 1 <= value <= 12:
                raise ValidationError({field: "월은 1~12 사이여야 합니다."})
        if self.start_month and self.end_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": "종료 월은 시작 월보다 앞설 수 없습니다."})

    @property
    def months_label(self) -> str:
        if self.start_month is None:
            return "연중"
        if self.start_month == self.end_month:
            return f"{self.start_month}월"
        return f"{self.start_month}~{self.end_month}월"

    def is_overdue(self, today) -> bool:
        """The rule of `MilestoneQuerySet.overdue` for one milestone already loaded."""
        if self.status == MilestoneStatus.DONE or self.end_month is None:
            return False
        return (self.year, self.end_month) < (today.year, today.month)

    def schedule_status(self, today) -> str:
        """What the schedule shows: 완료, 지연, 기한 경과 (past its month, not done), 진행 or 예정."""
        if self.status in (MilestoneStatus.DONE, MilestoneStatus.DELAYED):
            return self.get_status_display()
        return OVERDUE_LABEL if self.is_overdue(today) else self.get_status_display()

    @property
    def is_year_round(self) -> bool:
        """The plan gives no month (연중): shown once as 연중, never spread over the four quarters."""
        return self.start_month is None

    @property
    def quarters(self) -> set[int]:
        """Quarters the months fall in; empty for a 연중 item, which has no month to place."""
        if self.start_month is None:
            return set()
        return {(month - 1) // 3 + 1 for month in range(self.start_month, self.end_month + 1)}
