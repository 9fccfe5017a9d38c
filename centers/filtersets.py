"""django-filter FilterSets of the centers app: one per listed model, each with a free-text `q`.

They carry the same criteria as the admin lists (종류, 권역/시·도, 분야, 사업, 상태, 지정연도) for any
screen or report that filters outside the admin.
"""

import django_filters
from django import forms
from django.db.models import Q

from centers.choices import CenterKind, CenterStatus, InstitutionKind, InstitutionStatus, ServiceRequestStatus
from centers.models import (
    ServiceRequest,
    ServiceType,
    SupportCenter,
    TrainingCourse,
    TrainingInstitution,
    TrainingOutcome,
)
from companies.filtersets import company_search_q
from companies.models import Industry, Province, Region
from programs.models import Program

ALL = "전체"  # the empty choice of every drop-down: no filter


def compact_multiple() -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"size": 3})


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="검색")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition).distinct()


class SupportCenterFilterSet(SearchFilterSet):
    search_fields = ("name", "locality", "site", "description")
    kind = django_filters.MultipleChoiceFilter(choices=CenterKind.choices, label="종류", widget=compact_multiple())
    status = django_filters.ChoiceFilter(choices=CenterStatus.choices, label="상태", empty_label=ALL)
    region = django_filters.ModelChoiceFilter(
        field_name="province__region", queryset=Region.objects.all(), label="권역", empty_label=ALL
    )
    province = django_filters.ModelChoiceFilter(queryset=Province.objects.all(), label="시·도", empty_label=ALL)
    industry = django_filters.ModelChoiceFilter(
        field_name="industries", queryset=Industry.objects.all(), label="지원 분야", empty_label=ALL
    )
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.all(), label="관련 사업", empty_label=ALL)

    class Meta:
        model = SupportCenter
        fields = ["q", "kind", "status", "region", "province", "industry", "program"]


class ServiceRequestFilterSet(SearchFilterSet):
    search_fields = ("center__name", "memo")

    def search(self, queryset, name, value):
        """Also by the requesting company's name or 사업자등록번호 typed in any format (123-45-67890)."""
        value = value.strip()
        if not value:
            return queryset
        condition = company_search_q(value, "company__")
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    status = django_filters.MultipleChoiceFilter(
        choices=ServiceRequestStatus.choices, label="상태", widget=compact_multiple()
    )
    center_kind = django_filters.ChoiceFilter(
        field_name="center__kind", choices=CenterKind.choices, label="센터 종류", empty_label=ALL
    )
    region = django_filters.ModelChoiceFilter(
        field_name="center__province__region", queryset=Region.objects.all(), label="권역", empty_label=ALL
    )
    industry = django_filters.ModelChoiceFilter(
        field_name="company__industry", queryset=Industry.objects.all(), label="업종", empty_label=ALL
    )
    requested_on = django_filters.DateFromToRangeFilter(
        label="신청일", widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    )
    center = django_filters.ModelChoiceFilter(queryset=SupportCenter.objects.all(), label="센터", empty_label=ALL)
    service_type = django_filters.ModelChoiceFilter(
        queryset=ServiceType.objects.all(), label="서비스 유형", empty_label=ALL
    )

    class Meta:
        model = ServiceRequest
        fields = [
            "q",
            "center",
            "service_type",
            "status",
            "center_kind",
            "region",
            "industry",
            "requested_on",
        ]


class TrainingInstitutionFilterSet(SearchFilterSet):
    search_fields = ("name", "locality", "field_note", "description")
    kind = django_filters.MultipleChoiceFilter(choices=InstitutionKind.choices, label="종류", widget=compact_multiple())
    status = django_filters.ChoiceFilter(choices=InstitutionStatus.choices, label="상태", empty_label=ALL)
    region = django_filters.ModelChoiceFilter(
        field_name="province__region", queryset=Region.objects.all(), label="권역", empty_label=ALL
    )
    province = django_filters.ModelChoiceFilter(queryset=Province.objects.all(), label="시·도", empty_label=ALL)
    industry = django_filters.ModelChoiceFilter(
        field_name="industries", queryset=Industry.objects.all(), label="분야", empty_label=ALL
    )
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.all(), label="관련 사업", empty_label=ALL)
    designated_year = django_filters.NumberFilter(label="지정연도")

    class Meta:
        model = TrainingInstitution
        fields = ["q", "kind", "status", "region", "province", "industry", "program", "designated_year"]


class TrainingCourseFilterSet(SearchFilterSet):
    search_fields = ("name", "institution__name")

    class Meta:
        model = TrainingCourse
        fields = ["q", "institution", "year", "course_type", "industry"]


class TrainingOutcomeFilterSet(SearchFilterSet):
    search_fields = ("institution__name",)
    institution_kind = django_filters.ChoiceFilter(
        field_name="institution__kind", choices=InstitutionKind.choices, label="기관 종류", empty_label=ALL
    )

    class Meta:
        model = TrainingOutcome
        fields = ["q", "institution", "institution_kind", "year"]
