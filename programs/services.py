"""Writes of the plan app: committee report snapshots and budget execution."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from programs import access
from programs.models import (
    BudgetExecution,
    Ministry,
    PlanYear,
    PlanYearStatus,
    PolicyArea,
    ProgramBudget,
    ProgramPlacement,
    ReportSnapshot,
    Task,
)
from programs.reports.committee import committee_report_bytes
from programs.years import current_year


def report_file_name(*, year: int, ministry: Ministry | None, generated_at) -> str:
    scope = f"_{ministry.short_name or ministry.name}" if ministry else ""
    stamp = timezone.localtime(generated_at).strftime("%Y%m%d_%H%M")
    return f"뿌리산업발전위원회_{year}{scope}_{stamp}.xlsx"


def report_snapshot_create(*, year: int | None = None, ministry: Ministry | None = None, user=None) -> ReportSnapshot:
    """Build the committee workbook and keep it, unchanged, as a dated snapshot."""
    year = year or current_year()
    generated_at = timezone.now()
    content = committee_report_bytes(year=year, ministry=ministry, generated_at=generated_at)
    return ReportSnapshot.objects.create(
        year=year,
        ministry=ministry,
        created_by=user,
        file_name=report_file_name(year=year, ministry=ministry, generated_at=generated_at),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def execution_entry_values(*, user) -> dict:
    """Who entered a budget execution entry: the fields every write path (form, inline, import) sets."""
    return {"entered_by_id": user.pk} if getattr(user, "pk", None) else {}


def execution_record(*, execution: BudgetExecution, user) -> BudgetExecution:
    """Save an execution entry typed by `user` (change form, inline) as entered by them."""
    for attname, value in execution_entry_values(user=user).items():
        setattr(execution, attname, value)
    execution.save()
    return execution


# --- Plan years: drawing up the next year's plan and confirming it -----------------------------


def plan_year_title(year: int) -> str:
    return f"{year}년도 뿌리산업 진흥 실행계획"


@transaction.atomic
def plan_year_copy(*, source: PlanYear, year: int, user) -> PlanYear:
    """The next year's plan as a draft: `source`'s areas, tasks and program placements (task, budget
    table and 추진일정 표 rows, whether the plan states the ministry), copied.

    Programs keep their identity (the same 사업 continues under the new year's task). A placement
    marked 올해 종료, or a program whose period ended before `year`, is not copied: a program shows
    in the year it ends and not after. Budgets are not copied; staff enter or import them."""
    if PlanYear.objects.filter(year=year).exists():
        raise ValidationError(f"{year}년 실행계획이 이미 있습니다.")
    if year <= source.year:
        raise ValidationError(f"{source.year}년보다 뒤의 연도로만 복사할 수 있습니다.")
    plan_year = PlanYear.objects.create(
        year=year, title=plan_year_title(year), status=PlanYearStatus.DRAFT, source_document=""
    )
    tasks: dict[int, Task] = {}
    for area in source.areas.prefetch_related("tasks").order_by("number"):
        copied = PolicyArea.objects.create(
            plan_year=plan_year, number=area.number, name=area.name, budget_label=area.budget_label
        )
        for task in area.tasks.all():
            tasks[task.pk] = Task.objects.create(area=copied, number=task.number, name=task.name, heading=task.heading)
    continuing = source.placements.filter(ended=False).exclude(program__end_year__lt=year).select_related("program")
    for placement in continuing.order_by(F("budget_order").asc(nulls_last=True), "program__name"):
        copied = ProgramPlacement(
            plan_year=plan_year,
            program=placement.program,
            task=tasks[placement.task_id],
            has_budget_line=placement.has_budget_line,
            budget_order=placement.budget_order,
            schedule_order=placement.schedule_order,
            ministry_stated=placement.ministry_stated,
        )
        copied.full_clean()
        copied.save()
    return plan_year


def plan_year_unbudgeted(plan_year: PlanYear) -> list[str]:
    """Programs with a budget line in `plan_year` but no budget for that year (confirmation refuses them)."""
    budgeted = ProgramBudget.objects.filter(year=plan_year.year).values("program")
    missing = plan_year.placements.filter(has_budget_line=True).exclude(program__in=budgeted)
    return list(missing.order_by("budget_order").values_list("program__name", flat=True))


@transaction.atomic
def plan_year_confirm(*, plan_year: PlanYear, user) -> PlanYear:
    """확정: from now on its structure and budgets change only by a 시스템 관리자, with a reason."""
    plan_year = PlanYear.objects.select_for_update().get(pk=plan_year.pk)
    if plan_year.status != PlanYearStatus.DRAFT:
        raise ValidationError(f"{plan_year.year}년 실행계획은 이미 {plan_year.get_status_display()} 상태입니다.")
    if not plan_year.placements.exists():
        raise ValidationError(f"{plan_year.year}년 실행계획에 편성된 사업이 없습니다.")
    missing = plan_year_unbudgeted(plan_year)
    if missing:
        raise ValidationError(
            f"{plan_year.year}년 예산이 없는 지원예산 표 사업이 있어 확정할 수 없습니다: " + ", ".join(missing)
        )
    plan_year.status = PlanYearStatus.CONFIRMED
    plan_year.confirmed_at = timezone.now()
    plan_year.confirmed_by = user if getattr(user, "pk", None) else None
    plan_year.save()
    return plan_year


def locked_years() -> set[int]:
    """Plan years that are confirmed or closed."""
    return set(PlanYear.objects.exclude(status=PlanYearStatus.DRAFT).values_list("year", flat=True))


def budget_year_locked(year: int, locked: set[int] | None = None) -> bool:
    """A budget is part of a confirmed plan when it is that plan's year or the year before (전년)."""
    locked = locked_years() if locked is None else locked
    return year in locked or year + 1 in locked


def confirmed_change_check(*, year: int, user, reason: str, label: str = "") -> str:
    """The rule for changing a confirmed year's structure or budgets: a 시스템 관리자, with a reason.

    Returns the reason to record (django-simple-history's history_change_reason); raises
    ValidationError with the Korean message otherwise."""
    if not access.is_system_admin(user):
        raise ValidationError(f"확정된 {year}년 실행계획{label}은 시스템 관리자만 바꿀 수 있습니다.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"확정된 {year}년 실행계획{label}을 바꾸려면 변경 사유를 적어 주세요.")
    return reason[:100]
