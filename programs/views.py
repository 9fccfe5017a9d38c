"""Staff pages that walk the plan: overview → 추진분야 → 추진과제 → 사업, and the program list.

Every page shows one plan year: `/plan/<year>/...` or `?year=` (programs.years.current_year);
without one, the newest confirmed plan year. A program's page spans every year it ran.
"""

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from programs import registry, selectors
from programs.filtersets import ProgramFilterSet
from programs.formats import change_rate, execution_rate
from programs.listing import FilteredListView, ListColumn, StaffRequiredMixin
from programs.models import BudgetExecution, PlanYear, PolicyArea, Program, Task
from programs.years import current_year


def short_year(year: int) -> str:
    return f"'{year % 100:02d}"


class PlanYearMixin:
    """The page's plan year and the selector that switches it (links keep the year)."""

    def get_context_data(self, **kwargs):
        year = current_year(self.request)
        kwargs.pop("year", None)
        return super().get_context_data(year=year, plan_years=PlanYear.objects.all(), **kwargs)


class PlanOverviewView(PlanYearMixin, StaffRequiredMixin, TemplateView):
    template_name = "plan/overview.html"

    def get_context_data(self, **kwargs):
        year = current_year(self.request)
        areas, total = selectors.budget_table(year=year)
        return super().get_context_data(title=f"{year}년 실행계획", areas=areas, total=total, **kwargs)


class AreaDetailView(PlanYearMixin, StaffRequiredMixin, TemplateView):
    template_name = "plan/area.html"

    def get_context_data(self, number, **kwargs):
        year = current_year(self.request)
        area = get_object_or_404(PolicyArea, plan_year=year, number=number)
        year_programs = Program.objects.in_year(year)
        tasks = []
        for task in area.tasks.all():
            programs = selectors.programs_with_budget(year_programs.filter(placement__task=task), year=year)
            tasks.append(
                (task, selectors.budget_totals(programs, label=task.name, year=year), programs.in_plan_order())
            )
        total = selectors.budget_totals(year_programs.filter(placement__task__area=area), label=area.name, year=year)
        return super().get_context_data(title=str(area), area=area, tasks=tasks, total=total, **kwargs)


class TaskDetailView(PlanYearMixin, StaffRequiredMixin, TemplateView):
    template_name = "plan/task.html"

    def get_context_data(self, area_number, number, **kwargs):
        year = current_year(self.request)
        task = get_object_or_404(Task, area__plan_year=year, area__number=area_number, number=number)
        programs = selectors.programs_with_budget(
            Program.objects.in_year(year).filter(placement__task=task).select_related("ministry"), year=year
        ).in_plan_order()
        total = selectors.budget_totals(programs, label=task.name, year=year)
        achievements = task.achievements.select_related("program").order_by("year", "order")
        return super().get_context_data(
            title=str(task), task=task, programs=programs, total=total, achievements=achievements, **kwargs
        )


class ProgramDetailView(PlanYearMixin, StaffRequiredMixin, TemplateView):
    """One program in the selected year (its task, budget, monthly execution) and across all its years."""

    template_name = "plan/program.html"

    def get_context_data(self, code, **kwargs):
        year = current_year(self.request)
        program = get_object_or_404(Program.objects.select_related("ministry"), code=code)
        placement = program.placements.filter(plan_year=year).select_related("task__area").first()
        totals = selectors.program_execution(program, year=year)
        monthly = dict(
            BudgetExecution.objects.filter(program=program, year=year)
            .values_list("month")
            .annotate(total=Sum("amount"))
        )
        running, months = 0, []
        for month in range(1, 13):
            running += monthly.get(month, 0)
            months.append((month, monthly.get(month), running, execution_rate(running, totals.current)))
        return super().get_context_data(
            title=program.name,
            program=program,
            placement=placement,
            # As the selected year's plan states it; a year without the program marks nothing.
            ministry_label=placement.ministry_full_label if placement else program.ministry.name,
            totals=totals,
            change_rate=change_rate(totals.previous, totals.current) if placement else None,
            execution_rate=execution_rate(totals.executed, totals.current),
            months=months,
            history=selectors.program_years(program),
            milestones=program.milestones.order_by("year", "order"),
            achievements=program.achievements.order_by("year", "order"),
            panels=registry.panel_contexts(registry.program_panels, request=self.request, program=program),
            plan_year=year,
            **kwargs,
        )


class ProgramListView(PlanYearMixin, FilteredListView):
    filterset_class = ProgramFilterSet
    title = "사업 목록"
    export_name = "사업목록"
    link_column = 1

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        year = current_year(request)
        self.title = f"{year}년 사업 목록"
        self.columns = [
            ListColumn("추진과제", lambda p: p.placement.task.code),
            ListColumn("사업명", lambda p: p.name),
            ListColumn("소관부처", lambda p: p.ministry_full_label),
            ListColumn(f"{short_year(year - 1)}년 예산(백만원)", lambda p: p.budget_previous, "million"),
            ListColumn(f"{short_year(year)}년 예산(백만원)", lambda p: p.budget_current, "million"),
            ListColumn("증감(백만원)", lambda p: None if p.budget_current is None else p.budget_change, "million"),
            ListColumn("증감률(%)", lambda p: change_rate(p.budget_previous, p.budget_current), "rate"),
            ListColumn("집행액(백만원)", lambda p: p.executed, "million"),
            ListColumn("집행률(%)", lambda p: execution_rate(p.executed, p.budget_current), "rate"),
        ]

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "year": current_year(self.request)}

    def get_queryset(self):
        year = current_year(self.request)
        programs = Program.objects.select_related("ministry")
        return selectors.programs_with_budget(selectors.placements(year, programs), year=year)
