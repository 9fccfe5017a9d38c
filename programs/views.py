"""Staff pages that walk the plan: overview → 추진분야 → 추진과제 → 사업, and the program list."""

from django.conf import settings
from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from programs import registry, selectors
from programs.filtersets import ProgramFilterSet
from programs.formats import change_rate, execution_rate
from programs.listing import FilteredListView, ListColumn, StaffRequiredMixin
from programs.models import BudgetExecution, PolicyArea, Program, Task

PLAN_YEAR = settings.PLAN_YEAR


class PlanOverviewView(StaffRequiredMixin, TemplateView):
    template_name = "plan/overview.html"

    def get_context_data(self, **kwargs):
        areas, total = selectors.budget_table()
        return super().get_context_data(title=f"{PLAN_YEAR}년 실행계획", areas=areas, total=total, **kwargs)


class AreaDetailView(StaffRequiredMixin, TemplateView):
    template_name = "plan/area.html"

    def get_context_data(self, number, **kwargs):
        area = get_object_or_404(PolicyArea, number=number)
        tasks = []
        for task in area.tasks.all():
            programs = selectors.programs_with_budget(task.programs.all())
            tasks.append((task, selectors.budget_totals(programs, label=task.name), programs.in_plan_order()))
        total = selectors.budget_totals(Program.objects.filter(task__area=area), label=area.name)
        return super().get_context_data(title=str(area), area=area, tasks=tasks, total=total, **kwargs)


class TaskDetailView(StaffRequiredMixin, TemplateView):
    template_name = "plan/task.html"

    def get_context_data(self, area_number, number, **kwargs):
        task = get_object_or_404(Task, area__number=area_number, number=number)
        programs = selectors.programs_with_budget(task.programs.select_related("ministry")).in_plan_order()
        total = selectors.budget_totals(programs, label=task.name)
        achievements = task.achievements.select_related("program").order_by("year", "order")
        return super().get_context_data(
            title=str(task), task=task, programs=programs, total=total, achievements=achievements, **kwargs
        )


class ProgramDetailView(StaffRequiredMixin, TemplateView):
    template_name = "plan/program.html"

    def get_context_data(self, code, **kwargs):
        program = get_object_or_404(
            selectors.programs_with_budget(Program.objects.select_related("task__area", "ministry")),
            code=code,
        )
        monthly = dict(
            BudgetExecution.objects.filter(program=program, year=PLAN_YEAR)
            .values_list("month")
            .annotate(total=Sum("amount"))
        )
        running, months = 0, []
        for month in range(1, 13):
            running += monthly.get(month, 0)
            months.append((month, monthly.get(month), running, execution_rate(running, program.budget_current)))
        return super().get_context_data(
            title=program.name,
            program=program,
            change_rate=change_rate(program.budget_previous, program.budget_current),
            execution_rate=execution_rate(program.executed, program.budget_current),
            months=months,
            milestones=program.milestones.order_by("year", "order"),
            achievements=program.achievements.order_by("year", "order"),
            panels=registry.panel_contexts(registry.program_panels, request=self.request, program=program),
            plan_year=PLAN_YEAR,
            **kwargs,
        )


class ProgramListView(FilteredListView):
    filterset_class = ProgramFilterSet
    title = "사업 목록"
    export_name = "사업목록"
    link_column = 1
    columns = [
        ListColumn("추진과제", lambda p: p.task.code),
        ListColumn("사업명", lambda p: p.name),
        ListColumn("소관부처", lambda p: p.ministry_full_label),
        ListColumn(f"'{(PLAN_YEAR - 1) % 100}년 예산(백만원)", lambda p: p.budget_previous, "million"),
        ListColumn(f"'{PLAN_YEAR % 100}년 예산(백만원)", lambda p: p.budget_current, "million"),
        ListColumn("증감(백만원)", lambda p: None if p.budget_current is None else p.budget_change, "million"),
        ListColumn("증감률(%)", lambda p: change_rate(p.budget_previous, p.budget_current), "rate"),
        ListColumn("집행액(백만원)", lambda p: p.executed, "million"),
        ListColumn("집행률(%)", lambda p: execution_rate(p.executed, p.budget_current), "rate"),
    ]

    def get_queryset(self):
        programs = Program.objects.select_related("task__area", "ministry")
        return selectors.programs_with_budget(programs).in_plan_order()
