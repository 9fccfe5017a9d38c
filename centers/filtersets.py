"""django-filter FilterSets of the centers app: one per listed model, each with a free-text `q`.

They carry the same criteria as the admin lists (종류, 권역/시·도, 분야, 사업, 상태, 지정연도) for any
screen or report that filters outside the admin.
"""

import django_filters
from django.db.models import Q

from centers.choices import CenterKind, CenterStatus, InstitutionKind, InstitutionStatus, ServiceRequestStatus
from centers.models import ServiceRequest, SupportCenter, TrainingCourse, TrainingInstitution, TrainingOutcome
from companies.models import Industry, Province, Region
from programs.models import Program


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
    kind = django_filters.MultipleChoiceFilter(choices=CenterKind.choices, label="종류")
    status = django_filters.ChoiceFilter(choices=CenterStatus.choices, label="상태")
    region = django_filters.ModelChoiceFilter(
        field_name="province__region", queryset=Region.objects.all(), label="권역"
    )
    province = django_filters.ModelChoiceFilter(queryset=Province.objects.all(), label="시·도")
    industry = django_filters.ModelChoiceFilter(
        field_name="industries", queryset=Industry.objects.all(), label="지원 분야"
    )
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.all(), label="관련 사업")

    class Meta:
        model = SupportCenter
        fields = ["q", "kind", "status", "region", "province", "industry", "program"]


class ServiceRequestFilterSet(SearchFilterSet):
    search_fields = ("company__name", "company__brn", "center__name", "memo")
    status = django_filters.MultipleChoiceFilter(choices=ServiceRequestStatus.choices, label="상태")
    center_kind = django_filters.ChoiceFilter(field_name="center__kind", choices=CenterKind.choices, label="센터 종류")
    region = django_filters.ModelChoiceFilter(
        field_name="center__province__region", queryset=Region.objects.all(), label="권역"
    )
    industry = django_filters.ModelChoiceFilter(
        field_name="company__industry", queryset=Industry.objects.all(), label="업종"
    )
    requested_on = django_filters.DateFromToRangeFilter(label="신청일")

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
    kind = django_filters.MultipleChoiceFilter(choices=InstitutionKind.choices, label="종류")
    status = django_filters.ChoiceFilter(choices=InstitutionStatus.choices, label="상태")
    region = django_filters.ModelChoiceFilter(
        field_name="province__region", queryset=Region.objects.all(), label="권역"
    )
    province = django_filters.ModelChoiceFilter(queryset=Province.objects.all(), label="시·도")
    industry = django_filters.ModelChoiceFilter(field_name="industries", queryset=Industry.objects.all(), label="분야")
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.all(), label="관련 사업")
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
        field_name="institution__kind", choices=InstitutionKind.choices, label="기관 종류"
    )

    class Meta:
        model = TrainingOutcome
        fields = ["q", "institution", "institution_kind", "year"]
