"""Reads of the plan: budgets, execution and their totals, computed in the database.

The derived figures of the plan's budget table (증감, 증감률, 집행률, subtotals) are computed here
and in programs.formats, never stored.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from programs.formats import change_rate, execution_rate
from programs.importing.cells import NameLookup
from programs.models import BudgetExecution, Milestone, PolicyArea, Program, ProgramBudget, ProgramPlacement
from programs.models.plan import ministry_text
from programs.models.schedule import SCHEDULE_STATUSES
from programs.years import current_year


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


def placements(year: int | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """The programs of `year`'s plan in plan order, each with `placement` (task, area, budget order)."""
    year = year or current_year()
    queryset = Program.objects.all() if queryset is None else queryset
    return queryset.in_year(year).in_plan_order()


def programs_with_budget(queryset: QuerySet | None = None, *, year: int | None = None) -> QuerySet:
    """Programs annotated with budget_previous, budget_current, budget_change and executed (won)."""
    year = year or current_year()
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
    year = year or current_year()
    program_ids = queryset.order_by().values("pk")
    budgets = ProgramBudget.objects.filter(program__in=program_ids, year__in=[year - 1, year]).aggregate(
        previous=Sum("amount", filter=Q(year=year - 1)), current=Sum("amount", filter=Q(year=year))
    )
    executed = BudgetExecution.objects.filter(program__in=program_ids, year=year).aggregate(total=Sum("amount"))
    return BudgetTotals(label, budgets["previous"] or 0, budgets["current"] or 0, executed["total"] or 0)


@dataclass(frozen=True)
class AreaBudget:
    area: PolicyArea
    programs: list
    subtotal: BudgetTotals


def budget_table(*, year: int | None = None, ministry=None) -> tuple[list[AreaBudget], BudgetTotals]:
    """The plan's section V table: programs with a budget line, grouped by area, with subtotals."""
    year = year or current_year()
    queryset = Program.objects.filter(ministry=ministry) if ministry else None
    programs = list(
        programs_with_budget(placements(year, queryset), year=year)
        .filter(placement__has_budget_line=True)
        .select_related("ministry")
    )
    areas: dict[int, list] = {}
    for program in programs:
        areas.setdefault(program.placement.task.area_id, []).append(program)
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
    """Budget and cumulative execution of one program in a plan year."""
    annotated = programs_with_budget(Program.objects.filter(pk=program.pk), year=year).get()
    return BudgetTotals(program.name, annotated.budget_previous or 0, annotated.budget_current or 0, annotated.executed)


@dataclass(frozen=True)
class ProgramYear:
    """One year of a program: its place in that year's plan and its figures."""

    year: int
    placement: object
    totals: BudgetTotals

    @property
    def is_new(self) -> bool:
        return self.totals.previous == 0 and self.totals.current > 0


