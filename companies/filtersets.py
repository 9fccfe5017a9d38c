"""Filters of the companies app: admin list filters and the django-filter FilterSets behind them.

The application criteria (사업, 상태, 연도) filter companies through ONE subquery so that
"selected for program X in 2025" means one application matching all three, not three different ones.
"""

import datetime

from django.contrib import admin
from django.db.models import F, Q
from django.utils import timezone

from companies.choices import (
    CERTIFICATE_VALIDITY_YEARS,
    CERTIFICATE_WARNING_DAYS,
    SELECTED_STATUSES,
    ApplicationStatus,
    CertificateStatus,
    GrowthStage,
    SalesBracket,
)
from companies.models import Application
from companies.selectors import application_years as stored_application_years
from companies.selectors import duplicate_selection_company_exists, duplicate_selection_exists
from programs.identifiers import brn_search_digits
from programs.models import Ministry, PolicyArea, Program, Task
from programs.years import current_year

APPLICATION_PARAMETERS = ("app_program", "app_status", "app_year")


def company_search_q(term: str, prefix: str = "") -> Q:
    """업체명 contains the term, or 사업자등록번호 contains its digits (typed with or without dashes)."""
    condition = Q(**{f"{prefix}name__icontains": term})
    digits = brn_search_digits(term)
    if digits:
        condition |= Q(**{f"{prefix}brn__contains": digits})
    return condition


class ApplicationCriterionFilter(admin.SimpleListFilter):
    """Base of the three application filters on the company list; the first one present applies all."""

    def queryset(self, request, queryset):
        present = [name for name in APPLICATION_PARAMETERS if request.GET.get(name)]
        if not present or present[0] != self.parameter_name:
            return queryset
        criteria = {}
        if request.GET.get("app_program", "").isdigit():
            criteria["program_id"] = int(request.GET["app_program"])
        if request.GET.get("app_status") in ApplicationStatus.values:
            criteria["status"] = request.GET["app_status"]
        if request.GET.get("app_year", "").isdigit():
            criteria["year"] = int(request.GET["app_year"])
        return queryset.filter(pk__in=Application.objects.filter(**criteria).values("company_id"))


class AppliedProgramFilter(ApplicationCriterionFilter):
    title = "신청 사업"
    parameter_name = "app_program"

    def lookups(self, request, model_admin):
        programs = Program.objects.ordered_for_year(current_year(request))
        return [(str(pk), name) for pk, name in programs.values_list("pk", "name")]


class ApplicationStatusFilter(ApplicationCriterionFilter):
    title = "신청 상태"
    parameter_name = "app_status"

    def lookups(self, request, model_admin):
        return ApplicationStatus.choices


class ApplicationYearFilter(ApplicationCriterionFilter):
    title = "신청 연도"
    parameter_name = "app_year"

    def lookups(self, request, model_admin):
        return [(str(year), f"{year}년") for year in stored_application_years()]


class ApplicationYearFieldFilter(admin.AllValuesFieldListFilter):
    """The admin's filter on Application.year (same parameters), its years from `application_years`."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = sorted(stored_application_years())


class CompanyDuplicateSelectionFilter(admin.SimpleListFilter):
    title = "중복지원"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "같은 해 2개 이상 사업 선정")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(duplicate_selection_company_exists())
        return queryset


def applications_placed_under(queryset, level: str, value):
    """Applications whose program is placed under the 추진분야 (`level` "area") or 추진과제 ("task")
    `value` in the application's own year; an area or task belongs to one plan year, so this also
    keeps only that year's applications."""
    lookup = "program__placements__task__area" if level == "area" else "program__placements__task"
    return queryset.filter(program__placements__plan_year=F("year"), **{lookup: value})


class ApplicationPlacementFilter(admin.SimpleListFilter):
    """The admin's 추진분야·추진과제 of the selected plan year (`year`, else the current one)."""

    def queryset(self, request, queryset):
        value = self.value()
        return applications_placed_under(queryset, self.parameter_name, value) if value else queryset


class ApplicationAreaFilter(ApplicationPlacementFilter):
    title = "추진분야"
    parameter_name = "area"

    def lookups(self, request, model_admin):
        return [(str(area.pk), str(area)) for area in PolicyArea.objects.filter(plan_year=current_year(request))]


