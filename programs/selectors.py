"""Reads of the plan: budgets, execution and their totals, computed in the database.

The derived figures of the plan's budget table (증감, 증감률, 집행률, subtotals) are computed here
and in programs.formats, never stored.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from programs.formats import change_rate, execution_rate
from programs.importing.cells import NameLookup
from programs.models import BudgetExecution, Milestone, PolicyArea, Program, ProgramBudget
from programs.models.schedule import SCHEDULE_STATUSES


def _budget_subquery(year: int) -> Subquery:
    return Subquery(
        ProgramBudget.objects.filter(program=OuterRef("pk"), year=year).values("amount")[:1],
        output_field=BigIntegerField(),
    )


def _executed_subquery(year: int) -> Subquery:
    return Subquery(
        BudgetExecution.objects.filter(program=OuterRef("pk"), year=year)
        .values("program")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=BigIntegerField(),
    )


def programs_with_budget(queryset: QuerySet | None = None, *, year: int | None = None) -> QuerySet:
    """Programs annotated with budget_previous, budget_current, budget_change and executed (won)."""
    year = year or settings.PLAN_YEAR
    queryset = Program.objects.all() if queryset is None else queryset
    zero = Value(0, output_field=BigIntegerField())
    return queryset.annotate(
        budget_previous=_budget_subquery(year - 1),
        budget_current=_budget_subquery(year),
        executed=Coalesce(_executed_subquery(year), zero),
    ).annotate(
        budget_change=Coalesce(F("budget_current"), zero) - Coalesce(F("budget_previous"), zero),
    )


@dataclass(frozen=True)
class BudgetTotals:
    """One row of the budget table: a program, an area subtotal or the grand total."""

    label: str
    previous: int
    current: int
    executed: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def change_rate(self) -> Decimal | None:
        return change_rate(self.previous, self.current)

    @property
    def execution_rate(self) -> Decimal | None:
        return execution_rate(self.executed, self.current)

    @property
    def is_over_budget(self) -> bool:
        return self.executed > self.current


def budget_totals(queryset: QuerySet, *, label: str = "총계", year: int | None = None) -> BudgetTotals:
    """Totals of the programs in `queryset` (any filters), summed by the database."""
    year = year or settings.PLAN_YEAR
    program_ids = queryset.order_by().values("pk")

    def total(model, for_year):
        rows = model.objects.filter(program__in=program_ids, year=for_year)
        return rows.aggregate(total=Sum("amount"))["total"] or 0

    return BudgetTotals(label, total(ProgramBudget, year - 1), total(ProgramBudget, year), total(BudgetExecution, year))


@dataclass(frozen=True)
class AreaBudget:
    area: PolicyArea
    programs: list
    subtotal: BudgetTotals


def budget_table(*, year: int | None = None, ministry=None) -> tuple[list[AreaBudget], BudgetTotals]:
    """The plan's section V table: programs with a budget line, grouped by area, with subtotals."""
    queryset = Program.objects.filter(ministry=ministry) if ministry else None
    programs = list(
        programs_with_budget(queryset, year=year)
        .filter(has_budget_line=True)
        .select_related("task__area", "ministry")
        .in_plan_order()
    )
    areas: dict[int, list] = {}
    for program in programs:
        areas.setdefault(program.task.area_id, []).append(program)
    rows = []
    for area in PolicyArea.objects.filter(pk__in=areas):
        members = areas[area.pk]
        subtotal = BudgetTotals(
            area.budget_label,
            sum(p.budget_previous or 0 for p in members),
            sum(p.budget_current or 0 for p in members),
            sum(p.executed for p in members),
        )
        rows.append(AreaBudget(area, members, subtotal))
    total = BudgetTotals(
        "총계",
        sum(row.subtotal.previous for row in rows),
        sum(row.subtotal.current for row in rows),
        sum(row.subtotal.executed for row in rows),
    )
    return rows, total


def program_execution(program: Program, *, year: int | None = None) -> BudgetTotals:
    """Budget and cumulative execution of one program in the plan year."""
    annotated = programs_with_budget(Program.objects.filter(pk=program.pk), year=year).get()
    return BudgetTotals(program.name, annotated.budget_previous or 0, annotated.budget_current or 0, annotated.executed)


def programs_behind_schedule(*, year: int, today, limit: int = 5) -> list[Program]:
    """Programs with the most milestones past their last month and not done, then lowest execution."""
    overdue = Milestone.objects.overdue(today).filter(year=year, program=OuterRef("pk"))
    overdue_count = overdue.order_by().values("program").annotate(count=Count("pk")).values("count")
    programs = (
        programs_with_budget(year=year)
        .annotate(overdue_count=Coalesce(Subquery(overdue_count), 0))
        .filter(overdue_count__gt=0)
        .select_related("task__area", "ministry")
        .order_by("-overdue_count", "budget_order")
    )
    return list(programs[:limit])


def milestones_due(*, today, days: int = 30) -> list[Milestone]:
    """Milestones not done whose month range overlaps the next `days` days."""
    horizon = today + timedelta(days=days)
    months = {(today.year, today.month)}
    cursor = today.replace(day=1)
    while (cursor.year, cursor.month) < (horizon.year, horizon.month):
        cursor = (cursor + timedelta(days=32)).replace(day=1)
        months.add((cursor.year, cursor.month))
    condition = Q()
    for year, month in months:
        condition |= Q(year=year, start_month__lte=month, end_month__gte=month)
    return list(
        Milestone.objects.filter(condition)
        .not_done()
        .select_related("program")
        .order_by("end_month", "program__budget_order")
    )


def new_program_ids(*, year: int | None = None) -> QuerySet:
    """신규 programs: a budget in the plan year and none the year before (the plan prints '-')."""
    year = year or settings.PLAN_YEAR
    return Program.objects.filter(budgets__year=year).exclude(budgets__year=year - 1).values("pk")


def program_lookup() -> NameLookup:
    """Programs by name, code or alias, for imports that name a program."""
    return NameLookup(
        Program.objects.select_related("task__area", "ministry").order_by("id"),
        lambda program: [program.name, program.code, *program.alias_list],
    )


@dataclass(frozen=True)
class AreaSchedule:
    area: PolicyArea
    counts: dict[str, int]  # schedule status label → milestones

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def milestones_in_schedule_order(*, year: int, ministry=None) -> QuerySet:
    """A year's milestones in the order of the plan's 추진일정 table (programs, then their items)."""
    milestones = Milestone.objects.filter(year=year).select_related("program__task__area", "program__ministry")
    if ministry:
        milestones = milestones.filter(program__ministry=ministry)
    return milestones.order_by(
        F("program__schedule_order").asc(nulls_last=True),
        "program__task__area__number",
        F("program__budget_order").asc(nulls_last=True),
        "program__name",
        "order",
    )


def schedule_status_by_area(*, year: int, today, ministry=None) -> list[AreaSchedule]:
    """Milestones per 추진분야 and schedule status (완료, 진행, 예정, 지연, 기한 경과)."""
    areas: dict[int, AreaSchedule] = {}
    for milestone in milestones_in_schedule_order(year=year, ministry=ministry):
        area = milestone.program.task.area
        row = areas.setdefault(area.pk, AreaSchedule(area, dict.fromkeys(SCHEDULE_STATUSES, 0)))
        row.counts[milestone.schedule_status(today)] += 1
    return sorted(areas.values(), key=lambda row: row.area.number)