def program_years(program: Program) -> list[ProgramYear]:
    """Every plan year the program was placed in, oldest first: its task, budgets and execution."""
    placements = list(program.placements.select_related("task__area").order_by("plan_year_id"))
    years = [placement.plan_year_id for placement in placements]
    budgets = dict(
        ProgramBudget.objects.filter(program=program).values_list("year", "amount")
    )
    executed = dict(
        BudgetExecution.objects.filter(program=program, year__in=years)
        .values("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    return [
        ProgramYear(
            placement.plan_year_id,
            placement,
            BudgetTotals(
                program.name,
                budgets.get(placement.plan_year_id - 1, 0),
                budgets.get(placement.plan_year_id, 0),
                executed.get(placement.plan_year_id, 0),
            ),
        )
        for placement in placements
    ]


def programs_behind_schedule(*, year: int, today, limit: int = 5) -> list[Program]:
    """Programs with the most milestones past their last month and not done, then lowest execution."""
    overdue = Milestone.objects.overdue(today).filter(year=year, program=OuterRef("pk"))
    overdue_count = overdue.order_by().values("program").annotate(count=Count("pk")).values("count")
    programs = (
        programs_with_budget(Program.objects.in_year(year), year=year)
        .annotate(overdue_count=Coalesce(Subquery(overdue_count), 0))
        .filter(overdue_count__gt=0)
        .select_related("ministry")
        .order_by("-overdue_count", "placement__budget_order")
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
        .annotate(budget_order=placement_order("program", "year"))
        .select_related("program")
        .order_by("end_month", F("budget_order").asc(nulls_last=True))
    )


def placement_labels(program_path: str = "program", year_path: str = "year") -> dict:
    """Annotations naming the task and area of a row's program in the row's own year (applications,
    executions), and whether that year's plan states its ministry: `placement_task_number`-style
    values without a join per row in Python (read them with `task_label`, `ministry_label` …)."""
    placement = ProgramPlacement.objects.filter(program=OuterRef(program_path), plan_year=OuterRef(year_path))
    return {
        f"placement_{name}": Subquery(placement.values(path)[:1])
        for name, path in (
            ("area_number", "task__area__number"),
            ("area_name", "task__area__name"),
            ("task_number", "task__number"),
            ("task_name", "task__name"),
            ("ministry_stated", "ministry_stated"),
        )
    }


def area_label(row) -> str:
    """'1. 뿌리기업 성장지원 강화' from a row annotated with `placement_labels()`."""
    return f"{row.placement_area_number}. {row.placement_area_name}" if row.placement_area_number else ""


def task_code(row) -> str:
    return f"{row.placement_area_number}-{row.placement_task_number}" if row.placement_task_number else ""


def task_label(row) -> str:
    return f"{task_code(row)} {row.placement_task_name}" if row.placement_task_number else ""


def ministry_label(row, *, full: bool = False) -> str:
    """The ministry of a row's program (`row.program`) as that year's plan states it, from a row
    annotated with `placement_labels()` or `placement_field("ministry_stated", …)`."""
    return ministry_text(row.program.ministry, row.placement_ministry_stated, full=full)


def ministry_full_label(row) -> str:
    return ministry_label(row, full=True)


def placement_field(field: str, program_path: str, year: str | int) -> Subquery:
    """One field of a row's program's placement in a year: a fixed year, or the row's own (a path)."""
    year_value = OuterRef(year) if isinstance(year, str) else year
    return Subquery(
        ProgramPlacement.objects.filter(program=OuterRef(program_path), plan_year=year_value).values(field)[:1]
    )


def placement_order(program_path: str, year: str | int) -> Subquery:
    """The budget-table order of a row's program in a year: a fixed year, or the row's own (a path)."""
    return placement_field("budget_order", program_path, year)


def schedule_order(program_path: str, year: str | int) -> Subquery:
    """The 추진일정 표 order of a row's program in a year (None for a program the table does not list)."""
    return placement_field("schedule_order", program_path, year)


def new_program_ids(*, year: int | None = None) -> QuerySet:
    """신규 programs: a budget in the plan year and none the year before (the plan prints '-')."""
    year = year or current_year()
    return Program.objects.filter(budgets__year=year).exclude(budgets__year=year - 1).values("pk")


def program_lookup() -> NameLookup:
    """Programs by name, code or alias, for imports that name a program (every year's programs)."""
    return NameLookup(
        Program.objects.select_related("ministry").order_by("id"),
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
    milestones = (
        Milestone.objects.filter(year=year)
        .annotate(
            placement=FilteredRelation("program__placements", condition=Q(program__placements__plan_year=year))
        )
        .filter(placement__isnull=False)
        .select_related("placement__task__area", "program__ministry")
    )
    if ministry:
        milestones = milestones.filter(program__ministry=ministry)
    return milestones.order_by(
        F("placement__schedule_order").asc(nulls_last=True),
        "placement__task__area__number",
        F("placement__budget_order").asc(nulls_last=True),
        "program__name",
        "order",
    )


def schedule_status_by_area(*, year: int, today, ministry=None) -> list[AreaSchedule]:
    """Milestones per 추진분야 and schedule status (완료, 진행, 예정, 지연, 기한 경과)."""
    areas: dict[int, AreaSchedule] = {}
    for milestone in milestones_in_schedule_order(year=year, ministry=ministry):
        area = milestone.placement.task.area
        row = areas.setdefault(area.pk, AreaSchedule(area, dict.fromkeys(SCHEDULE_STATUSES, 0)))
        row.counts[milestone.schedule_status(today)] += 1
    return sorted(areas.values(), key=lambda row: row.area.number)
