"""django-filter FilterSets of the plan app, used by the staff pages that walk the plan."""

import django_filters
from django.conf import settings
from django.db.models import Q

from programs import selectors
from programs.models import Ministry, PolicyArea, Program, Task


def plan_years() -> list[tuple[int, str]]:
    return [(year, f"{year}년") for year in (settings.PLAN_YEAR - 1, settings.PLAN_YEAR)]


class ProgramFilterSet(django_filters.FilterSet):
    """Programs by 추진분야, 추진과제, 소관부처, 연도 (a budget in that year) and 신규 여부."""

    q = django_filters.CharFilter(label="검색", method="search")
    area = django_filters.ModelChoiceFilter(
        label="추진분야", field_name="task__area", queryset=PolicyArea.objects.all(), empty_label="전체"
    )
    task = django_filters.ModelChoiceFilter(label="추진과제", queryset=Task.objects.all(), empty_label="전체")
    ministry = django_filters.ModelChoiceFilter(label="소관부처", queryset=Ministry.objects.all(), empty_label="전체")
    year = django_filters.ChoiceFilter(label="예산 연도", choices=plan_years, method="filter_year", empty_label="전체")
    ministry_stated = django_filters.BooleanFilter(
        label="소관부처 명시", help_text="아니오: 계획에 소관부처가 없어 주관부처로 추정한 사업"
    )
    is_new = django_filters.BooleanFilter(label="신규 여부", method="filter_new")
    has_budget_line = django_filters.BooleanFilter(label="지원예산 표 포함")

    class Meta:
        model = Program
        fields = ["q", "area", "task", "ministry", "ministry_stated", "year", "is_new", "has_budget_line"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(aliases__icontains=value) | Q(code__icontains=value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(budgets__year=int(value)) if value else queryset

    def filter_new(self, queryset, name, value):
        new_ids = selectors.new_program_ids()
        return queryset.filter(pk__in=new_ids) if value else queryset.exclude(pk__in=new_ids)
