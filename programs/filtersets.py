"""django-filter FilterSets of the plan app, used by the staff pages that walk the plan."""

import django_filters
from django.db.models import Q

from programs import selectors
from programs.models import Ministry, PolicyArea, Program, Task
from programs.years import current_year


class ProgramFilterSet(django_filters.FilterSet):
    """Programs of one plan year by 추진분야, 추진과제, 소관부처, 연도 (a budget in that year) and 신규 여부.

    The queryset is the year's programs (`Program.objects.in_year`, the default); the area and task
    choices and 소관부처 명시 are that year's."""

    q = django_filters.CharFilter(label="검색", method="search")
    area = django_filters.ModelChoiceFilter(
        label="추진분야", field_name="placement__task__area", queryset=PolicyArea.objects.none(), empty_label="전체"
    )
    task = django_filters.ModelChoiceFilter(
        label="추진과제", field_name="placement__task", queryset=Task.objects.none(), empty_label="전체"
    )
    ministry = django_filters.ModelChoiceFilter(label="소관부처", queryset=Ministry.objects.all(), empty_label="전체")
    budget_year = django_filters.ChoiceFilter(
        label="예산 연도", choices=[], method="filter_budget_year", empty_label="전체"
    )
    ministry_stated = django_filters.BooleanFilter(
        label="소관부처 명시",
        field_name="placement__ministry_stated",
        help_text="아니오: 그 연도 계획에 소관부처가 없어 주관부처로 추정한 사업",
    )
    is_new = django_filters.BooleanFilter(label="신규 여부", method="filter_new")
    has_budget_line = django_filters.BooleanFilter(label="지원예산 표 포함", field_name="placement__has_budget_line")

    class Meta:
        model = Program
        fields = ["q", "area", "task", "ministry", "ministry_stated", "budget_year", "is_new", "has_budget_line"]

    def __init__(self, data=None, queryset=None, *, year: int | None = None, **kwargs):
        year = year or current_year()
        # The year's programs unless given: the filters read the year's placement.
        super().__init__(data, Program.objects.in_year(year) if queryset is None else queryset, **kwargs)
        self.year = year
        self.filters["area"].queryset = PolicyArea.objects.filter(plan_year=self.year)
        self.filters["task"].queryset = Task.objects.filter(area__plan_year=self.year)
        self.filters["budget_year"].extra["choices"] = [(y, f"{y}년") for y in (self.year - 1, self.year)]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(aliases__icontains=value) | Q(code__icontains=value))

    def filter_budget_year(self, queryset, name, value):
        return queryset.filter(budgets__year=int(value)) if value else queryset

    def filter_new(self, queryset, name, value):
        new_ids = selectors.new_program_ids(year=self.year)
        if value:
            return queryset.filter(pk__in=new_ids)
        # Not exclude(): on the year's queryset (a FilteredRelation) Django cannot split the exclusion.
        return queryset.filter(pk__in=Program.objects.exclude(pk__in=new_ids).values("pk"))