class ApplicationTaskFilter(ApplicationPlacementFilter):
    title = "추진과제"
    parameter_name = "task"

    def lookups(self, request, model_admin):
        tasks = Task.objects.filter(area__plan_year=current_year(request)).select_related("area")
        return [(str(task.pk), str(task)) for task in tasks]


class ApplicationDuplicateSelectionFilter(CompanyDuplicateSelectionFilter):
    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Q(status__in=SELECTED_STATUSES) & duplicate_selection_exists())
        return queryset


def certificate_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Issue dates: issued on/before the first has expired; after the second is still valid long."""

    def years_back(date, years):
        try:
            return date.replace(year=date.year - years)
        except ValueError:
            return date.replace(year=date.year - years, day=28)

    expired_if_issued_before = years_back(today, CERTIFICATE_VALIDITY_YEARS) + datetime.timedelta(days=1)
    warning_day = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    valid_if_issued_after = years_back(warning_day, CERTIFICATE_VALIDITY_YEARS) + datetime.timedelta(days=1)
    return expired_if_issued_before, valid_if_issued_after


class CertificateStatusFilter(admin.SimpleListFilter):
    title = "뿌리기업 확인서"
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return CertificateStatus.choices

    def queryset(self, request, queryset):
        expired_before, valid_after = certificate_bounds(timezone.localdate())
        value = self.value()
        if value == CertificateStatus.NONE:
            return queryset.filter(certificate_issued_on__isnull=True)
        if value == CertificateStatus.EXPIRED:
            return queryset.filter(certificate_issued_on__lt=expired_before)
        if value == CertificateStatus.EXPIRING:
            return queryset.filter(certificate_issued_on__gte=expired_before, certificate_issued_on__lt=valid_after)
        if value == CertificateStatus.VALID:
            return queryset.filter(certificate_issued_on__gte=valid_after)
        return queryset


# --- FilterSets of the staff list pages (/plan/companies/, /plan/applications/) ---------------------------
# Appended below the admin filters while those are being reworked; the imports belong at the top of the module.
import django_filters  # noqa: E402
from django import forms  # noqa: E402

from companies.models import Company, Industry, IndustryGroup, Province, Region  # noqa: E402


def application_years() -> list[tuple[int, str]]:
    return [(year, f"{year}년") for year in stored_application_years()]


def yes_no_widget() -> forms.Select:
    """예/아니오 with '전체' for no filter (django-filter's default widget says '알 수 없음')."""
    return forms.Select(choices=[("", "전체"), ("true", "예"), ("false", "아니오")])


class CompanyFilterSet(django_filters.FilterSet):
    """뿌리기업 by 업종, 권역·시·도, 매출 규모, 성장단계, 인증, R&D 역량 and what they applied for.

    신청 사업, 신청 상태 and 신청 연도 must all hold for ONE application of the company (one subquery).
    """

    q = django_filters.CharFilter(label="업체명·사업자등록번호", method="search")
    industry_group = django_filters.ModelChoiceFilter(
        label="업종 그룹", field_name="industry__group", queryset=IndustryGroup.objects.all(), empty_label="전체"
    )
    industry = django_filters.ModelChoiceFilter(label="업종", queryset=Industry.objects.all(), empty_label="전체")
    region = django_filters.ModelChoiceFilter(
        label="권역", field_name="province__region", queryset=Region.objects.all(), empty_label="전체"
    )
    province = django_filters.ModelChoiceFilter(label="시·도", queryset=Province.objects.all(), empty_label="전체")
    sales_bracket = django_filters.ChoiceFilter(label="매출 규모", choices=SalesBracket.choices, empty_label="전체")
    growth_stage = django_filters.ChoiceFilter(label="성장단계", choices=GrowthStage.choices, empty_label="전체")
    is_myeongga = django_filters.BooleanFilter(label="뿌리기업 명가", widget=yes_no_widget())
    is_good_workplace = django_filters.BooleanFilter(label="일하기 좋은 뿌리기업", widget=yes_no_widget())
    is_tech_specialist = django_filters.BooleanFilter(label="뿌리기술 전문기업", widget=yes_no_widget())
    has_rnd_capacity = django_filters.BooleanFilter(label="R&D 역량", widget=yes_no_widget())
    app_program = django_filters.ModelChoiceFilter(
        label="신청 사업",
        queryset=Program.objects.all(),
        method="filter_application",
        empty_label="전체",
    )
    app_status = django_filters.ChoiceFilter(
        label="신청 상태", choices=ApplicationStatus.choices, method="filter_application", empty_label="전체"
    )
    app_year = django_filters.ChoiceFilter(
        label="신청 연도", choices=application_years, method="filter_application", empty_label="전체"
    )
    duplicate = django_filters.BooleanFilter(label="중복지원", method="filter_duplicate", widget=yes_no_widget())

    class Meta:
        model = Company
        fields = [
            "q",
            "industry_group",
            "industry",
            "region",
            "province",
            "sales_bracket",
            "growth_stage",
            "is_myeongga",
            "is_good_workplace",
            "is_tech_specialist",
            "has_rnd_capacity",
            "app_program",
            "app_status",
            "app_year",
            "duplicate",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["app_program"].queryset = Program.objects.ordered_for_year(current_year(self.request))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(company_search_q(value)) if value else queryset

    def filter_application(self, queryset, name, value):
        # Applied together in filter_queryset, so that the three criteria meet in one application.
        return queryset

    def filter_duplicate(self, queryset, name, value):
        duplicate = duplicate_selection_company_exists()
        return queryset.filter(duplicate) if value else queryset.exclude(duplicate)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        criteria = {
            lookup: data[name]
            for name, lookup in (("app_program", "program"), ("app_status", "status"), ("app_year", "year"))
            if data.get(name) not in (None, "")
        }
        if criteria:
            queryset = queryset.filter(pk__in=Application.objects.filter(**criteria).values("company_id"))
        return queryset


class ApplicationFilterSet(django_filters.FilterSet):
    """사업 신청 by 추진분야, 추진과제, 사업, 소관부처, 연도, 상태, 중복지원 and the applicant."""

    q = django_filters.CharFilter(label="업체명·사업자등록번호", method="search")
    area = django_filters.ModelChoiceFilter(
        label="추진분야", queryset=PolicyArea.objects.none(), method="filter_placement", empty_label="전체"
    )
    task = django_filters.ModelChoiceFilter(
        label="추진과제", queryset=Task.objects.none(), method="filter_placement", empty_label="전체"
    )
    program = django_filters.ModelChoiceFilter(label="사업", queryset=Program.objects.all(), empty_label="전체")
    ministry = django_filters.ModelChoiceFilter(
        label="소관부처", field_name="program__ministry", queryset=Ministry.objects.all(), empty_label="전체"
    )
    year = django_filters.ChoiceFilter(label="연도", choices=application_years, empty_label="전체")
    status = django_filters.ChoiceFilter(label="상태", choices=ApplicationStatus.choices, empty_label="전체")
    duplicate = django_filters.BooleanFilter(
        label="중복지원(같은 해 2개 이상 사업 선정)", method="filter_duplicate", widget=yes_no_widget()
    )

    class Meta:
        model = Application
        fields = ["q", "area", "task", "program", "ministry", "year", "status", "duplicate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = current_year(self.request)
        self.filters["area"].queryset = PolicyArea.objects.filter(plan_year=year)
        self.filters["task"].queryset = Task.objects.filter(area__plan_year=year)
        self.filters["program"].queryset = Program.objects.ordered_for_year(year)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(company_search_q(value, "company__")) if value else queryset

    def filter_placement(self, queryset, name, value):
        return applications_placed_under(queryset, name, value) if value else queryset

    def filter_duplicate(self, queryset, name, value):
        """Selected (선정·협약·완료) while the company is selected for another program in the same year."""
        duplicate = Q(status__in=SELECTED_STATUSES) & duplicate_selection_exists()
        return queryset.filter(duplicate) if value else queryset.exclude(duplicate)


class DerivedChoiceFilter(admin.SimpleListFilter):
    """Admin filter on a database-derived field (GeneratedField), labelled with its choices."""

    options: list[tuple] = []  # (value, label); not `choices`, which SimpleListFilter uses itself

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in self.options]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        valid = {str(choice): choice for choice, _ in self.options}
        return queryset.filter(**{self.parameter_name: valid[value]}) if value in valid else queryset.none()


class SalesBracketFilter(DerivedChoiceFilter):
    title = "매출 규모"
    parameter_name = "sales_bracket"
    options = SalesBracket.choices


class GrowthStageFilter(DerivedChoiceFilter):
    title = "성장단계"
    parameter_name = "growth_stage"
    options = GrowthStage.choices
